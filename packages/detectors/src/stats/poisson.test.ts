import { describe, expect, it } from 'vitest';
import { lnGamma } from './ln-gamma.js';
import { poissonCdf, poissonSf } from './poisson.js';

function summedPmf(from: number, to: number, lambda: number): number {
  let total = 0;
  for (let x = from; x <= to; x++) total += Math.exp(x * Math.log(lambda) - lambda - lnGamma(x + 1));
  return total;
}

describe('poissonSf / poissonCdf', () => {
  it('by hand', () => {
    // P(X ≤ 2 | λ = 1) = e^(−1)(1 + 1 + ½) = 2.5/e = 0.9196986029286058 (R: ppois(2, 1))
    expect(poissonCdf(2, 1)).toBeCloseTo(2.5 / Math.E, 14);
    // R: ppois(10, 5) = 0.9863047314016171
    expect(poissonCdf(10, 5)).toBeCloseTo(0.9863047314016171, 13);
    // P(X ≥ 1) = 1 − e^(−λ)
    expect(poissonSf(1, 3)).toBeCloseTo(1 - Math.exp(-3), 14);
  });
  it('far tail against the summed pmf', () => {
    // P(X ≥ 200 | λ = 100): terms beyond 400 are negligible
    expect(poissonSf(200, 100) / summedPmf(200, 400, 100)).toBeCloseTo(1, 9);
    expect(poissonCdf(50, 100) / summedPmf(0, 50, 100)).toBeCloseTo(1, 9);
  });
  it('edges', () => {
    expect(poissonSf(0, 4)).toBe(1);
    expect(poissonSf(1, 0)).toBe(0);
    expect(poissonCdf(0, 0)).toBe(1);
    expect(poissonCdf(-1, 3)).toBe(0);
    expect(poissonSf(2.2, 3)).toBe(poissonSf(3, 3));
    expect(poissonSf(1, -1)).toBeNaN();
  });
});
