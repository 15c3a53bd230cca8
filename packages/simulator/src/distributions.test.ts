import { describe, expect, it } from 'vitest';
import {
  beta,
  binomial,
  exponential,
  gamma,
  geometric,
  logGamma,
  lognormal,
  negativeBinomial,
  normal,
  pareto,
  poisson,
  WeightedChoice,
  ZipfSampler,
} from './distributions.js';
import { Rng } from './random.js';
import { mean, quantile, variance } from './test-support/summaries.js';

const N = 40_000;
const sample = (seed: number, f: (r: Rng) => number, n = N) => {
  const rng = new Rng(seed);
  return Array.from({ length: n }, () => f(rng));
};

/** Mean within 5 standard errors, variance within a relative tolerance. */
function expectMoments(xs: number[], mu: number, sigma2: number, varianceTolerance = 0.06) {
  expect(Math.abs(mean(xs) - mu)).toBeLessThan(5 * Math.sqrt(sigma2 / xs.length));
  expect(Math.abs(variance(xs) / sigma2 - 1)).toBeLessThan(varianceTolerance);
}

describe('logGamma', () => {
  it('matches known values', () => {
    expect(logGamma(1)).toBeCloseTo(0, 12);
    expect(logGamma(2)).toBeCloseTo(0, 12);
    expect(logGamma(5)).toBeCloseTo(Math.log(24), 12); // Γ(5) = 4! = 24
    expect(logGamma(10)).toBeCloseTo(Math.log(362_880), 11); // 9! = 362 880
    expect(logGamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 12); // Γ(½) = √π
    expect(logGamma(-0.5)).toBeCloseTo(Math.log(2 * Math.sqrt(Math.PI)), 12); // Γ(−½) = −2√π
    expect(logGamma(0)).toBe(Number.POSITIVE_INFINITY);
    expect(logGamma(-3)).toBe(Number.POSITIVE_INFINITY);
  });
});

describe('samplers', () => {
  it('normal: mean 0, variance 1', () => {
    expectMoments(sample(1, normal), 0, 1);
  });

  it('exponential: mean 3, variance 9; non-positive mean gives 0', () => {
    expectMoments(
      sample(2, (r) => exponential(r, 3)),
      3,
      9,
      0.08,
    );
    expect(exponential(new Rng(1), 0)).toBe(0);
  });

  it('gamma: shape 2.5 scale 2 → mean 5, variance 10; shape 0.4 → mean 0.4, variance 0.4', () => {
    expectMoments(
      sample(3, (r) => gamma(r, 2.5, 2)),
      5,
      10,
    );
    expectMoments(
      sample(4, (r) => gamma(r, 0.4)),
      0.4,
      0.4,
      0.1,
    );
    expect(gamma(new Rng(1), 0)).toBe(0);
  });

  it('beta(2, 3): mean 2/5, variance 2·3/(5²·6) = 0.04', () => {
    expectMoments(
      sample(5, (r) => beta(r, 2, 3)),
      0.4,
      0.04,
    );
  });

  it('poisson: mean = variance = λ on both algorithms; P(0) = e^−λ', () => {
    const small = sample(6, (r) => poisson(r, 4));
    expectMoments(small, 4, 4);
    // e^−4 = 0.01832; SE = sqrt(0.0183·0.9817/4e4) = 0.00067
    expect(Math.abs(small.filter((x) => x === 0).length / N - Math.exp(-4))).toBeLessThan(0.0034);
    expectMoments(
      sample(7, (r) => poisson(r, 50)),
      50,
      50,
    );
    expectMoments(
      sample(8, (r) => poisson(r, 500)),
      500,
      500,
    );
    expect(sample(9, (r) => poisson(r, 50), 2000).every(Number.isInteger)).toBe(true);
    expect(poisson(new Rng(1), 0)).toBe(0);
    expect(poisson(new Rng(1), -1)).toBe(0);
  });

  it('negative binomial: mean 10, shape 2 → variance 10 + 10²/2 = 60; infinite shape is Poisson', () => {
    expectMoments(
      sample(10, (r) => negativeBinomial(r, 10, 2)),
      10,
      60,
      0.08,
    );
    expectMoments(
      sample(11, (r) => negativeBinomial(r, 10, Number.POSITIVE_INFINITY)),
      10,
      10,
    );
  });

  it('binomial: exact on the splitting and the direct path', () => {
    // n = 500, p = 0.9: mean 450, variance 500·0.9·0.1 = 45
    const big = sample(12, (r) => binomial(r, 500, 0.9));
    expectMoments(big, 450, 45);
    expect(Math.max(...big)).toBeLessThanOrEqual(500);
    // n = 30, p = 0.3: mean 9, variance 6.3
    expectMoments(
      sample(13, (r) => binomial(r, 30, 0.3)),
      9,
      6.3,
    );
    // n = 1000, p = 0.002: mean 2, variance 1.996
    expectMoments(
      sample(14, (r) => binomial(r, 1000, 0.002)),
      2,
      1.996,
    );
    const rng = new Rng(1);
    expect(binomial(rng, 10, 0)).toBe(0);
    expect(binomial(rng, 10, 1)).toBe(10);
    expect(binomial(rng, 0, 0.5)).toBe(0);
  });

  it('lognormal: median 90, σ 0.5 → mean 90·e^0.125 = 101.98', () => {
    const xs = sample(15, (r) => lognormal(r, 90, 0.5));
    expect(Math.abs(quantile(xs, 0.5) / 90 - 1)).toBeLessThan(0.02);
    // variance 90²·e^0.25·(e^0.25 − 1) = 8100·1.2840·0.2840 = 2953.9
    expectMoments(xs, 101.98, 2953.9, 0.1);
  });

  it('pareto: x_m 1, α 5 → mean 5/4, variance 5/(4²·3) = 0.10417, minimum 1', () => {
    const xs = sample(16, (r) => pareto(r, 1, 5));
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(1);
    expectMoments(xs, 1.25, 0.10417, 0.15);
  });

  it('geometric: p 1/4 → mean 3, variance 0.75/0.0625 = 12', () => {
    expectMoments(
      sample(17, (r) => geometric(r, 0.25)),
      3,
      12,
      0.08,
    );
    expect(geometric(new Rng(1), 1)).toBe(0);
  });

  it('zipf: ranks in [1, n] with the mean Σk·k^−s / Σk^−s and P(1) = 1/H(n, s)', () => {
    for (const [n, s, seed] of [
      [50, 1, 18],
      [1000, 1.1, 19],
      [5, 2.5, 20],
    ] as const) {
      const sampler = new ZipfSampler(n, s);
      const xs = sample(seed, (r) => sampler.sample(r));
      let h = 0;
      let h1 = 0;
      let h2 = 0;
      for (let k = 1; k <= n; k++) {
        h += k ** -s;
        h1 += k ** (1 - s);
        h2 += k ** (2 - s);
      }
      const mu = h1 / h;
      const sigma2 = h2 / h - mu * mu;
      expect(Math.min(...xs)).toBeGreaterThanOrEqual(1);
      expect(Math.max(...xs)).toBeLessThanOrEqual(n);
      expectMoments(xs, mu, sigma2, 0.08);
      const p1 = 1 / h;
      expect(Math.abs(xs.filter((x) => x === 1).length / N - p1)).toBeLessThan(5 * Math.sqrt((p1 * (1 - p1)) / N));
    }
    expect(() => new ZipfSampler(0, 1)).toThrow();
  });

  it('weighted choice follows the weights and never picks a zero weight', () => {
    const choice = new WeightedChoice([1, 0, 3]);
    const xs = sample(21, (r) => choice.sample(r));
    expect(xs.includes(1)).toBe(false);
    // share of index 2: 3/4, SE sqrt(0.1875/4e4) = 0.0022
    expect(Math.abs(xs.filter((x) => x === 2).length / N - 0.75)).toBeLessThan(0.011);
    expect(() => new WeightedChoice([0, 0])).toThrow();
    expect(() => new WeightedChoice([-1, 2])).toThrow();
  });
});
