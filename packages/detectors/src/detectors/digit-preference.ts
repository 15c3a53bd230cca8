/**
 * digit preference — reported values whose digits betray invention: too many round numbers,
 * skewed last digits, rates heaped on whole percents, first digits far from Benford's law.
 *
 * Scope: an org and a calendar month (local days); values are the `value` fields of its
 * traces, all actions pooled. Tests (H0 for each: the digits are what honest counting gives):
 * - 'last-digit': last digit of integer values ≥ 10 against the shares expected from the values'
 *   own distribution, Pearson χ² with df 9, upper tail (as in Beber & Scacco, Political Analysis
 *   20:211, 2012, who test against equal shares). Equal shares are wrong for small skewed counts:
 *   honest lognormal counts with median 15 end in 0 about 13 % and in 9 about 7 % of the time,
 *   because the cut at 10 and the falling density favour low digits. The null is therefore a
 *   smooth fit of the values' distribution: the histogram of all the tested actors' values
 *   (those < 10 included) smoothed by a kernel that erases any pattern repeating every ten
 *   integers — 1.34·B₁₀ − 0.34·B₂₀, with B_w the moving average over w + 1 integers with half
 *   weights at both ends, which holds every residue mod 10 equally, so digit preference cannot
 *   leak into the fit; the weights cancel the kernel's second moment (1.34·8.5 = 0.34·33.5), so
 *   the fit keeps the density's curvature. Expected digit shares are the fit's mass over v ≥ 10
 *   by last digit (away from the cut they are exactly 10 % each). Measured on exact lognormal
 *   pmfs (median 15–40, σ 0.2–0.5): the fit's digit shares are off by a noncentrality of at most
 *   0.09 per 1,000 values where the values' interquartile range is ≥ 11, but up to 50 where it is
 *   ~4 (a distribution narrower than ten integers has no free last digit, whatever the null).
 *   So only actors whose own integer values have an IQR ≥ 11 (option minSpread) are tested — per
 *   actor, because an org's pooled spread hides one narrow actor (measured on the simulator: a
 *   false finding, w = 0.42, from one actor with counts around 12). Calibration, 1,000 simulated
 *   honest units of rounded lognormal counts each (test 'last-digit null holds for small skewed
 *   honest values', and by hand at n = 1,000): share with p ≤ 0.01 — medians 15–20, σ 0.3–1:
 *   0.0099 (806 units tested; equal shares: 0.62); medians 15–25, σ 0.5–1: 0.0080 (equal shares:
 *   0.46); medians 40–60: 0.0110 (equal shares: 0.014); the share tests 0.003–0.011.
 *   Effect: Cohen's w = √(χ²/n) ≥ 0.2.
 * - 'repeated-last-two': share of those values whose last two digits repeat (11, 22, … 00)
 *   against the same fit's share of such values (10 % away from the cut), one-sided binomial.
 *   Effect: share ≥ 1.5 × expected.
 * - 'round-5' / 'round-10': share of multiples of 5 and of 10 against the fit's shares of
 *   digits {0, 5} and {0} (20 % and 10 % away from the cut), one-sided binomial tests. Effect:
 *   share ≥ 1.5 × expected. The four tests need n ≥ 50 values ≥ 10.
 * - 'last-digit-actor', 'repeated-last-two-actor', 'round-5-actor', 'round-10-actor' (actor
 *   scope): the same four tests on one actor's values (against the fit of its own values), when
 *   the org has ≥ 2 actors with free last digits: one actor who rounds among honest colleagues
 *   is diluted in the org's digits. The runner's Benjamini–Hochberg over all the detector's
 *   p-values takes in every actor-month test; an actor's finding needs q ≤ 0.001
 *   (actorQThreshold). Calibrated with the org tests (share p ≤ 0.01: 0.0105 over 1,531
 *   simulated honest actor-months).
 * - 'rate-heaping': rates value/valueDenominator with integer numerator a and denominator
 *   b ≥ 100: the number H whose percentage lies within ±0.05 of a whole percent, against the
 *   null of Kobak, Shpilkin & Pshenichnikov (AOAS 10:54, 2016) that redraws a* ~ Binomial(b, a/b)
 *   for every rate. The chance q_i that a redrawn rate is heaped is computed exactly (binomial
 *   sums over the heaped numerators), so H* = Σ Bernoulli(q_i) is Poisson-binomial and
 *   p = P(H* ≥ H) is computed exactly (O(n²) recursion over the rates, upper tail summed term by
 *   term, no floor). A Monte Carlo p-value has a floor of 1/(draws + 1): with many units q is then
 *   set by the floor and the family size, not the data, and adding honest units makes real
 *   findings disappear. Boundary: a rate whose minority count min(a, b − a) is below 10 is left
 *   out. Redrawn from an observed rate near 0 % or 100 %, a* reaches the bound (a whole percent)
 *   with chance (a/b)^b, a convex function of the rate, so the redraw overstates the expected
 *   heaped count exactly where turnout-like rates are highest (Kobak et al. likewise leave out
 *   the rates at the bound); with ≥ 10 on the minority side that chance is below e^−10.
 *   n ≥ 50 rates. No effect-size rule besides H ≥ E[H*] + 1 (the cited method has none; an earlier
 *   H ≥ 1.5·E[H*] rule decided most disagreements with the published decisions, so it is gone).
 * - 'benford' (score rule): first significant digit of positive values against Benford,
 *   P(d) = log10(1 + 1/d), only where the law can apply: n ≥ 300 values spanning two orders of
 *   magnitude, max/min ≥ 100 and also between the 10th and 90th percentiles (P90/P10 ≥ 100): a
 *   span made by a few tiny or huge values is not a spread, and count data with one decade of
 *   bulk (per-actor negative-binomial counts, measured on the simulator: MAD 0.027 at
 *   max/min = 126, P90/P10 ≈ 10) do not follow Benford even when honest. Nigrini's
 *   mean absolute deviation MAD = mean_d |observed share − P(d)| with his first-digit bands
 *   (Nigrini, Benford's Law, Wiley 2012): ≤ 0.006 close, ≤ 0.012 acceptable, ≤ 0.015 marginal,
 *   above nonconforming — which fires.
 *
 * Memory: at most 20,000 (option maxValuesPerOrgMonth) latest value records per org and month
 * (LatestRecords; replays are dropped by the engine before they get here). Months are judged
 * once they have ended (asOf). Records older than 400 days (option retentionDays) before the
 * latest day seen are dropped, and a month reaching back past that cutoff is no longer judged.
 */

import { quantileSorted } from 'simple-statistics';
import { RetentionWindow } from '../retention.js';
import { binomialCdf, binomialSf, chiSquareSf, lnGamma } from '../stats/index.js';
import { DEFAULT_UTC_OFFSET_MINUTES, isoToDayNumber, localDayNumber } from '../time.js';
import type { Detector, EvaluateContext, Period, Scope, TestOutcome, TraceRecord } from '../types.js';
import { num, pct, prob, qSuffix } from './support/format.js';
import { seedFromText } from './support/hash.js';
import { LatestRecords } from './support/latest-records.js';
import { endedElsePending, monthOfDay, monthPeriod, startsBefore } from './support/periods.js';
import { mulberry32 } from './support/prng.js';
import { ScopeGroups } from './support/scope-groups.js';

export interface DigitPreferenceOptions {
  /** Latest value records kept per org and month (memory bound). */
  maxValuesPerOrgMonth: number;
  /** Minimum integer values ≥ 10 for the last-digit tests (50: ≥ 5 expected per digit). */
  minValues: number;
  /** The last-digit tests use actors whose integer values have at least this interquartile range. */
  minSpread: number;
  /** last-digit effect: Cohen's w at least this. */
  minCohensW: number;
  /** Share tests' effect: observed share at least this multiple of the expected share. */
  minShareRatio: number;
  /** Minimum rates with denominator ≥ minDenominator for rate-heaping. */
  minRates: number;
  /** Rates with a smaller denominator are left out (at b < 100 every percentage is coarse). */
  minDenominator: number;
  /** Rates with fewer than this on the minority side, min(a, b − a), are left out (the boundary). */
  minMinorityCount: number;
  /** A percentage within this of a whole number is heaped (Kobak et al.: ±0.05). */
  heapingTolerance: number;
  /** Benford: at least this many positive values … */
  minBenfordValues: number;
  /** … spanning at least this ratio, max/min and P90/P10 (two orders of magnitude). */
  minBenfordSpan: number;
  /** Benford fires above this MAD (Nigrini's nonconforming band for first digits). */
  maxBenfordMad: number;
  /** q-value level for the p-value rules (0.01, as burst and backfill). */
  qThreshold: number;
  /**
   * q-value level for the actor-month tests (0.001): they are many (~20,000 actor-months a year
   * for 240 units), and under BH a detector's many true org findings lower the bar for every other
   * test of the family, so at 0.01 an honest actor's rare month passed (measured on bench:quality:
   * 23 of 84 values on multiples of 10, p = 1.3e-5, q = 0.0026); a tenth of the org level keeps
   * the actor tests as a safety net for one actor among honest colleagues.
   */
  actorQThreshold: number;
  /**
   * Days of history kept before the latest day seen; older records are dropped, which bounds
   * memory over time (400: a year of months plus their baselines, as in the other detectors).
   */
  retentionDays: number;
  /** Local time as minutes east of UTC (480: Asia/Shanghai, UTC+8 without daylight saving since 1991). */
  utcOffsetMinutes: number;
}

export const DEFAULT_DIGIT_PREFERENCE_OPTIONS: DigitPreferenceOptions = {
  maxValuesPerOrgMonth: 20_000,
  minValues: 50,
  minSpread: 11,
  minCohensW: 0.2,
  minShareRatio: 1.5,
  minRates: 50,
  minDenominator: 100,
  minMinorityCount: 10,
  heapingTolerance: 0.05,
  minBenfordValues: 300,
  minBenfordSpan: 100,
  maxBenfordMad: 0.015,
  qThreshold: 0.01,
  actorQThreshold: 0.001,
  retentionDays: 400,
  utcOffsetMinutes: DEFAULT_UTC_OFFSET_MINUTES,
};

/** Benford's first-digit probabilities, index d − 1: log10(1 + 1/d). */
export const BENFORD_FIRST_DIGIT: readonly number[] = [1, 2, 3, 4, 5, 6, 7, 8, 9].map((d) => Math.log10(1 + 1 / d));

/**
 * Counts of last digits and Pearson's χ² against expected shares (equal shares by default).
 *
 * @param values non-negative integers.
 * @param shares expected share of each last digit 0–9, all positive, summing to 1.
 * @returns counts[0..9] and χ² = Σ (O_d − n·s_d)² / (n·s_d) (0 for no values).
 */
export function lastDigitChiSquare(
  values: readonly number[],
  shares: readonly number[] = new Array<number>(10).fill(0.1),
): { counts: number[]; chiSquare: number } {
  const counts = new Array<number>(10).fill(0);
  for (const v of values) counts[v % 10]!++;
  const n = values.length;
  const chiSquare = n === 0 ? 0 : counts.reduce((s, c, d) => s + (c - n * shares[d]!) ** 2 / (n * shares[d]!), 0);
  return { counts, chiSquare };
}

/**
 * The smoothing kernel of the last-digit null over offsets −10…10: 1.34·B₁₀ − 0.34·B₂₀, where
 * B_w is the moving average over w + 1 integers with half weights at both ends. Each B_w gives
 * every residue mod 10 the same total weight, and 1.34·8.5 − 0.34·33.5 = 0 cancels the second
 * moment (B₁₀'s variance is 8.5, B₂₀'s 33.5), so the fit is unbiased up to the fourth derivative.
 */
export const DIGIT_NULL_KERNEL: readonly number[] = (() => {
  const box = (width: number, j: number) =>
    Math.abs(j) > width / 2 ? 0 : (Math.abs(j) === width / 2 ? 0.5 : 1) / width;
  return Array.from({ length: 21 }, (_, i) => 1.34 * box(10, i - 10) - 0.34 * box(20, i - 10));
})();

/** Whether the last two digits of a non-negative integer repeat (11, 22, …, 99, and 00). */
export function lastTwoRepeat(v: number): boolean {
  return Math.floor(v / 10) % 10 === v % 10;
}

/**
 * The expected last-digit shares of values ≥ `cut` under a smooth fit of their distribution:
 * the histogram of `values` (those below the cut included: they shape the fit at the cut)
 * convolved with DIGIT_NULL_KERNEL, its mass over v ≥ cut split by last digit.
 *
 * @param values non-negative integers.
 * @returns digitShares[0..9] and repeatedShare (the fit's share of v ≥ cut with repeating last
 *   two digits), each summing over v ≥ cut to 1; null when the fit puts no positive mass there or
 *   a digit's share is not positive (too few values near or above the cut).
 */
export function smoothLastDigitNull(
  values: readonly number[],
  cut = 10,
): { digitShares: number[]; repeatedShare: number } | null {
  const digits = new Array<number>(10).fill(0);
  let repeated = 0;
  const half = (DIGIT_NULL_KERNEL.length - 1) / 2;
  for (const u of values) {
    for (let j = -half; j <= half; j++) {
      const v = u + j;
      if (v < cut) continue;
      const w = DIGIT_NULL_KERNEL[j + half]!;
      digits[v % 10]! += w;
      if (lastTwoRepeat(v)) repeated += w;
    }
  }
  const total = digits.reduce((s, x) => s + x, 0);
  if (!(total > 0) || digits.some((x) => !(x > 0))) return null;
  return { digitShares: digits.map((x) => x / total), repeatedShare: Math.max(0, repeated / total) };
}

/**
 * First significant digit of a positive number (from its exponent form, so 0.0301 → 3 and
 * 1e21 → 1 without rounding trouble).
 *
 * @returns 1–9; undefined for zero, negative or non-finite input.
 */
export function firstDigit(value: number): number | undefined {
  if (!(value > 0) || !Number.isFinite(value)) return undefined;
  return Number(value.toExponential()[0]);
}

export type NigriniConformity = 'close' | 'acceptable' | 'marginal' | 'nonconforming';

/** Nigrini's first-digit MAD bands: ≤ 0.006 close, ≤ 0.012 acceptable, ≤ 0.015 marginal. */
export function nigriniFirstDigitConformity(mad: number): NigriniConformity {
  if (mad <= 0.006) return 'close';
  if (mad <= 0.012) return 'acceptable';
  if (mad <= 0.015) return 'marginal';
  return 'nonconforming';
}

/**
 * Benford first-digit fit: Nigrini's MAD and, for information, Pearson's χ² (df 8).
 *
 * @param values positive numbers (others are ignored).
 * @returns counts[0..8] for digits 1–9, n, MAD = (1/9) Σ |O_d/n − P(d)|, χ²; MAD and χ² are 0
 *   when no value is positive.
 */
export function benfordFit(values: readonly number[]): { counts: number[]; n: number; mad: number; chiSquare: number } {
  const counts = new Array<number>(9).fill(0);
  for (const v of values) {
    const d = firstDigit(v);
    if (d !== undefined) counts[d - 1]!++;
  }
  const n = counts.reduce((s, c) => s + c, 0);
  if (n === 0) return { counts, n, mad: 0, chiSquare: 0 };
  let mad = 0;
  let chiSquare = 0;
  for (let i = 0; i < 9; i++) {
    const expected = BENFORD_FIRST_DIGIT[i]!;
    mad += Math.abs(counts[i]! / n - expected) / 9;
    chiSquare += (counts[i]! - n * expected) ** 2 / (n * expected);
  }
  return { counts, n, mad, chiSquare };
}

/**
 * Whether a/b is within `tolerance` percentage points of a whole percent j, decided as
 * |100a − j·b| ≤ tolerance·b: the left side is an exact integer, and a relative slack of 1e-9
 * absorbs the binary form of 0.05, so rates exactly on the boundary (a = 20j ± 1 at b = 2000,
 * i.e. j ± 0.05 %) count as heaped instead of being lost to rounding.
 *
 * @param a numerator, an integer 0 ≤ a ≤ b.
 * @param b denominator, an integer ≥ 1 (b ≤ 1e12 keeps every product exact).
 */
export function isWholePercent(a: number, b: number, tolerance = 0.05): boolean {
  const j = Math.round((100 * a) / b);
  for (const candidate of [j - 1, j, j + 1]) {
    if (Math.abs(100 * a - candidate * b) <= tolerance * b + 1e-9 * b) return true;
  }
  return false;
}

function binomialPmf(k: number, n: number, p: number): number {
  return Math.exp(lnGamma(n + 1) - lnGamma(k + 1) - lnGamma(n - k + 1) + k * Math.log(p) + (n - k) * Math.log1p(-p));
}

/**
 * The probability that a redrawn numerator a* ~ Binomial(b, a/b) gives a heaped rate, i.e.
 * Σ over whole percents j of P(a* within ±tolerance of j percent of b). Only percents within
 * 10 standard deviations of the mean are summed (the rest is below 1e-22).
 *
 * @param a observed numerator, an integer 0 ≤ a ≤ b.
 * @param b denominator, an integer ≥ 1.
 * @returns a probability in [0, 1]; for a = 0 or a = b the draw cannot move, so 1 (0 % and
 *   100 % are whole percents).
 */
export function heapingProbability(a: number, b: number, tolerance = 0.05): number {
  const p = a / b;
  if (p === 0 || p === 1) return isWholePercent(a, b, tolerance) ? 1 : 0;
  const sd = Math.sqrt(b * p * (1 - p));
  const low = Math.max(0, Math.floor(b * p - 10 * sd));
  const high = Math.min(b, Math.ceil(b * p + 10 * sd));
  let total = 0;
  for (let j = Math.floor((100 * low) / b); j <= Math.ceil((100 * high) / b); j++) {
    const lo = Math.max(low, Math.ceil(((j - tolerance) * b) / 100 - 1e-9));
    const hi = Math.min(high, Math.floor(((j + tolerance) * b) / 100 + 1e-9));
    if (lo > hi) continue;
    if (hi - lo < 8) {
      for (let k = lo; k <= hi; k++) if (isWholePercent(k, b, tolerance)) total += binomialPmf(k, b, p);
    } else {
      total += binomialCdf(hi, b, p) - binomialCdf(lo - 1, b, p);
    }
  }
  return Math.min(1, Math.max(0, total));
}

/**
 * Exact upper tail of a Poisson-binomial count: P(Σ Bernoulli(q_i) ≥ observed).
 *
 * @param probabilities q_i in [0, 1] (1s shift the count, 0s drop out).
 * @param observed the observed count H.
 * @returns the tail probability, summed over the pmf's terms from H up (so a far tail keeps its
 *   relative precision down to the double range; below ~1e-300 it is floored there), and the
 *   mean Σ q_i.
 */
export function poissonBinomialUpperTail(
  probabilities: readonly number[],
  observed: number,
): { pValue: number; mean: number } {
  let certain = 0;
  const uncertain: number[] = [];
  for (const q of probabilities) {
    if (q >= 1) certain++;
    else if (q > 0) uncertain.push(q);
  }
  const mean = certain + uncertain.reduce((s, q) => s + q, 0);
  const need = observed - certain;
  if (need <= 0) return { pValue: 1, mean };
  if (need > uncertain.length) return { pValue: 0, mean };
  // pmf[k] = P(k successes among the first i uncertain items), updated in place from the top
  const pmf = new Float64Array(uncertain.length + 1);
  pmf[0] = 1;
  for (let i = 0; i < uncertain.length; i++) {
    const q = uncertain[i]!;
    for (let k = i + 1; k >= 1; k--) pmf[k] = pmf[k]! * (1 - q) + pmf[k - 1]! * q;
    pmf[0] = pmf[0]! * (1 - q);
  }
  let tail = 0;
  for (let k = uncertain.length; k >= need; k--) tail += pmf[k]!;
  return { pValue: Math.min(1, Math.max(tail, 1e-300)), mean };
}

interface ValueRecord {
  id: string;
  t: number;
  actorId: string;
  value: number;
  denominator: number | undefined;
}

interface OrgMonth {
  platformId: string;
  orgId: string;
  /** The month, 'YYYY-MM'. */
  part: string;
  values: LatestRecords<ValueRecord>;
}

const DETECTOR = 'digit-preference' as const;

function median(sorted: readonly number[]): number {
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function createDigitPreferenceDetector(options: Partial<DigitPreferenceOptions> = {}): Detector {
  const opts = { ...DEFAULT_DIGIT_PREFERENCE_OPTIONS, ...options };
  const groups = new ScopeGroups<OrgMonth>((platformId, orgId, part) => ({
    platformId,
    orgId,
    part,
    values: new LatestRecords(opts.maxValuesPerOrgMonth),
  }));
  const retention = new RetentionWindow(opts.retentionDays);

  function observe(record: TraceRecord): void {
    if (record.value === undefined || !Number.isFinite(record.value)) return;
    const day = localDayNumber(record.occurredAt, opts.utcOffsetMinutes);
    if (!retention.admit(day)) return;
    groups.get(record.platformId, record.orgId, monthOfDay(day)).values.add({
      id: record.id,
      t: record.occurredAt,
      actorId: record.actorId,
      value: record.value,
      denominator: record.valueDenominator,
    });
  }

  /**
   * The plain integer values (not rates) of the actors whose own such values have an IQR ≥
   * minSpread: all of them (`fit`, which shapes the null) and those ≥ 10 (`tested`).
   */
  function freeLastDigitValues(records: readonly ValueRecord[]): Map<string, number[]> {
    const byActor = new Map<string, number[]>();
    for (const r of records) {
      if (r.denominator !== undefined || !Number.isInteger(r.value) || r.value < 0) continue;
      const list = byActor.get(r.actorId);
      if (list === undefined) byActor.set(r.actorId, [r.value]);
      else list.push(r.value);
    }
    const free = new Map<string, number[]>();
    for (const actor of [...byActor.keys()].sort()) {
      const own = [...byActor.get(actor)!].sort((a, b) => a - b);
      if (quantileSorted(own, 0.75) - quantileSorted(own, 0.25) >= opts.minSpread) free.set(actor, own);
    }
    return free;
  }

  /** The four last-digit tests of some values (those ≥ 10 tested, all shaping the null), if n suffices. */
  function lastDigitOutcomes(fit: readonly number[], c: Common): TestOutcome[] {
    const tested = fit.filter((v) => v >= 10);
    const digitNull = tested.length >= opts.minValues ? smoothLastDigitNull(fit) : null;
    if (digitNull === null) return [];
    return [lastDigitOutcome(tested, digitNull.digitShares, c), ...shareOutcomes(tested, digitNull, c)];
  }

  function evaluate(ctx: EvaluateContext): TestOutcome[] {
    const outcomes: TestOutcome[] = [];
    for (const group of groups.inOrder()) {
      const period = monthPeriod(group.part);
      if (isoToDayNumber(period.end) < retention.cutoff()) {
        groups.delete(group); // wholly older than the retention window
        continue;
      }
      const scope: Scope = { kind: 'org', platformId: group.platformId, orgId: group.orgId };
      if (
        startsBefore(period, retention.cutoff()) ||
        !endedElsePending(ctx, DETECTOR, scope, period, opts.utcOffsetMinutes)
      ) {
        continue;
      }
      const records = group.values.sorted();
      const plain = records.filter((r) => r.denominator === undefined).map((r) => r.value);
      const free = freeLastDigitValues(records);
      const common: Common = {
        scope,
        period,
        truncated: group.values.truncated,
        orgId: group.orgId,
        who: { zh: `单位 ${group.orgId}`, en: `org ${group.orgId}` },
        ruleSuffix: '',
      };
      outcomes.push(...lastDigitOutcomes([...free.values()].flat(), common));
      // one actor rounding among honest colleagues is diluted in the org's digits: test actors too
      if (free.size >= 2) {
        for (const [actorId, own] of free) {
          const actorScope: Scope = { ...scope, kind: 'actor', actorId };
          const who = { zh: `单位 ${group.orgId} 的账号 ${actorId}`, en: `actor ${actorId} of org ${group.orgId}` };
          outcomes.push(...lastDigitOutcomes(own, { ...common, scope: actorScope, who, ruleSuffix: '-actor' }));
        }
      }
      const candidates = records.filter(
        (r) =>
          r.denominator !== undefined &&
          Number.isInteger(r.denominator) &&
          r.denominator >= opts.minDenominator &&
          r.denominator <= 1e12 &&
          Number.isInteger(r.value) &&
          r.value >= 0 &&
          r.value <= r.denominator,
      );
      const rates = candidates.filter((r) => Math.min(r.value, r.denominator! - r.value) >= opts.minMinorityCount);
      if (rates.length >= opts.minRates) {
        outcomes.push(rateHeapingOutcome(rates, candidates.length - rates.length, common));
      }
      const positive = plain.filter((v) => v > 0);
      if (positive.length >= opts.minBenfordValues) {
        const sorted = [...positive].sort((a, b) => a - b);
        const span = sorted[sorted.length - 1]! / sorted[0]!;
        const bulkSpan = quantileSorted(sorted, 0.9) / quantileSorted(sorted, 0.1);
        if (span >= opts.minBenfordSpan && bulkSpan >= opts.minBenfordSpan) {
          outcomes.push(benfordOutcome(positive, span, bulkSpan, common));
        }
      }
    }
    return outcomes;
  }

  interface Common {
    scope: Scope;
    period: Period;
    truncated: boolean;
    orgId: string;
    /** Who reported the values, for the explanations. */
    who: { zh: string; en: string };
    /** '' for the org's tests, '-actor' for an actor's. */
    ruleSuffix: string;
  }

  function lastDigitOutcome(values: readonly number[], shares: readonly number[], c: Common): TestOutcome {
    const { counts, chiSquare } = lastDigitChiSquare(values, shares);
    const n = values.length;
    const pValue = chiSquareSf(chiSquare, 9);
    const w = Math.sqrt(chiSquare / n);
    // the digit most over its expected share
    let top = 0;
    for (let d = 1; d < 10; d++) if (counts[d]! / shares[d]! > counts[top]! / shares[top]!) top = d;
    return {
      detector: DETECTOR,
      rule: `last-digit${c.ruleSuffix}`,
      scope: c.scope,
      period: c.period,
      pValue,
      qThreshold: c.scope.kind === 'actor' ? opts.actorQThreshold : opts.qThreshold,
      effectMet: w >= opts.minCohensW,
      score: w,
      statistics: {
        chiSquare,
        df: 9,
        n,
        cohensW: w,
        topDigit: top,
        topDigitShare: counts[top]! / n,
        topDigitExpectedShare: shares[top]!,
      },
      evidence: { lastDigitCounts: counts, expectedShares: shares, truncated: c.truncated },
      explain: (q) => {
        const qs = qSuffix(q);
        return {
          'zh-CN':
            `末位数字检验（卡方检验，对照由数值自身分布平滑拟合得到的各末位期望占比）：${c.who.zh} 在 ${c.period.start} 至 ${c.period.end} 上报的 ${n} 个不小于 10 的整数中，` +
            `末位为 ${top} 的占 ${pct(counts[top]! / n)}，期望约 ${pct(shares[top]!)}；χ² = ${num(chiSquare)}（自由度 9），p = ${prob(pValue)}${qs.zh}，效应量 w = ${num(w)}（阈值 ${opts.minCohensW}）。` +
            `如实统计的数字末位接近这些期望占比（远离 10 时每个数字约占 10%）。`,
          en:
            `Last-digit test (χ² against the digit shares of a smooth fit of the values' own distribution): of ${n} integer ` +
            `values ≥ 10 reported by ${c.who.en} from ${c.period.start} to ${c.period.end}, ${pct(counts[top]! / n)} end in ` +
            `${top}, against ${pct(shares[top]!)} expected; χ² = ${num(chiSquare)} (df 9), p = ${prob(pValue)}${qs.en}, effect ` +
            `size w = ${num(w)} (threshold ${opts.minCohensW}). Honest counts come close to these shares (about 10% per digit ` +
            `away from 10).`,
        };
      },
    };
  }

  function shareOutcomes(
    values: readonly number[],
    digitNull: { digitShares: readonly number[]; repeatedShare: number },
    c: Common,
  ): TestOutcome[] {
    const n = values.length;
    const [zero, , , , , five] = digitNull.digitShares as [number, number, number, number, number, number];
    const tests = [
      {
        rule: 'repeated-last-two',
        expected: digitNull.repeatedShare,
        hits: values.filter(lastTwoRepeat).length,
        zh: '末两位相同（如 11、22、…、00）',
        en: 'last two digits repeated (11, 22, … 00)',
      },
      {
        rule: 'round-5',
        expected: zero + five,
        hits: values.filter((v) => v % 5 === 0).length,
        zh: '为 5 的倍数',
        en: 'multiples of 5',
      },
      {
        rule: 'round-10',
        expected: zero,
        hits: values.filter((v) => v % 10 === 0).length,
        zh: '为 10 的倍数',
        en: 'multiples of 10',
      },
    ];
    return tests.map((t) => {
      const share = t.hits / n;
      const pValue = binomialSf(t.hits, n, t.expected);
      return {
        detector: DETECTOR,
        rule: `${t.rule}${c.ruleSuffix}`,
        scope: c.scope,
        period: c.period,
        pValue,
        qThreshold: c.scope.kind === 'actor' ? opts.actorQThreshold : opts.qThreshold,
        effectMet: share >= opts.minShareRatio * t.expected,
        score: share / t.expected,
        statistics: { n, hits: t.hits, share, expectedShare: t.expected },
        evidence: { truncated: c.truncated },
        explain: (q: number | null) => {
          const qs = qSuffix(q);
          return {
            'zh-CN':
              `整数偏好检验（单侧二项检验）：${c.who.zh} 在 ${c.period.start} 至 ${c.period.end} 上报的 ${n} 个不小于 10 的整数中，` +
              `${t.hits} 个${t.zh}，占 ${pct(share)}；按数值自身分布的平滑拟合，如实统计时约占 ${pct(t.expected)}。p = ${prob(pValue)}${qs.zh}。`,
            en:
              `Round-number test (one-sided binomial): of ${n} integer values ≥ 10 reported by ${c.who.en} from ` +
              `${c.period.start} to ${c.period.end}, ${t.hits} (${pct(share)}) are ${t.en}; a smooth fit of the ` +
              `values' own distribution gives about ${pct(t.expected)}. p = ${prob(pValue)}${qs.en}.`,
          };
        },
      };
    });
  }

  /** @param boundary rates left out for their minority count (near 0 % or 100 %). */
  function rateHeapingOutcome(rates: readonly ValueRecord[], boundary: number, c: Common): TestOutcome {
    const cache = new Map<string, number>();
    const probabilities = rates.map((r) => {
      const key = `${r.value}/${r.denominator}`;
      let q = cache.get(key);
      if (q === undefined) {
        q = heapingProbability(r.value, r.denominator!, opts.heapingTolerance);
        cache.set(key, q);
      }
      return q;
    });
    const heaped = rates.filter((r) => isWholePercent(r.value, r.denominator!, opts.heapingTolerance)).length;
    const { pValue, mean: expected } = poissonBinomialUpperTail(probabilities, heaped);
    const n = rates.length;
    return {
      detector: DETECTOR,
      rule: 'rate-heaping',
      scope: c.scope,
      period: c.period,
      pValue,
      qThreshold: opts.qThreshold,
      effectMet: heaped >= expected + 1,
      score: expected > 0 ? heaped / expected : heaped,
      statistics: { n, heaped, expectedHeaped: expected, leftOutAtBoundary: boundary },
      evidence: {
        tolerancePercentPoints: opts.heapingTolerance,
        minMinorityCount: opts.minMinorityCount,
        truncated: c.truncated,
      },
      explain: (q) => {
        const qs = qSuffix(q);
        return {
          'zh-CN':
            `比率整百分比堆积检验（Kobak 等 2016 的二项重抽零假设，精确泊松二项尾概率）：单位 ${c.orgId} 在 ${c.period.start} 至 ${c.period.end} 上报的 ${n} 个比率` +
            `（分母不小于 ${opts.minDenominator}，另有 ${boundary} 个接近 0% 或 100% 的比率未计入）中，${heaped} 个恰好落在整百分比（误差不超过 ${opts.heapingTolerance} 个百分点）；` +
            `按各自分子分母以二项分布重抽，预计约 ${num(expected)} 个。p = ${prob(pValue)}${qs.zh}。`,
          en:
            `Whole-percent heaping of rates (binomial-redraw null of Kobak, Shpilkin and Pshenichnikov 2016, exact ` +
            `Poisson-binomial tail): of ${n} rates with denominator ≥ ${opts.minDenominator} reported by org ${c.orgId} from ` +
            `${c.period.start} to ${c.period.end} (${boundary} more near 0% or 100% left out), ${heaped} sit on a whole percent ` +
            `(within ${opts.heapingTolerance} points); redrawing each numerator from its binomial gives about ${num(expected)}. ` +
            `p = ${prob(pValue)}${qs.en}.`,
        };
      },
    };
  }

  function benfordOutcome(values: readonly number[], span: number, bulkSpan: number, c: Common): TestOutcome {
    const fit = benfordFit(values);
    const conformity = nigriniFirstDigitConformity(fit.mad);
    const zhBand = { close: '高度符合', acceptable: '可接受', marginal: '勉强符合', nonconforming: '不符合' }[
      conformity
    ];
    return {
      detector: DETECTOR,
      rule: 'benford',
      scope: c.scope,
      period: c.period,
      pValue: null,
      qThreshold: 1,
      effectMet: fit.mad > opts.maxBenfordMad,
      score: fit.mad,
      statistics: { n: fit.n, mad: fit.mad, chiSquare: fit.chiSquare, span, interdecileSpan: bulkSpan },
      evidence: {
        firstDigitCounts: fit.counts,
        benfordExpected: BENFORD_FIRST_DIGIT,
        conformity,
        truncated: c.truncated,
      },
      explain: () => ({
        'zh-CN':
          `本福特定律首位数字检验（Nigrini 平均绝对偏差 MAD）：单位 ${c.orgId} 在 ${c.period.start} 至 ${c.period.end} 上报的 ${fit.n} 个正数` +
          `（最大值是最小值的 ${num(span)} 倍）首位数字分布与本福特定律的 MAD = ${num(fit.mad)}，属于“${zhBand}”档。` +
          `跨越多个数量级的真实数据首位为 1 的约占 30.1%，MAD 通常不超过 0.012；超过 ${opts.maxBenfordMad} 为不符合。`,
        en:
          `Benford first-digit test (Nigrini's mean absolute deviation): the ${fit.n} positive values reported by org ${c.orgId} ` +
          `from ${c.period.start} to ${c.period.end} (largest ${num(span)}× the smallest) deviate from Benford's law by ` +
          `MAD = ${num(fit.mad)}, Nigrini's "${conformity}" band. Real data spanning orders of magnitude start with 1 about 30.1% ` +
          `of the time and stay within MAD 0.012; above ${opts.maxBenfordMad} is nonconforming.`,
      }),
    };
  }

  return { name: DETECTOR, observe, evaluate };
}
