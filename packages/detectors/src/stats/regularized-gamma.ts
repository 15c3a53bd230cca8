import { lnGamma } from './ln-gamma.js';

const EPSILON = 1e-15;
/** Smallest magnitude allowed in Lentz's algorithm, so no step divides by zero. */
const TINY = 1e-300;
/**
 * Both expansions need O(√a) terms near x ≈ a; 100 000 covers a up to ~1e8, far beyond any
 * count the detectors test. Past the cap the best estimate is returned (never throw).
 */
const MAX_ITERATIONS = 100_000;

/** ln of the common factor x^a e^(−x) / Γ(a). */
function logPrefactor(a: number, x: number): number {
  return a * Math.log(x) - x - lnGamma(a);
}

/** P(a, x) by its power series (Numerical Recipes §6.2); converges fast for x < a + 1. */
function lowerBySeries(a: number, x: number): number {
  let term = 1 / a;
  let sum = term;
  for (let n = 1; n < MAX_ITERATIONS; n++) {
    term *= x / (a + n);
    sum += term;
    if (Math.abs(term) < Math.abs(sum) * EPSILON) break;
  }
  return sum * Math.exp(logPrefactor(a, x));
}

/** Q(a, x) by its continued fraction, modified Lentz (Numerical Recipes §6.2); for x ≥ a + 1. */
function upperByContinuedFraction(a: number, x: number): number {
  let b = x + 1 - a;
  let c = 1 / TINY;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < MAX_ITERATIONS; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < TINY) d = TINY;
    c = b + an / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < EPSILON) break;
  }
  return Math.exp(logPrefactor(a, x)) * h;
}

/** Whether the arguments are outside the domain (a > 0, x ≥ 0). */
function invalid(a: number, x: number): boolean {
  return Number.isNaN(a) || Number.isNaN(x) || a <= 0 || x < 0 || a === Number.POSITIVE_INFINITY;
}

/**
 * Regularized lower incomplete gamma function P(a, x) = γ(a, x) / Γ(a).
 *
 * The series is used where it converges fast (x < a + 1), otherwise 1 − Q by the continued
 * fraction, so whichever of P and Q is small is computed directly (full relative precision).
 *
 * @param a shape, > 0.
 * @param x ≥ 0; +Infinity gives 1.
 * @returns P(a, x) in [0, 1]; 0 at x = 0; NaN outside the domain.
 */
export function regularizedGammaP(a: number, x: number): number {
  if (invalid(a, x)) return Number.NaN;
  if (x === 0) return 0;
  if (x === Number.POSITIVE_INFINITY) return 1;
  if (x < a + 1) return Math.min(1, lowerBySeries(a, x));
  return Math.max(0, 1 - upperByContinuedFraction(a, x));
}

/**
 * Regularized upper incomplete gamma function Q(a, x) = 1 − P(a, x), accurate in the far
 * upper tail (computed directly by the continued fraction there, not as 1 − P).
 *
 * @param a shape, > 0.
 * @param x ≥ 0; +Infinity gives 0.
 * @returns Q(a, x) in [0, 1]; 1 at x = 0; NaN outside the domain.
 */
export function regularizedGammaQ(a: number, x: number): number {
  if (invalid(a, x)) return Number.NaN;
  if (x === 0) return 1;
  if (x === Number.POSITIVE_INFINITY) return 0;
  if (x < a + 1) return Math.max(0, 1 - lowerBySeries(a, x));
  return Math.min(1, upperByContinuedFraction(a, x));
}
