/** Small summaries the tests use to check the properties the simulator claims. */

/**
 * Arithmetic mean.
 * @returns NaN for an empty list
 */
export function mean(xs: readonly number[]): number {
  if (xs.length === 0) return Number.NaN;
  let s = 0;
  for (const x of xs) s += x;
  return s / xs.length;
}

/**
 * Sample variance with the n − 1 denominator.
 * @returns NaN for fewer than two values; 0 for a constant list
 */
export function variance(xs: readonly number[]): number {
  if (xs.length < 2) return Number.NaN;
  const m = mean(xs);
  let s = 0;
  for (const x of xs) s += (x - m) ** 2;
  return s / (xs.length - 1);
}

/**
 * Index of dispersion s²/x̄ of counts (1 for Poisson, > 1 overdispersed).
 * @returns NaN for fewer than two values or a zero mean
 */
export function dispersionIndex(counts: readonly number[]): number {
  const m = mean(counts);
  return m > 0 ? variance(counts) / m : Number.NaN;
}

/**
 * Burstiness B = (σ − μ)/(σ + μ) of inter-event gaps (Goh & Barabási 2008), σ the
 * population standard deviation: −1 periodic, 0 Poisson, > 0 bursty.
 * @returns NaN for an empty list or all-zero gaps
 */
export function burstiness(gaps: readonly number[]): number {
  if (gaps.length === 0) return Number.NaN;
  const m = mean(gaps);
  let s = 0;
  for (const g of gaps) s += (g - m) ** 2;
  const sd = Math.sqrt(s / gaps.length);
  return sd + m > 0 ? (sd - m) / (sd + m) : Number.NaN;
}

/**
 * Pearson χ² of observed counts against equal expected counts.
 * @returns NaN when the total is 0
 */
export function chiSquareUniform(observed: readonly number[]): number {
  const total = observed.reduce((s, o) => s + o, 0);
  if (total === 0) return Number.NaN;
  const expected = total / observed.length;
  return observed.reduce((s, o) => s + (o - expected) ** 2 / expected, 0);
}

/**
 * Linear-interpolated quantile (type 7) of a list.
 * @param q in [0, 1]
 * @returns NaN for an empty list
 */
export function quantile(xs: readonly number[], q: number): number {
  if (xs.length === 0) return Number.NaN;
  const sorted = [...xs].sort((a, b) => a - b);
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.ceil(h);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}
