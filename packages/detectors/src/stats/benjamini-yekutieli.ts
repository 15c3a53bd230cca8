import { stepUpQValues } from './benjamini-hochberg.js';

/**
 * Benjamini–Yekutieli q-values (R: p.adjust(p, "BY")): the BH q-values multiplied by
 * c(m) = Σ_{i=1..m} 1/i (capped at 1). Controls the false discovery rate under any dependence,
 * for tests on one unit that overlap heavily.
 *
 * @param pValues p-values in [0, 1].
 * @returns q-values in the input order; [] for empty input.
 * @throws RangeError for NaN or values outside [0, 1].
 */
export function benjaminiYekutieli(pValues: readonly number[]): number[] {
  let harmonic = 0;
  for (let i = 1; i <= pValues.length; i++) harmonic += 1 / i;
  return stepUpQValues(pValues, harmonic);
}
