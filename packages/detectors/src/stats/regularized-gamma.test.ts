import { describe, expect, it } from 'vitest';
import { regularizedGammaP, regularizedGammaQ } from './regularized-gamma.js';

describe('regularizedGammaP / Q', () => {
  it('a = 1 is the exponential distribution: P(1, x) = 1 − e^(−x)', () => {
    for (const x of [0.1, 1, 3, 20]) {
      expect(regularizedGammaP(1, x)).toBeCloseTo(1 - Math.exp(-x), 14);
      // Q directly: e^(−x), relative precision even when tiny
      expect(regularizedGammaQ(1, x) / Math.exp(-x)).toBeCloseTo(1, 12);
    }
  });
  it('integer a is a Poisson tail: Q(3, 2) = e^(−2)(1 + 2 + 2) = 5e^(−2)', () => {
    expect(regularizedGammaQ(3, 2)).toBeCloseTo(5 * Math.exp(-2), 14);
    expect(regularizedGammaP(3, 2)).toBeCloseTo(1 - 5 * Math.exp(-2), 14);
  });
  it('P + Q = 1 on both sides of the series / fraction switch (x = a + 1)', () => {
    for (const [a, x] of [
      [0.5, 0.2],
      [5, 5.9],
      [5, 6.1],
      [200, 180],
      [200, 230],
    ] as const) {
      expect(regularizedGammaP(a, x) + regularizedGammaQ(a, x)).toBeCloseTo(1, 13);
    }
  });
  it('edges: x = 0, x = ∞ and the domain', () => {
    expect(regularizedGammaP(2, 0)).toBe(0);
    expect(regularizedGammaQ(2, 0)).toBe(1);
    expect(regularizedGammaP(2, Number.POSITIVE_INFINITY)).toBe(1);
    expect(regularizedGammaQ(2, Number.POSITIVE_INFINITY)).toBe(0);
    expect(regularizedGammaP(0, 1)).toBeNaN();
    expect(regularizedGammaQ(1, -1)).toBeNaN();
  });
});
