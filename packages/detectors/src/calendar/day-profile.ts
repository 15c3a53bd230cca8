import { isoWeekday } from '../time.js';
import type { Calendar } from './calendar.js';

/** Where a profile's weights came from. */
export type DayProfileSource = 'own' | 'pooled' | 'flat';

/**
 * Relative activity per weekday × (working day | non-working day). The expected count of a day
 * is level × weight(day); weights are scaled so that the mean daily count over the history the
 * profile was estimated from has weight 1.
 */
export interface DayProfile {
  readonly source: DayProfileSource;
  /** weights.working[w − 1] / weights.nonWorking[w − 1] for ISO weekday w (1 = Monday). */
  readonly weights: { readonly working: readonly number[]; readonly nonWorking: readonly number[] };
  /** True when every weight is 1 (nothing to adjust for). */
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
} as const;

function makeProfile(
  source: DayProfileSource,
  working: number[],
  nonWorking: number[],
  calendar: Calendar,
): DayProfile {
  const isFlat = working.every((w) => w === 1) && nonWorking.every((w) => w === 1);
  return {
    source,
    weights: { working, nonWorking },
    isFlat,
    weight: (day) => {
      const index = isoWeekday(day) - 1;
      return (calendar.isWorkingDay(day) ? working[index] : nonWorking[index]) ?? 1;
    },
  };
}

/**
 * The flat profile: every day weight 1. Used when neither the scope nor the caller has enough
 * history. Non-working days get 1 as well: that overstates the expectation on weekends and
 * holidays, which errs towards fewer findings (a burst test then sees less excess, the
 * overdispersion estimate grows), never more.
 */
export function flatDayProfile(calendar: Calendar): DayProfile {
  return makeProfile('flat', [1, 1, 1, 1, 1, 1, 1], [1, 1, 1, 1, 1, 1, 1], calendar);
}

/**
 * Estimates a day-of-week profile from daily counts: the mean count of each cell (weekday ×
 * working/non-working) divided by the mean count over all days used. Cells with fewer than
 * `minCellDays` days take their group's mean.
 *
 * @returns the profile with the given source, or null when fewer than `minHistoryDays` days are
 *   usable or every count is zero (nothing to estimate from).
 */
export function estimateDayProfile(
  history: ProfileHistory,
  calendar: Calendar,
  source: DayProfileSource = 'own',
  options: Partial<typeof DAY_PROFILE_DEFAULTS> = {},
): DayProfile | null {
  const { minHistoryDays, minCellDays } = { ...DAY_PROFILE_DEFAULTS, ...options };
  // cells[0..6] working Mon..Sun, cells[7..13] non-working Mon..Sun
  const sums = new Array<number>(14).fill(0);
  const days = new Array<number>(14).fill(0);
  let total = 0;
  let used = 0;
  for (let day = history.firstDay; day <= history.lastDay; day++) {
    if (history.exclude?.(day)) continue;
    const cell = isoWeekday(day) - 1 + (calendar.isWorkingDay(day) ? 0 : 7);
    const count = history.counts.get(day) ?? 0;
    sums[cell]! += count;
    days[cell]! += 1;
    total += count;
    used += 1;
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
  const cellWeight = (cell: number, fallback: number): number =>
    (days[cell]! >= minCellDays ? sums[cell]! / days[cell]! : fallback) / overallMean;
  const working = Array.from({ length: 7 }, (_, i) => cellWeight(i, workingMean));
  const nonWorking = Array.from({ length: 7 }, (_, i) => cellWeight(i + 7, nonWorkingMean));
  return makeProfile(source, working, nonWorking, calendar);
}

/**
 * The profile a scope should use: its own when it has ≥ 8 weeks of usable history, else the
 * pooled profile the caller gives (e.g. the platform's), else flat.
 */
export function chooseDayProfile(
  history: ProfileHistory,
  calendar: Calendar,
  pooled?: DayProfile | null,
  options: Partial<typeof DAY_PROFILE_DEFAULTS> = {},
): DayProfile {
  return estimateDayProfile(history, calendar, 'own', options) ?? pooled ?? flatDayProfile(calendar);
}
