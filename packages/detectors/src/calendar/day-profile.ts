import { isoWeekday } from '../time.js';
import type { Calendar } from './calendar.js';
import { type CalendarEffect, calendarEffectsOf } from './calendar-effects.js';

/** Where a profile's weights came from. */
export type DayProfileSource = 'own' | 'pooled' | 'flat';

/** Multipliers of a day's weekday weight for its calendar effects (see calendar-effects.ts). */
export type CalendarFactors = Readonly<Record<CalendarEffect, number>>;

const NO_FACTORS: CalendarFactors = { 'month-end': 1, 'quarter-end': 1, 'after-holiday': 1 };

/**
 * Relative activity per weekday × (working day | non-working day), times a factor for each
 * calendar effect of the day (month end, quarter end, catch-up after a long break). The expected
 * count of a day is level × weight(day); weights are scaled so that the mean daily count over the
 * history the profile was estimated from has weight 1.
 */
export interface DayProfile {
  readonly source: DayProfileSource;
  /** weights.working[w − 1] / weights.nonWorking[w − 1] for ISO weekday w (1 = Monday). */
  readonly weights: { readonly working: readonly number[]; readonly nonWorking: readonly number[] };
  /** Factor per calendar effect (1 = no effect, or not enough history to estimate it). */
  readonly factors: CalendarFactors;
  /** True when every weight and factor is 1 (nothing to adjust for). */
  readonly isFlat: boolean;
  weight(day: number): number;
}

export interface ProfileHistory {
  /** Daily counts by local day number; days in [firstDay, lastDay] absent from the map count 0. */
  counts: ReadonlyMap<number, number>;
  firstDay: number;
  lastDay: number;
  /** Days to leave out (e.g. evaluation pre-windows, which may hold the very burst tested). */
  exclude?: (day: number) => boolean;
}

/** Defaults, each with its reason. */
export const DAY_PROFILE_DEFAULTS = {
  /** DETECTION.md: a scope's own profile needs at least 8 weeks of history. */
  minHistoryDays: 56,
  /**
   * A cell (e.g. "non-working Tuesday", only ever a holiday) seen on fewer days than this takes
   * its group's mean (working or non-working days) instead of a noisy mean of 1–3 days.
   */
  minCellDays: 4,
  /**
   * A calendar-effect factor needs this many days with that effect (two months of month ends,
   * three long breaks); with fewer it takes the fallback (the platform's factor, else 1; a
   * quarter end takes the month-end factor).
   */
  minEffectDays: 6,
} as const;

function makeProfile(
  source: DayProfileSource,
  working: number[],
  nonWorking: number[],
  factors: CalendarFactors,
  calendar: Calendar,
): DayProfile {
  const isFlat =
    working.every((w) => w === 1) && nonWorking.every((w) => w === 1) && Object.values(factors).every((f) => f === 1);
  // detectors ask for the same days again and again (every actor of a unit, every window)
  const memo = new Map<number, number>();
  return {
    source,
    weights: { working, nonWorking },
    factors,
    isFlat,
    weight: (day) => {
      const known = memo.get(day);
      if (known !== undefined) return known;
      const index = isoWeekday(day) - 1;
      let w = (calendar.isWorkingDay(day) ? working[index] : nonWorking[index]) ?? 1;
      for (const effect of calendarEffectsOf(day, calendar)) w *= factors[effect];
      memo.set(day, w);
      return w;
    },
  };
}

/** The same weekday weights with other calendar-effect factors. */
export function withCalendarFactors(profile: DayProfile, factors: CalendarFactors, calendar: Calendar): DayProfile {
  return makeProfile(profile.source, [...profile.weights.working], [...profile.weights.nonWorking], factors, calendar);
}

/**
 * The flat profile: every day weight 1. Used when neither the scope nor the caller has enough
 * history. Non-working days get 1 as well: that overstates the expectation on weekends and
 * holidays, which errs towards fewer findings (a burst test then sees less excess, the
 * overdispersion estimate grows), never more.
 */
export function flatDayProfile(calendar: Calendar): DayProfile {
  return makeProfile('flat', [1, 1, 1, 1, 1, 1, 1], [1, 1, 1, 1, 1, 1, 1], NO_FACTORS, calendar);
}

/**
 * Estimates a day profile from daily counts.
 *
 * Weekday weights: the mean count of each cell (weekday × working/non-working) over the days
 * without a calendar effect, divided by the mean count over all days used. Cells with fewer than
 * `minCellDays` such days take their group's mean. Calendar-effect factors: for the days with
 * exactly one effect, Σ observed / Σ (weekday weight × mean count), the ratio of what happened to
 * what the week alone predicts; with fewer than `minEffectDays` such days the factor is
 * `fallback`'s (else 1; a quarter end falls back to the month-end factor). Days with two effects
 * count only towards the mean.
 *
 * @param fallback factors to use where the history is too short (e.g. the platform's).
 * @returns the profile with the given source, or null when fewer than `minHistoryDays` days are
 *   usable or every count is zero (nothing to estimate from).
 */
export function estimateDayProfile(
  history: ProfileHistory,
  calendar: Calendar,
  source: DayProfileSource = 'own',
  options: Partial<typeof DAY_PROFILE_DEFAULTS> = {},
  fallback?: CalendarFactors,
): DayProfile | null {
  const { minHistoryDays, minCellDays, minEffectDays } = { ...DAY_PROFILE_DEFAULTS, ...options };
  // cells[0..6] working Mon..Sun, cells[7..13] non-working Mon..Sun; ordinary days only
  const sums = new Array<number>(14).fill(0);
  const days = new Array<number>(14).fill(0);
  const special: { day: number; count: number; effect: CalendarEffect }[] = [];
  let total = 0;
  let used = 0;
  const cellOf = (day: number) => isoWeekday(day) - 1 + (calendar.isWorkingDay(day) ? 0 : 7);
  for (let day = history.firstDay; day <= history.lastDay; day++) {
    if (history.exclude?.(day)) continue;
    const count = history.counts.get(day) ?? 0;
    total += count;
    used += 1;
    const effects = calendarEffectsOf(day, calendar);
    if (effects.length === 1) special.push({ day, count, effect: effects[0]! });
    if (effects.length > 0) continue;
    const cell = cellOf(day);
    sums[cell]! += count;
    days[cell]! += 1;
  }
  if (used < minHistoryDays || total <= 0) return null;
  const overallMean = total / used;
  const groupMean = (from: number): number => {
    let s = 0;
    let n = 0;
    for (let c = from; c < from + 7; c++) {
      s += sums[c]!;
      n += days[c]!;
    }
    return n > 0 ? s / n : overallMean;
  };
  const workingMean = groupMean(0);
  const nonWorkingMean = groupMean(7);
  const cellWeight = (cell: number, fallbackMean: number): number =>
    (days[cell]! >= minCellDays ? sums[cell]! / days[cell]! : fallbackMean) / overallMean;
  const working = Array.from({ length: 7 }, (_, i) => cellWeight(i, workingMean));
  const nonWorking = Array.from({ length: 7 }, (_, i) => cellWeight(i + 7, nonWorkingMean));

  const estimated = (effect: CalendarEffect): number | null => {
    let observed = 0;
    let expected = 0;
    let n = 0;
    for (const s of special) {
      if (s.effect !== effect) continue;
      const index = isoWeekday(s.day) - 1;
      observed += s.count;
      expected += (calendar.isWorkingDay(s.day) ? working[index]! : nonWorking[index]!) * overallMean;
      n += 1;
    }
    return n >= minEffectDays && expected > 0 ? observed / expected : null;
  };
  const monthEnd = estimated('month-end') ?? fallback?.['month-end'] ?? 1;
  const factors: CalendarFactors = {
    'month-end': monthEnd,
    'quarter-end': estimated('quarter-end') ?? fallback?.['quarter-end'] ?? monthEnd,
    'after-holiday': estimated('after-holiday') ?? fallback?.['after-holiday'] ?? 1,
  };
  return makeProfile(source, working, nonWorking, factors, calendar);
}

/**
 * The profile a scope should use: its own weekday weights when it has ≥ 8 weeks of usable
 * history, else the pooled profile the caller gives (e.g. the platform's), else flat. The
 * calendar-effect factors come from the pooled profile when there is one: month ends and
 * catch-up days are set by deadlines shared across the platform, and the pooled estimate rests
 * on every unit's days (a unit's own factor from 6 month-end days would be noisy, ±15 % for a
 * unit of 80 traces a day).
 */
export function chooseDayProfile(
  history: ProfileHistory,
  calendar: Calendar,
  pooled?: DayProfile | null,
  options: Partial<typeof DAY_PROFILE_DEFAULTS> = {},
): DayProfile {
  const own = estimateDayProfile(history, calendar, 'own', options);
  if (own && pooled) return withCalendarFactors(own, pooled.factors, calendar);
  return own ?? pooled ?? flatDayProfile(calendar);
}
