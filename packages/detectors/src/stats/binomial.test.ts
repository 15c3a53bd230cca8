import { describe, expect, it } from 'vitest';
import { binomialCdf, binomialSf } from './binomial.js';
import { lnGamma } from './ln-gamma.js';

/** Independent reference: sum the pmf terms, each from its log (no incomplete beta). */
function summedTail(from: number, to: number, n: number, p: number): number {
  let total = 0;
  for (let x = from; x <= to; x++) {
    total += Math.exp(
      lnGamma(n + 1) - lnGamma(x + 1) - lnGamma(n - x + 1) + x * Math.log(p) + (n - x) * Math.log1p(-p),
    );
  }
  return total;
}

describe('binomialSf / binomialCdf', () => {
  it('small n by hand', () => {
    // n = 10, p = ½: P(X ≥ 8) = (C(10,8) + C(10,9) + C(10,10)) / 2^10 = (45 + 10 + 1)/1024 = 0.0546875
    expect(binomialSf(8, 10, 0.5)).toBeCloseTo(56 / 1024, 14);
    // by symmetry P(X ≤ 2) is the same
    expect(binomialCdf(2, 10, 0.5)).toBeCloseTo(56 / 1024, 14);
    // n = 3, p = 0.2: P(X ≥ 1) = 1 − 0.8³ = 0.488
    expect(binomialSf(1, 3, 0.2)).toBeCloseTo(0.488, 14);
  });
  it('large n matches the summed pmf, tail keeps relative precision', () => {
    // R: pbinom(599, 1000, 0.5, lower.tail = FALSE) — here against the direct sum
    const reference = summedTail(600, 1000, 1000, 0.5);
    expect(binomialSf(600, 1000, 0.5) / reference).toBeCloseTo(1, 9);
    expect(binomialCdf(400, 1000, 0.5) / reference).toBeCloseTo(1, 9);
    const skewed = summedTail(0, 30, 5000, 0.01);
    expect(binomialCdf(30, 5000, 0.01) / skewed).toBeCloseTo(1, 9);
  });
  it('Sf(k) + Cdf(k − 1) = 1', () => {
    for (const k of [1, 7, 13, 20]) expect(binomialSf(k, 20, 0.37) + binomialCdf(k - 1, 20, 0.37)).toBeCloseTo(1, 13);
  });
  it('edges: k outside 0..n, p at 0 and 1, non-integer k, invalid n', () => {
    expect(binomialSf(0, 5, 0.3)).toBe(1);
    expect(binomialSf(6, 5, 0.3)).toBe(0);
    expect(binomialCdf(-1, 5, 0.3)).toBe(0);
    expect(binomialCdf(5, 5, 0.3)).toBe(1);
    expect(binomialSf(2, 5, 0)).toBe(0);
    expect(binomialSf(2, 5, 1)).toBe(1);
    expect(binomialSf(2.5, 5, 0.3)).toBe(binomialSf(3, 5, 0.3));
    expect(binomialCdf(2.5, 5, 0.3)).toBe(binomialCdf(2, 5, 0.3));
    expect(binomialSf(1, 0, 0.5)).toBe(0);
    expect(binomialSf(1, 2.5, 0.5)).toBeNaN();
    expect(binomialSf(1, 5, 1.2)).toBeNaN();
  });
});
