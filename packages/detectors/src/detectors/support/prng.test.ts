import { describe, expect, it } from 'vitest';
import { mulberry32 } from './prng.js';

describe('mulberry32', () => {
  it('same seed, same stream; values in [0, 1); mean and variance of a uniform', () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    const draws = Array.from({ length: 10_000 }, () => a());
    expect(draws.slice(0, 5)).toEqual(Array.from({ length: 5 }, () => b()));
    expect(draws.every((u) => u >= 0 && u < 1)).toBe(true);
    const mean = draws.reduce((s, u) => s + u, 0) / draws.length;
    const variance = draws.reduce((s, u) => s + (u - mean) ** 2, 0) / draws.length;
    // se of the mean: 0.2887/100 = 0.0029; uniform variance 1/12 = 0.0833
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.012);
    expect(Math.abs(variance - 1 / 12)).toBeLessThan(0.005);
    expect(mulberry32(43)()).not.toBe(mulberry32(42)());
  });
});
