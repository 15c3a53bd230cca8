import { regularizedBetaTails } from './regularized-beta.js';

function invalid(k: number, n: number, p: number): boolean {
  return Number.isNaN(k) || !Number.isInteger(n) || n < 0 || Number.isNaN(p) || p < 0 || p > 1;
}

/**
 * Upper tail of the binomial distribution, P(X ≥ k) for X ~ Binomial(n, p)
 * (R: pbinom(k − 1, n, p, lower.tail = FALSE)).
 *
 * Exact for any n via P(X ≥ k) = I_p(k, n − k + 1); no summation of terms.
 *
 * @param k threshold; non-integers are rounded up (P(X ≥ 2.5) = P(X ≥ 3)); k ≤ 0 gives 1, k > n gives 0.
 * @param n number of trials, a non-negative integer.
 * @param p success probability in [0, 1].
 * @returns probability in [0, 1]; NaN for invalid n or p.
 */
export function binomialSf(k: number, n: number, p: number): number {
  if (invalid(k, n, p)) return Number.NaN;
  const j = Math.ceil(k);
  if (j <= 0) return 1;
  if (j > n) return 0;
  if (p === 0) return 0;
  if (p === 1) return 1;
  return regularizedBetaTails(p, j, n - j + 1).lower;
}

/**
 * Lower tail of the binomial distribution, P(X ≤ k) for X ~ Binomial(n, p) (R: pbinom(k, n, p)).
 *
 * Exact via P(X ≤ k) = 1 − I_p(k + 1, n − k), the complement computed directly when small.
 *
 * @param k threshold; non-integers are rounded down; k < 0 gives 0, k ≥ n gives 1.
 * @param n number of trials, a non-negative integer.
 * @param p success probability in [0, 1].
 * @returns probability in [0, 1]; NaN for invalid n or p.
 */
export function binomialCdf(k: number, n: number, p: number): number {
  if (invalid(k, n, p)) return Number.NaN;
  const j = Math.floor(k);
  if (j < 0) return 0;
  if (j >= n) return 1;
  if (p === 0) return 1;
  if (p === 1) return 0;
  return regularizedBetaTails(p, j + 1, n - j).upper;
}
