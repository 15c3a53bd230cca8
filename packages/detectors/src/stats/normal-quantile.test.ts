import { describe, expect, it } from 'vitest';
import { normalCdf } from './normal.js';
import { normalQuantile } from './normal-quantile.js';

describe('normalQuantile', () => {
  it('matches R qnorm', () => {
    // R: qnorm(0.975) = 1.959963984540054; qnorm(0.95) = 1.644853626951472
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963984540054, 13);
    expect(normalQuantile(0.95)).toBeCloseTo(1.644853626951472, 13);
    // R: qnorm(0.001) = -3.090232306167813; qnorm(1e-10) = -6.361340902404056
    expect(normalQuantile(0.001)).toBeCloseTo(-3.090232306167813, 12);
    expect(normalQuantile(1e-10)).toBeCloseTo(-6.361340902404056, 11);
    expect(normalQuantile(0.5)).toBe(0);
  });
  it('inverts normalCdf across the range', () => {
    for (const p of [1e-300, 1e-20, 0.02, 0.3, 0.7, 0.99]) {
      expect(normalCdf(normalQuantile(p)) / p).toBeCloseTo(1, 10);
    }
  });
  it('edges', () => {
    expect(normalQuantile(0)).toBe(Number.NEGATIVE_INFINITY);
    expect(normalQuantile(1)).toBe(Number.POSITIVE_INFINITY);
    expect(normalQuantile(1.5)).toBeNaN();
    expect(normalQuantile(Number.NaN)).toBeNaN();
  });
});
