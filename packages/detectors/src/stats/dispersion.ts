import { chiSquareCdf } from './chi-square.js';

/** Result of a Pearson dispersion test (see `pearsonDispersion`). */
export interface DispersionTest {
  /** Number of counts. */
  n: number;
  /** Degrees of freedom, n − 1 (the level is estimated from the counts). */
  df: number;
  /** Estimated level: Σx / Σw, the expected count of a day of weight 1. */
  level: number;
  /** Pearson's X² = Σ (x_i − e_i)² / e_i with e_i = level · w_i. */
  chiSquare: number;
  /** X² / df: about 1 for Poisson counts, above 1 for overdispersed ones, near 0 for too-steady ones. */
  dispersion: number;
  /** Lower tail P(χ²_df ≤ X²): small when the counts vary less than Poisson counts would. */
  lowerTailP: number;
  /** The expected counts e_i. */
  expected: number[];
}

/**
 * Pearson dispersion of counts against expected counts proportional to given weights.
 *
 * With e_i = level · w_i and level = Σx / Σw (so Σe = Σx), X² = Σ (x_i − e_i)² / e_i. Under
 * independent Poisson counts with means proportional to the weights, X² ~ χ²(n − 1)
 * approximately (one degree of freedom for the estimated level). With equal weights this is the
 * classical index-of-dispersion test: X² = (n − 1)·s² / x̄ and X² / df = s² / x̄.
 *
 * Testing against expected counts, rather than dividing the counts by the weights, keeps a
 * constant series nearly constant: dividing by noisy weights would add their noise as variance.
 *
 * @param counts observed counts x_i (non-negative).
 * @param weights relative expected counts w_i, same length, each > 0.
 * @returns the test, or null when there are fewer than 2 counts, the lengths differ, a weight is
 *   not positive, or every count is 0 (no level to test against). A constant series with equal
 *   weights gives X² = 0 and lowerTailP = 0.
 */
export function pearsonDispersion(counts: readonly number[], weights: readonly number[]): DispersionTest | null {
  const n = counts.length;
  if (n < 2 || weights.length !== n) return null;
  let total = 0;
  let weightTotal = 0;
  for (let i = 0; i < n; i++) {
    const w = weights[i]!;
    if (!(w > 0)) return null;
    total += counts[i]!;
    weightTotal += w;
  }
  if (!(total > 0)) return null;
  const level = total / weightTotal;
  const expected = weights.map((w) => level * w);
  let chiSquare = 0;
  for (let i = 0; i < n; i++) chiSquare += (counts[i]! - expected[i]!) ** 2 / expected[i]!;
  const df = n - 1;
  return { n, df, level, chiSquare, dispersion: chiSquare / df, lowerTailP: chiSquareCdf(chiSquare, df), expected };
}

/** Counts and their expected counts, the expectation scaled to the group's own level (Σe = Σx). */
export interface OverdispersionGroup {
  observed: readonly number[];
  expected: readonly number[];
}

/**
 * Overdispersion of daily counts around their expected counts, weighted by the expected counts,
 * pooled over groups that each have their own level (e.g. consecutive 4-week blocks):
 * φ = Σ_g Σ (x − e)² / Σ_g (Σe − Σe²/Σe). With Var(x_d) = φ·e_d and e scaled so that Σe = Σx
 * in each group (one estimated level per group), E[Σ (x − e)²] = φ·(Σe − Σe²/Σe) per group, so
 * φ is estimated without bias; with equal e it is s²/x̄. Unlike Pearson χ²/df, which averages the
 * days' ratios equally, it weights each day by its volume, as the variance of a window's sum
 * does: weekend days with a handful of traces and Poisson-like noise do not dilute the
 * overdispersion of the working days.
 *
 * @param groups days with e ≤ 0 are left out; a group left with no degree of freedom (fewer than
 *   2 such days) adds nothing.
 * @returns φ (0 when no group has a degree of freedom) and its degrees of freedom Σ (n_g − 1).
 */
export function volumeWeightedOverdispersion(groups: readonly OverdispersionGroup[]): { phi: number; df: number } {
  let squares = 0;
  let denominator = 0;
  let df = 0;
  for (const { observed, expected } of groups) {
    let groupSquares = 0;
    let sum = 0;
    let sumSquares = 0;
    let n = 0;
    for (let i = 0; i < observed.length; i++) {
      const e = expected[i]!;
      if (!(e > 0)) continue;
      groupSquares += (observed[i]! - e) ** 2;
      sum += e;
      sumSquares += e * e;
      n += 1;
    }
    const groupDenominator = n >= 2 ? sum - sumSquares / sum : 0;
    if (!(groupDenominator > 1e-12 * sum)) continue;
    squares += groupSquares;
    denominator += groupDenominator;
    df += n - 1;
  }
  return { phi: denominator > 0 ? squares / denominator : 0, df };
}
