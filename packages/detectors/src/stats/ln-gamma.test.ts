import { describe, expect, it } from 'vitest';
import { lnGamma } from './ln-gamma.js';

describe('lnGamma', () => {
  it('matches factorials: Γ(n) = (n − 1)!', () => {
    // Γ(10) = 9! = 362880 → ln = 12.801827480081469 (R: lgamma(10))
    expect(lnGamma(10)).toBeCloseTo(Math.log(362880), 12);
    expect(lnGamma(1)).toBeCloseTo(0, 14);
    expect(lnGamma(2)).toBeCloseTo(0, 14);
  });
  it('matches Γ(½) = √π and a published large value', () => {
    expect(lnGamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 13);
    // R: lgamma(100) = 359.1342053695754 (= ln 99!)
    expect(lnGamma(100)).toBeCloseTo(359.1342053695754, 10);
  });
  it('decides the edges: pole at 0, NaN below', () => {
    expect(lnGamma(0)).toBe(Number.POSITIVE_INFINITY);
    expect(lnGamma(-1)).toBeNaN();
    expect(lnGamma(Number.NaN)).toBeNaN();
  });
});
