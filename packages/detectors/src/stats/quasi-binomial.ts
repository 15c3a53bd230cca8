import { regularizedBetaTails } from './regularized-beta.js';

export interface BinomialGroup {
  /** trials */
  n: number;
  /** successes */
  b: number;
}

/**
 * Overdispersion of binomial counts around their pooled share p̂ = Σb / Σn, Pearson χ² / df:
 * φ = Σ (b_i − n_i·p̂)² / (n_i·p̂·(1 − p̂)) / (k − 1) — the quasi-binomial dispersion estimate
 * (McCullagh & Nelder 1989, §4.5). φ ≈ 1 for independent trials; clustered successes (a clerk
 * entering a week of paperwork at once, units that differ in their habits) make it larger.
 *
 * @param groups groups with n = 0 are left out.
 * @returns φ and its degrees of freedom k − 1; φ is NaN when df < 1 or p̂ is 0 or 1 (no spread
 *   can be measured).
 */
export function binomialOverdispersion(groups: readonly BinomialGroup[]): { phi: number; df: number } {
  let n = 0;
  let b = 0;
  let k = 0;
  for (const g of groups) {
    if (g.n > 0) {
      n += g.n;
      b += g.b;
      k += 1;
    }
  }
  const df = k - 1;
  const p = b / n;
  if (df < 1 || !(p > 0 && p < 1)) return { phi: Number.NaN, df: Math.max(0, df) };
  let chi2 = 0;
  for (const g of groups) {
    if (g.n > 0) chi2 += (g.b - g.n * p) ** 2 / (g.n * p * (1 - p));
  }
  return { phi: chi2 / df, df };
}

/**
 * Upper tail P(X ≥ b) of a quasi-binomial count: b successes of n with variance φ·n·p·(1 − p).
 * The binomial tail of the effective counts b/φ of n/φ (Kish's effective sample size), through
 * its continuous form I_p(b/φ, (n − b)/φ + 1). φ = 1 gives the exact binomial tail
 * (binomialSf); as n grows it agrees with the normal test z = (b − n·p) / √(φ·n·p·(1 − p)).
 *
 * @param b successes, 0 ≤ b ≤ n.
 * @param phi dispersion ≥ 1 (smaller values are raised to 1: never more confident than binomial).
 * @returns probability in [0, 1]; NaN for invalid input.
 */
export function quasiBinomialSf(b: number, n: number, p: number, phi: number): number {
  if (![b, n, p, phi].every(Number.isFinite) || n < 0 || b > n || p < 0 || p > 1) return Number.NaN;
  if (b <= 0) return 1;
  if (p === 0) return 0;
  if (p === 1) return 1;
  const f = Math.max(1, phi);
  return regularizedBetaTails(p, b / f, (n - b) / f + 1).lower;
}
