import { describe, expect, it } from 'vitest';
import { regularizedBeta, regularizedBetaTails } from './regularized-beta.js';

describe('regularizedBeta', () => {
  it('matches closed forms', () => {
    // I_x(1, 1) = x; I_x(a, 1) = x^a; I_x(1, b) = 1 − (1 − x)^b; I_½(a, a) = ½
    expect(regularizedBeta(0.3, 1, 1)).toBeCloseTo(0.3, 14);
    expect(regularizedBeta(0.7, 4, 1)).toBeCloseTo(0.7 ** 4, 14);
    expect(regularizedBeta(0.2, 1, 6)).toBeCloseTo(1 - 0.8 ** 6, 14);
    expect(regularizedBeta(0.5, 37, 37)).toBeCloseTo(0.5, 13);
  });
  it('computes the small tail directly (upper = 1 − lower without cancellation)', () => {
    // I_x(1, b) upper tail = (1 − x)^b: with x = 0.9, b = 30, (0.1)^30 = 1e-30
    const { lower, upper } = regularizedBetaTails(0.9, 1, 30);
    expect(upper / 1e-30).toBeCloseTo(1, 10);
    expect(lower).toBeCloseTo(1, 14);
  });
  it('edges', () => {
    expect(regularizedBeta(0, 2, 3)).toBe(0);
    expect(regularizedBeta(1, 2, 3)).toBe(1);
    expect(regularizedBeta(0.5, 0, 3)).toBeNaN();
    expect(regularizedBeta(1.1, 2, 3)).toBeNaN();
  });
});
