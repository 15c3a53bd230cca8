/**
 * Step-up q-values q_(i) = min over j ≥ i of min(1, factor·m/j·p_(j)), returned in input order.
 * factor = 1 is Benjamini–Hochberg; factor = Σ 1/i is Benjamini–Yekutieli.
 */
export function stepUpQValues(pValues: readonly number[], factor: number): number[] {
  for (const p of pValues) {
    if (Number.isNaN(p) || p < 0 || p > 1) throw new RangeError(`p-value out of [0, 1]: ${p}`);
  }
  const m = pValues.length;
  const order = pValues.map((_, i) => i).sort((a, b) => pValues[a]! - pValues[b]! || a - b);
  const q = new Array<number>(m);
  let running = 1;
  for (let rank = m; rank >= 1; rank--) {
    const index = order[rank - 1]!;
    running = Math.min(running, (factor * m * pValues[index]!) / rank);
    q[index] = running;
  }
  return q;
}

/**
 * Benjamini–Hochberg q-values (R: p.adjust(p, "BH")): with p sorted ascending,
 * q_(i) = min over j ≥ i of min(1, m/j · p_(j)). Controls the false discovery rate under
 * independence or positive dependence.
 *
 * @param pValues p-values in [0, 1] (any order, ties allowed).
 * @returns q-values in the input order; [] for empty input.
 * @throws RangeError for NaN or values outside [0, 1] (a bad p-value is a bug upstream).
 */
export function benjaminiHochberg(pValues: readonly number[]): number[] {
  return stepUpQValues(pValues, 1);
}
