import { describe, expect, it } from 'vitest';
import { hashString, mixKey, Rng } from './random.js';
import { chiSquareUniform, mean, variance } from './test-support/summaries.js';

const draws = (rng: Rng, n: number, f: (r: Rng) => number) => Array.from({ length: n }, () => f(rng));

describe('Rng', () => {
  it('repeats its sequence for the same key and differs for another', () => {
    const a = draws(new Rng(42, 1), 8, (r) => r.nextUint32());
    expect(draws(new Rng(42, 1), 8, (r) => r.nextUint32())).toEqual(a);
    expect(draws(new Rng(42, 2), 8, (r) => r.nextUint32())).not.toEqual(a);
    expect(draws(new Rng(43, 1), 8, (r) => r.nextUint32())).not.toEqual(a);
  });

  it('tells seeds apart beyond 32 bits and keys by order', () => {
    expect(mixKey(1)).not.toBe(mixKey(2 ** 32 + 1));
    expect(mixKey(-1)).not.toBe(mixKey(2 ** 32 - 1));
    expect(mixKey(1, 2)).not.toBe(mixKey(2, 1));
    expect(hashString('a')).not.toBe(hashString('b'));
  });

  it('draws uniforms on [0, 1) with mean 1/2 and variance 1/12', () => {
    const xs = draws(new Rng(1), 100_000, (r) => r.next());
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
    // SE of the mean = sqrt(1/12 / 1e5) = 0.000913; 5 SE = 0.0046
    expect(Math.abs(mean(xs) - 0.5)).toBeLessThan(0.0046);
    // 1/12 = 0.08333; SE of the variance = sqrt((1/80 − 1/144)/1e5) = 0.000236
    expect(Math.abs(variance(xs) - 1 / 12)).toBeLessThan(0.0012);
  });

  it('spreads integers evenly over [0, n)', () => {
    const counts = new Array(10).fill(0);
    const rng = new Rng(2);
    for (let i = 0; i < 100_000; i++) counts[rng.int(10)]++;
    // χ²(9) upper 0.001 point: 27.88
    expect(chiSquareUniform(counts)).toBeLessThan(27.88);
    const rng2 = new Rng(3);
    const ints = draws(rng2, 2_000, (r) => r.intBetween(-2, 2));
    expect(new Set(ints)).toEqual(new Set([-2, -1, 0, 1, 2]));
    expect(rng2.int(1)).toBe(0);
    expect(rng2.int(0)).toBe(0);
  });

  it('shuffles into a permutation and samples distinct elements', () => {
    const rng = new Rng(4);
    const items = Array.from({ length: 50 }, (_, i) => i);
    const shuffled = rng.shuffle([...items]);
    expect(shuffled).not.toEqual(items);
    expect([...shuffled].sort((a, b) => a - b)).toEqual(items);
    const sample = rng.sample(items, 10);
    expect(new Set(sample).size).toBe(10);
    expect(rng.sample(items, 80)).toHaveLength(50);
    expect(() => rng.pick([])).toThrow();
  });

  it('forks independent streams deterministically', () => {
    const a = new Rng(5).fork(1);
    const b = new Rng(5).fork(1);
    const c = new Rng(5).fork(2);
    const first = a.nextUint32();
    expect(b.nextUint32()).toBe(first);
    expect(c.nextUint32()).not.toBe(first);
  });
});
