import { DAY_MS, dayNumberToIso, dayNumberToMonth, isoToDayNumber } from '../../time.js';
import type { DetectorName, EvaluateContext, Period, Scope } from '../../types.js';

/** 'YYYY-MM' of a local day number (memoised per day: called once per record). */
export function monthOfDay(day: number): string {
  return dayNumberToMonth(day);
}

/** Number of days in a month 'YYYY-MM'. */
export function daysInMonth(month: string): number {
  const year = Number(month.slice(0, 4));
  const index = Number(month.slice(5, 7)) - 1;
  return new Date(Date.UTC(year, index + 1, 0)).getUTCDate();
}

/** The calendar month 'YYYY-MM' as a period of local days, both ends inclusive. */
export function monthPeriod(month: string): Period {
  return { start: `${month}-01`, end: `${month}-${String(daysInMonth(month)).padStart(2, '0')}` };
}

/** The month after 'YYYY-MM'. */
export function nextMonth(month: string): string {
  const year = Number(month.slice(0, 4));
  const index = Number(month.slice(5, 7));
  return index === 12 ? `${year + 1}-01` : `${year}-${String(index + 1).padStart(2, '0')}`;
}

/** The month before 'YYYY-MM'. */
export function previousMonth(month: string): string {
  const year = Number(month.slice(0, 4));
  const index = Number(month.slice(5, 7));
  return index === 1 ? `${year - 1}-12` : `${year}-${String(index - 1).padStart(2, '0')}`;
}

/** One local day as a period. */
export function dayPeriod(day: number): Period {
  const iso = dayNumberToIso(day);
  return { start: iso, end: iso };
}

/** The period from the first to the last of some local day numbers (which must not be empty). */
export function spanPeriod(days: readonly number[]): Period {
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  for (const d of days) {
    if (d < first) first = d;
    if (d > last) last = d;
  }
  return { start: dayNumberToIso(first), end: dayNumberToIso(last) };
}

/**
 * Whether a period has ended by `asOf`: its last local day is over (the next local midnight is
 * at or before asOf). The detectors judge only ended periods (EvaluateContext contract), so a
 * month still in progress never raises a finding on half its data.
 */
export function periodEnded(period: Period, asOf: number, offsetMinutes: number): boolean {
  const nextMidnight = (isoToDayNumber(period.end) + 1) * DAY_MS - offsetMinutes * 60_000;
  return nextMidnight <= asOf;
}

/**
 * periodEnded, telling ctx.onPending about the window when it has not ended (so callers can
 * report what was left unjudged); the outcome of the detector is the same either way.
 */
export function endedElsePending(
  ctx: EvaluateContext,
  detector: DetectorName,
  scope: Scope,
  period: Period,
  offsetMinutes: number,
): boolean {
  if (periodEnded(period, ctx.asOf, offsetMinutes)) return true;
  ctx.onPending?.({ detector, scope, period });
  return false;
}

/**
 * Whether a period starts before a retention cutoff (a local day number). Such a period may have
 * lost records to retention, and which ones depends on arrival order, so it is not judged.
 */
export function startsBefore(period: Period, cutoffDay: number): boolean {
  return isoToDayNumber(period.start) < cutoffDay;
}
