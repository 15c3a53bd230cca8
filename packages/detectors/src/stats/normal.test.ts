import { describe, expect, it } from 'vitest';
import { normalCdf, normalSf } from './normal.js';

describe('normalCdf / normalSf', () => {
  it('matches R pnorm', () => {
    expect(normalCdf(0)).toBe(0.5);
    // R: pnorm(1) = 0.8413447460685429; pnorm(1.96) = 0.9750021048517795
    expect(normalCdf(1)).toBeCloseTo(0.8413447460685429, 14);
    expect(normalCdf(1.96)).toBeCloseTo(0.9750021048517795, 14);
    expect(normalCdf(-1.96)).toBeCloseTo(0.024997895148220435, 14);
  });
  it('keeps relative precision in the far tail', () => {
    // R: pnorm(-5) = 2.866515718791939e-07; pnorm(10, lower.tail = FALSE) = 7.619853024160525e-24
    expect(normalCdf(-5) / 2.866515718791939e-7).toBeCloseTo(1, 12);
    expect(normalSf(10) / 7.619853024160525e-24).toBeCloseTo(1, 11);
    expect(normalSf(10)).toBeGreaterThan(0);
  });
  it('is symmetric and handles infinities and NaN', () => {
    expect(normalSf(1.3) + normalSf(-1.3)).toBeCloseTo(1, 15);
    expect(normalSf(Number.POSITIVE_INFINITY)).toBe(0);
    expect(normalCdf(Number.POSITIVE_INFINITY)).toBe(1);
    expect(normalCdf(Number.NaN)).toBeNaN();
  });
});
