import { normalSf } from './normal.js';
import { regularizedBeta } from './regularized-beta.js';

/**
 * Upper tail of Student's t distribution, P(T_df > t) (R: pt(t, df, lower.tail = FALSE)).
 *
 * For t ≥ 0, P(T > t) = ½·I_x(df/2, ½) with x = df / (df + t²) (Abramowitz & Stegun 26.7.1 via
 * the incomplete beta function); for t < 0 it is 1 − P(T > −t). The tail is computed directly,
 * so small tails keep their relative precision. Used where a z statistic is divided by an
 * estimated dispersion with df degrees of freedom (quasi-Poisson inference).
 *
 * @param t any real; +Infinity gives 0, −Infinity 1.
 * @param df degrees of freedom, > 0 (need not be an integer); +Infinity is the normal.
 * @returns probability in [0, 1]; NaN for df ≤ 0 or NaN arguments.
 */
export function studentTSf(t: number, df: number): number {
  if (Number.isNaN(t) || Number.isNaN(df) || !(df > 0)) return Number.NaN;
  if (t === Number.POSITIVE_INFINITY) return 0;
  if (t === Number.NEGATIVE_INFINITY) return 1;
  if (df === Number.POSITIVE_INFINITY) return normalSf(t);
  const upper = 0.5 * regularizedBeta(df / (df + t * t), df / 2, 0.5);
  return t >= 0 ? upper : 1 - upper;
}
