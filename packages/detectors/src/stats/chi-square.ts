import { regularizedGammaP, regularizedGammaQ } from './regularized-gamma.js';

function invalid(x: number, df: number): boolean {
  return Number.isNaN(x) || Number.isNaN(df) || df <= 0;
}

/**
 * Lower tail of the χ² distribution, P(χ²_df ≤ x) = P(df/2, x/2) (R: pchisq(x, df)).
 *
 * @param x statistic; x ≤ 0 gives 0.
 * @param df degrees of freedom, > 0 (need not be an integer).
 * @returns probability in [0, 1]; NaN for df ≤ 0 or NaN arguments.
 */
export function chiSquareCdf(x: number, df: number): number {
  if (invalid(x, df)) return Number.NaN;
  if (x <= 0) return 0;
  return regularizedGammaP(df / 2, x / 2);
}

/**
 * Upper tail of the χ² distribution, P(χ²_df > x) = Q(df/2, x/2), accurate for tiny tails
 * (R: pchisq(x, df, lower.tail = FALSE)).
 *
 * @param x statistic; x ≤ 0 gives 1.
 * @param df degrees of freedom, > 0.
 * @returns probability in [0, 1]; NaN for df ≤ 0 or NaN arguments.
 */
export function chiSquareSf(x: number, df: number): number {
  if (invalid(x, df)) return Number.NaN;
  if (x <= 0) return 1;
  return regularizedGammaQ(df / 2, x / 2);
}
