import { gammaln } from 'simple-statistics';

/**
 * Natural logarithm of the gamma function, ln Γ(x), for x > 0.
 *
 * Delegates to simple-statistics' Lanczos approximation (g = 607/128, 15 terms; relative
 * error ~1e-15 over x > 0), adding an explicit domain decision.
 *
 * @param x any real number.
 * @returns ln Γ(x) for x > 0; +Infinity at x = 0 (the pole); NaN for x < 0 or NaN (the
 *   statistics here never need the reflection formula, and a silent wrong sign would be worse).
 */
export function lnGamma(x: number): number {
  if (Number.isNaN(x) || x < 0) return Number.NaN;
  if (x === 0) return Number.POSITIVE_INFINITY;
  if (x === Number.POSITIVE_INFINITY) return Number.POSITIVE_INFINITY;
  return gammaln(x);
}
