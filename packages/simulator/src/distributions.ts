/**
 * Random variates for the traffic model, all exact (no normal approximations), all driven
 * by an Rng so a seed reproduces them. References are given per sampler.
 */
import type { Rng } from './random.js';

const LANCZOS_G = 7;
const LANCZOS_COEFFICIENTS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

/**
 * Natural logarithm of the gamma function, Lanczos approximation (g = 7, 9 terms; relative
 * error below 1e-13 for x > 0), with the reflection formula below 0.5.
 * @param x any real that is not a non-positive integer
 * @returns ln |Γ(x)|; Infinity at the poles (0, −1, −2, …)
 */
export function logGamma(x: number): number {
  if (x <= 0 && Number.isInteger(x)) return Number.POSITIVE_INFINITY;
  if (x < 0.5) {
    // Γ(x)Γ(1−x) = π / sin(πx)
    return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
  }
  const z = x - 1;
  let sum = LANCZOS_COEFFICIENTS[0] as number;
  for (let i = 1; i < LANCZOS_COEFFICIENTS.length; i++) sum += (LANCZOS_COEFFICIENTS[i] as number) / (z + i);
  const t = z + LANCZOS_G + 0.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}

/**
 * Standard normal variate (Box–Muller, one of the pair kept: simpler than caching and fast
 * enough here).
 * @returns a draw from N(0, 1)
 */
export function normal(rng: Rng): number {
  const u = rng.nextOpen();
  const v = rng.next();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/**
 * Exponential variate by inversion.
 * @param mean the mean (1/rate); mean ≤ 0 gives 0
 * @returns a draw with P(X > x) = exp(−x/mean)
 */
export function exponential(rng: Rng, mean: number): number {
  if (!(mean > 0)) return 0;
  return -mean * Math.log(rng.nextOpen());
}

/**
 * Gamma variate, Marsaglia & Tsang (ACM TOMS 26:363, 2000); for shape < 1 the boost
 * G(a) = G(a+1)·U^(1/a).
 * @param shape k > 0 (k ≤ 0 gives 0)
 * @param scale θ > 0; mean kθ, variance kθ²
 * @returns a draw from Gamma(k, θ)
 */
export function gamma(rng: Rng, shape: number, scale = 1): number {
  if (!(shape > 0) || !(scale > 0)) return 0;
  if (shape < 1) {
    return gamma(rng, shape + 1, scale) * rng.nextOpen() ** (1 / shape);
  }
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = normal(rng);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = rng.nextOpen();
    if (u < 1 - 0.0331 * x * x * x * x) return d * v * scale;
    if (Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v * scale;
  }
}

/**
 * Beta variate as X/(X+Y) of two gammas.
 * @param a shape α > 0
 * @param b shape β > 0; mean α/(α+β)
 * @returns a draw on [0, 1]
 */
export function beta(rng: Rng, a: number, b: number): number {
  const x = gamma(rng, a);
  const y = gamma(rng, b);
  const s = x + y;
  return s > 0 ? x / s : 0.5;
}

/**
 * Poisson variate: multiplication of uniforms (Knuth) below λ = 12, else Hörmann's
 * transformed rejection with squeeze PTRS (Insurance: Math. & Econ. 12:39, 1993), as numpy does.
 * @param lambda the mean λ; λ ≤ 0 (or NaN) gives 0
 * @returns a non-negative integer, mean and variance λ
 */
export function poisson(rng: Rng, lambda: number): number {
  if (!(lambda > 0)) return 0;
  if (lambda < 12) {
    const limit = Math.exp(-lambda);
    let k = 0;
    let p = rng.next();
    while (p > limit) {
      k++;
      p *= rng.next();
    }
    return k;
  }
  const slam = Math.sqrt(lambda);
  const loglam = Math.log(lambda);
  const b = 0.931 + 2.53 * slam;
  const a = -0.059 + 0.02483 * b;
  const invalpha = 1.1239 + 1.1328 / (b - 3.4);
  const vr = 0.9277 - 3.6224 / (b - 2);
  for (;;) {
    const u = rng.next() - 0.5;
    const v = rng.nextOpen();
    const us = 0.5 - Math.abs(u);
    const k = Math.floor(((2 * a) / us + b) * u + lambda + 0.43);
    if (us >= 0.07 && v <= vr) return k;
    if (k < 0 || (us < 0.013 && v > us)) continue;
    if (Math.log(v) + Math.log(invalpha) - Math.log(a / (us * us) + b) <= -lambda + k * loglam - logGamma(k + 1)) {
      return k;
    }
  }
}

/**
 * Negative binomial variate as a gamma–Poisson mixture: λ ~ Gamma(k, μ/k), X ~ Poisson(λ).
 * @param mean μ ≥ 0
 * @param shape k > 0 (the "size"); Infinity gives Poisson(μ). Variance μ + μ²/k.
 * @returns a non-negative integer
 */
export function negativeBinomial(rng: Rng, mean: number, shape: number): number {
  if (!(mean > 0)) return 0;
  if (!Number.isFinite(shape)) return poisson(rng, mean);
  return poisson(rng, gamma(rng, shape, mean / shape));
}

/**
 * Binomial variate, exact: while n is large, split on the i-th order statistic of n
 * uniforms (a Beta(i, n−i+1) draw; Knuth TAOCP 2, 3.4.1), then count Bernoulli trials.
 * @param n trials (non-negative integer; 0 gives 0)
 * @param p success probability (≤ 0 gives 0, ≥ 1 gives n)
 * @returns an integer in [0, n], mean np, variance np(1−p)
 */
export function binomial(rng: Rng, n: number, p: number): number {
  if (n <= 0 || !(p > 0)) return 0;
  if (p >= 1) return n;
  let trials = Math.floor(n);
  let prob = p;
  let count = 0;
  while (trials > 40) {
    const i = Math.floor((trials + 1) / 2);
    const x = beta(rng, i, trials + 1 - i);
    if (x >= prob) {
      // successes are among the i−1 uniforms below x, each below p with chance p/x
      trials = i - 1;
      prob /= x;
    } else {
      // the i smallest are all successes; the rest lie in (x, 1)
      count += i;
      trials -= i;
      prob = (prob - x) / (1 - x);
    }
  }
  for (let j = 0; j < trials; j++) if (rng.next() < prob) count++;
  return count;
}

/**
 * Lognormal variate parametrised by its median: exp(ln(median) + σZ).
 * @param median e^μ > 0
 * @param sigma σ ≥ 0 of the logarithm; mean = median·exp(σ²/2)
 */
export function lognormal(rng: Rng, median: number, sigma: number): number {
  return median * Math.exp(sigma * normal(rng));
}

/**
 * Pareto (type I) variate by inversion: x_m / U^(1/α).
 * @param scale x_m > 0, the minimum
 * @param alpha α > 0; mean αx_m/(α−1) for α > 1, variance x_m²α/((α−1)²(α−2)) for α > 2
 */
export function pareto(rng: Rng, scale: number, alpha: number): number {
  return scale / rng.nextOpen() ** (1 / alpha);
}

/**
 * Geometric variate: failures before the first success, by inversion.
 * @param p success probability in (0, 1]; p ≥ 1 gives 0, p ≤ 0 gives Infinity
 * @returns mean (1−p)/p
 */
export function geometric(rng: Rng, p: number): number {
  if (p >= 1) return 0;
  if (!(p > 0)) return Number.POSITIVE_INFINITY;
  return Math.floor(Math.log(rng.nextOpen()) / Math.log1p(-p));
}

/**
 * Bounded Zipf sampler on {1, …, n} with P(k) ∝ k^(−s), by rejection-inversion
 * (Hörmann & Derflinger, ACM TOMACS 6:169, 1996; as Apache Commons RNG): O(1) per draw,
 * no table, any s > 0 (s = 1 included).
 */
export class ZipfSampler {
  private readonly hIntegralX1: number;
  private readonly hIntegralN: number;
  private readonly sv: number;

  /**
   * @param n number of elements ≥ 1
   * @param exponent s > 0
   */
  constructor(
    readonly n: number,
    readonly exponent: number,
  ) {
    if (!(n >= 1) || !(exponent > 0)) throw new Error('Zipf needs n ≥ 1 and exponent > 0');
    this.hIntegralX1 = this.hIntegral(1.5) - 1;
    this.hIntegralN = this.hIntegral(n + 0.5);
    this.sv = 2 - this.hIntegralInverse(this.hIntegral(2.5) - this.h(2));
  }

  /** A rank in [1, n]. */
  sample(rng: Rng): number {
    for (;;) {
      const u = this.hIntegralN + rng.next() * (this.hIntegralX1 - this.hIntegralN);
      const x = this.hIntegralInverse(u);
      let k = Math.floor(x + 0.5);
      if (k < 1) k = 1;
      else if (k > this.n) k = this.n;
      if (k - x <= this.sv || u >= this.hIntegral(k + 0.5) - this.h(k)) return k;
    }
  }

  private h(x: number): number {
    return Math.exp(-this.exponent * Math.log(x));
  }

  private hIntegral(x: number): number {
    const logX = Math.log(x);
    return helper2((1 - this.exponent) * logX) * logX;
  }

  private hIntegralInverse(x: number): number {
    let t = x * (1 - this.exponent);
    if (t < -1) t = -1; // guards rounding just past the lower bound
    return Math.exp(helper1(t) * x);
  }
}

/** log(1+x)/x, accurate near 0. */
function helper1(x: number): number {
  return Math.abs(x) > 1e-8 ? Math.log1p(x) / x : 1 - x * (0.5 - x * (1 / 3 - 0.25 * x));
}

/** (exp(x)−1)/x, accurate near 0. */
function helper2(x: number): number {
  return Math.abs(x) > 1e-8 ? Math.expm1(x) / x : 1 + x * 0.5 * (1 + (x / 3) * (1 + 0.25 * x));
}

/** Picks an index with probability proportional to fixed non-negative weights (binary search on the CDF). */
export class WeightedChoice {
  private readonly cumulative: Float64Array;
  private readonly total: number;

  /** @param weights non-negative, not all zero */
  constructor(weights: readonly number[]) {
    this.cumulative = new Float64Array(weights.length);
    let sum = 0;
    weights.forEach((w, i) => {
      if (!(w >= 0)) throw new Error('weights must be non-negative');
      sum += w;
      this.cumulative[i] = sum;
    });
    if (!(sum > 0)) throw new Error('weights must not all be zero');
    this.total = sum;
  }

  /** An index in [0, weights.length). */
  sample(rng: Rng): number {
    const target = rng.next() * this.total;
    let lo = 0;
    let hi = this.cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.cumulative[mid] as number) > target) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }
}
