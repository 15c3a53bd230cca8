import { describe, expect, it } from 'vitest';
import { chiSquareCdf, chiSquareSf } from './chi-square.js';

describe('chiSquareCdf / chiSquareSf', () => {
  it('df = 2 is exponential: P(χ² ≤ x) = 1 − e^(−x/2)', () => {
    expect(chiSquareCdf(3, 2)).toBeCloseTo(1 - Math.exp(-1.5), 14);
    // far upper tail keeps relative precision: e^(−100) ≈ 3.72e-44
    expect(chiSquareSf(200, 2) / Math.exp(-100)).toBeCloseTo(1, 10);
  });
  it('matches R qchisq critical values', () => {
    // R: qchisq(0.95, 1) = 3.841458820694124; qchisq(0.95, 9) = 16.918977604620448
    expect(chiSquareCdf(3.841458820694124, 1)).toBeCloseTo(0.95, 13);
    expect(chiSquareCdf(16.918977604620448, 9)).toBeCloseTo(0.95, 12);
    // R: qchisq(0.05, 9) = 3.325112843066815 (lower tail, used by under-dispersion)
    expect(chiSquareCdf(3.325112843066815, 9)).toBeCloseTo(0.05, 12);
    // R: qchisq(0.999, 10) = 29.58829844507442
    expect(chiSquareSf(29.58829844507442, 10)).toBeCloseTo(0.001, 13);
  });
  it('edges', () => {
    expect(chiSquareCdf(0, 3)).toBe(0);
    expect(chiSquareSf(-1, 3)).toBe(1);
    expect(chiSquareCdf(1, 0)).toBeNaN();
  });
});
