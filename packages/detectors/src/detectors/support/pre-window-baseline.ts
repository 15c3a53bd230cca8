/**
 * The machinery burst-before-evaluation and burst-rising share: the pre-windows of the
 * evaluations covering a unit, the unit's day profile (own, platform-pooled or flat), and the
 * baseline of a pre-window — its eligible days, level, overdispersion φ and the ramp-up check.
 * The methods and their reasons are documented in burst-before-evaluation's module comment.
 */
import type { Evaluation } from '@tracewatch/schema';
import type { Calendar } from '../../calendar/calendar.js';
import { chooseDayProfile, type DayProfile, estimateDayProfile } from '../../calendar/day-profile.js';
import {
  evaluationCoversOrg,
  evaluationCoversPlatform,
  evaluationEndDay,
  evaluationStartDay,
} from '../../evaluations.js';
import { dayRange } from '../../retention.js';
import { volumeWeightedOverdispersion } from '../../stats/dispersion.js';
import { studentTSf } from '../../stats/student-t.js';
import type { EvaluateContext } from '../../types.js';

/** The settings of a pre-window and its baseline (burst-before-evaluation's defaults apply). */
export interface PreWindowBaselineOptions {
  preWindowDays: number;
  baselineDays: number;
  maxBaselineLookbackDays: number;
  dispersionBlocks: number;
  maxBaselineTrend: number;
  baselineTrendP: number;
  calendar: Calendar;
  utcOffsetMinutes: number;
}

/** One pre-window to test: day E and the evaluations that start on it. */
export interface EvaluationWindow {
  startDay: number;
  endDay: number;
  evaluations: Evaluation[];
}

export interface WindowSums {
  observed: number;
  expectedWeight: number;
}

/** A unit's daily counts by claimed day, [day, count], for the platform's pooled profile. */
export interface UnitCounts {
  platformId: string;
  counts: Iterable<readonly [number, number]>;
}

export function sumWindow(days: readonly number[], count: (day: number) => number, profile: DayProfile): WindowSums {
  let observed = 0;
  let expectedWeight = 0;
  for (const day of days) {
    observed += count(day);
    expectedWeight += profile.weight(day);
  }
  return { observed, expectedWeight };
}

/** Days first … last, both included. */
export function range(first: number, last: number): number[] {
  const days: number[] = [];
  for (let day = first; day <= last; day++) days.push(day);
  return days;
}

/** (pre observed / pre weight) / (base observed / base weight), ½ added to both when base is 0. */
export function rateRatio(pre: WindowSums, base: WindowSums): number {
  const correction = base.observed === 0 ? 0.5 : 0;
  return (pre.observed + correction) / pre.expectedWeight / ((base.observed + correction) / base.expectedWeight);
}

/**
 * One-sided test that window `a` has a higher rate than window `b` (the conditional binomial
 * test, φ-corrected, Student's t tail with df).
 * @returns null when either window has no expected weight or no trace falls in either.
 */
export function rateRatioTest(
  a: WindowSums,
  b: WindowSums,
  phi: number,
  df: number,
): { rateRatio: number; z: number; pValue: number } | null {
  const n = a.observed + b.observed;
  if (n === 0 || a.expectedWeight <= 0 || b.expectedWeight <= 0) return null;
  const pi = a.expectedWeight / (a.expectedWeight + b.expectedWeight);
  const z = (a.observed - n * pi) / Math.sqrt(phi * n * pi * (1 - pi));
  return { rateRatio: rateRatio(a, b), z, pValue: studentTSf(z, df) };
}

/** Evaluations covering a unit, grouped by start day (one window per day E), by day. */
export function windowsForUnit(
  evaluations: readonly Evaluation[],
  platformId: string,
  orgId: string,
  offset: number,
): EvaluationWindow[] {
  const byDay = new Map<number, EvaluationWindow>();
  for (const evaluation of evaluations) {
    if (!evaluationCoversOrg(evaluation, platformId, orgId)) continue;
    const startDay = evaluationStartDay(evaluation, offset);
    const endDay = evaluationEndDay(evaluation, offset);
    const window = byDay.get(startDay);
    if (window) {
      window.evaluations.push(evaluation);
      window.endDay = Math.max(window.endDay, endDay);
    } else byDay.set(startDay, { startDay, endDay, evaluations: [evaluation] });
  }
  const windows = [...byDay.values()].sort((a, b) => a.startDay - b.startDay);
  for (const w of windows) w.evaluations.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return windows;
}

/** Every day inside the pre-window of one of `windows`. */
export function preWindowDaySet(windows: readonly EvaluationWindow[], preWindowDays: number): Set<number> {
  const days = new Set<number>();
  for (const w of windows) for (let d = w.startDay - preWindowDays; d < w.startDay; d++) days.add(d);
  return days;
}

/** Each platform's pooled profile: the sum of its units' days outside platform-wide pre-windows. */
export function pooledProfiles(
  units: Iterable<UnitCounts>,
  ctx: EvaluateContext,
  lastCompleteDay: number,
  o: PreWindowBaselineOptions,
): Map<string, DayProfile | null> {
  const totals = new Map<string, Map<number, number>>();
  for (const unit of units) {
    let sum = totals.get(unit.platformId);
    if (!sum) {
      sum = new Map();
      totals.set(unit.platformId, sum);
    }
    for (const [day, count] of unit.counts) sum.set(day, (sum.get(day) ?? 0) + count);
  }
  const profiles = new Map<string, DayProfile | null>();
  for (const [platformId, counts] of totals) {
    const excluded = new Set<number>();
    for (const e of ctx.evaluations) {
      if (e.orgId !== undefined || !evaluationCoversPlatform(e, platformId)) continue;
      const start = evaluationStartDay(e, o.utcOffsetMinutes);
      for (let day = start - o.preWindowDays; day < start; day++) excluded.add(day);
    }
    const span = dayRange(counts);
    profiles.set(
      platformId,
      span
        ? estimateDayProfile(
            {
              counts,
              firstDay: span.first,
              lastDay: Math.min(span.last, lastCompleteDay),
              exclude: (d) => excluded.has(d),
            },
            o.calendar,
            'pooled',
          )
        : null,
    );
  }
  return profiles;
}

/** The unit's day profile from its days outside its pre-windows up to lastCompleteDay (chooseDayProfile). */
export function unitDayProfile(
  counts: ReadonlyMap<number, number>,
  span: { first: number; last: number },
  preWindowDays: ReadonlySet<number>,
  lastCompleteDay: number,
  calendar: Calendar,
  pooled: DayProfile | null,
): DayProfile {
  return chooseDayProfile(
    {
      counts,
      firstDay: span.first,
      lastDay: Math.min(span.last, lastCompleteDay),
      exclude: (d) => preWindowDays.has(d),
    },
    calendar,
    pooled,
  );
}

/** The baseline of one pre-window (see `preWindowBaseline`). */
export interface Baseline {
  days: number[];
  sums: WindowSums;
  /** Observed per unit of day weight over the baseline: expected count of a day = level × weight. */
  level: number;
  /** Overdispersion, floor 1. */
  phi: number;
  /** Degrees of freedom of φ, as estimated (may be 0). */
  phiDf: number;
}

/**
 * The baseline of the pre-window before day E: the `baselineDays` most recent eligible days
 * before it (not holidays, not in a pre-window, searched `maxBaselineLookbackDays` back, all on
 * or after the unit's first day with data), its level, and φ pooled over up to
 * `dispersionBlocks` such blocks, each around its own level.
 * @returns null when the baseline is incomplete, or rises (its later half ≥ maxBaselineTrend ×
 *   the earlier with p ≤ baselineTrendP: a unit ramping up has no level to compare with).
 */
export function preWindowBaseline(
  E: number,
  count: (day: number) => number,
  firstDataDay: number,
  preWindowDays: ReadonlySet<number>,
  profile: DayProfile,
  o: PreWindowBaselineOptions,
): Baseline | null {
  const eligibleBefore = (day: number): number[] | null => {
    const days: number[] = [];
    for (let d = day - 1; d >= day - o.maxBaselineLookbackDays && days.length < o.baselineDays; d--) {
      if (o.calendar.isHoliday(d) || preWindowDays.has(d)) continue;
      days.push(d);
    }
    days.reverse();
    return days.length < o.baselineDays || days[0]! < firstDataDay ? null : days;
  };
  const days = eligibleBefore(E - o.preWindowDays);
  if (!days) return null;
  const sums = sumWindow(days, count, profile);
  // φ from the baseline and up to dispersionBlocks − 1 earlier blocks like it, each around its
  // own level (a slow drift of the level between blocks is not overdispersion)
  const blocks = [days];
  while (blocks.length < o.dispersionBlocks) {
    const earlier = eligibleBefore(blocks.at(-1)![0]!);
    if (!earlier) break;
    blocks.push(earlier);
  }
  const dispersion = volumeWeightedOverdispersion(
    blocks.map((block) => {
      const blockSums = sumWindow(block, count, profile);
      const blockLevel = blockSums.expectedWeight > 0 ? blockSums.observed / blockSums.expectedWeight : 0;
      return { observed: block.map(count), expected: block.map((day) => blockLevel * profile.weight(day)) };
    }),
  );
  const phi = Math.max(1, dispersion.phi);
  // A baseline that rises (a new unit ramping up, a growing service) has no level to compare
  // with: its later half well and significantly above its earlier half → not judged.
  const half = Math.floor(days.length / 2);
  const earlier = sumWindow(days.slice(0, half), count, profile);
  const later = sumWindow(days.slice(half), count, profile);
  const trend = rateRatioTest(later, earlier, phi, Math.max(1, dispersion.df));
  if (trend && trend.rateRatio >= o.maxBaselineTrend && trend.pValue <= o.baselineTrendP) return null;
  return {
    days,
    sums,
    level: sums.expectedWeight > 0 ? sums.observed / sums.expectedWeight : 0,
    phi,
    phiDf: dispersion.df,
  };
}
