import { describe, expect, it } from 'vitest';
import { binomialSf } from './binomial.js';
import { normalSf } from './normal.js';
import { binomialOverdispersion, quasiBinomialSf } from './quasi-binomial.js';

describe('binomialOverdispersion', () => {
  it('is Pearson χ²/df around the pooled share; by hand', () => {
    // p̂ = 8/40 = 0.2; terms (2−2)²/1.6 = 0, (4−2)²/1.6 = 2.5, (2−4)²/3.2 = 1.25 → χ² = 3.75, df 2
    const d = binomialOverdispersion([
      { n: 10, b: 2 },
      { n: 10, b: 4 },
      { n: 20, b: 2 },
      { n: 0, b: 0 }, // no trials: left out
    ]);
    expect(d.df).toBe(2);
    expect(d.phi).toBeCloseTo(1.875, 14);
  });

  it('is 0 for identical shares and NaN when no spread can be measured', () => {
    expect(
      binomialOverdispersion([
        { n: 10, b: 1 },
        { n: 30, b: 3 },
      ]).phi,
    ).toBe(0);
    expect(
      binomialOverdispersion([
        { n: 10, b: 0 },
        { n: 30, b: 0 },
      ]).phi,
    ).toBeNaN(); // p̂ = 0
    expect(binomialOverdispersion([{ n: 10, b: 4 }]).phi).toBeNaN(); // df 0
  });
});

describe('quasiBinomialSf', () => {
  it('is the exact binomial tail at φ = 1 (and below: never more confident)', () => {
    for (const [b, n, p] of [
      [35, 70, 29 / 562],
      [5, 10, 0.3],
      [1, 1, 0.5],
      [0, 10, 0.2],
    ] as const) {
      expect(quasiBinomialSf(b, n, p, 1)).toBeCloseTo(binomialSf(b, n, p), 14);
      expect(quasiBinomialSf(b, n, p, 0.5)).toBe(quasiBinomialSf(b, n, p, 1));
    }
    // R: pbinom(4, 10, 0.3, lower.tail = FALSE) = 0.1502683
    expect(quasiBinomialSf(5, 10, 0.3, 1)).toBeCloseTo(0.1502683, 7);
  });

  it('at φ = 2 is the binomial tail of half the counts', () => {
    // b = 10 of n = 20 at φ = 2 → 5 of 10: I_0.3(5, 6) = P(X ≥ 5 | 10, 0.3) = 0.1502683
    expect(quasiBinomialSf(10, 20, 0.3, 2)).toBeCloseTo(0.1502683, 7);
  });

  it('agrees with the quasi-likelihood normal test for large n', () => {
    // z = (1300 − 1200) / √(3·10000·0.12·0.88) = 1.7767 → 0.0378
    const z = (1300 - 1200) / Math.sqrt(3 * 10_000 * 0.12 * 0.88);
    const p = quasiBinomialSf(1300, 10_000, 0.12, 3);
    expect(Math.abs(p / normalSf(z) - 1)).toBeLessThan(0.1);
  });

  it('edges: no successes, certain and impossible outcomes, invalid input', () => {
    expect(quasiBinomialSf(0, 10, 0.5, 3)).toBe(1);
    expect(quasiBinomialSf(3, 10, 0, 3)).toBe(0);
    expect(quasiBinomialSf(3, 10, 1, 3)).toBe(1);
    expect(quasiBinomialSf(11, 10, 0.5, 1)).toBeNaN();
    expect(quasiBinomialSf(3, 10, 1.5, 1)).toBeNaN();
    expect(quasiBinomialSf(3, 10, 0.5, Number.NaN)).toBeNaN();
  });
});
