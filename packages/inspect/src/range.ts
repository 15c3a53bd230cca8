import { boundedId, calendarDay, zoneOffsetMs } from '@tracewatch/schema';
import { sqlString } from '@tracewatch/store';
import { z } from 'zod';

/** The longest range a query may ask for: two years of days (a leap year included). */
export const MAX_RANGE_DAYS = 731;
export const DEFAULT_TIME_ZONE = 'Asia/Shanghai';
const DAY_MS = 86_400_000;

function isKnownTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** An IANA zone name (Area/Location), checked against the runtime's zone table. */
export const timeZoneSchema = z
  .string()
  .max(64)
  .regex(/^(UTC|[A-Za-z]+(\/[A-Za-z0-9_+-]+){1,2})$/, 'a time zone is an IANA name such as Asia/Shanghai')
  .refine(isKnownTimeZone, 'unknown time zone')
  .default(DEFAULT_TIME_ZONE)
  .describe('local days are counted in this time zone');

export const dayRangeShape = {
  from: calendarDay.describe('first local day, inclusive (YYYY-MM-DD)'),
  to: calendarDay.describe('local day after the last one, exclusive (YYYY-MM-DD); from < to'),
  tz: timeZoneSchema,
};

export interface DayRange {
  from: string;
  to: string;
  tz: string;
}

export const dayNumber = (day: string) => Date.parse(`${day}T00:00:00Z`) / DAY_MS;
const dayString = (n: number) => new Date(n * DAY_MS).toISOString().slice(0, 10);

/** The range check every route shares: from < to, at most MAX_RANGE_DAYS days. */
export function checkDayRange(r: { from: string; to: string }, ctx: z.RefinementCtx): void {
  const days = dayNumber(r.to) - dayNumber(r.from);
  if (!(days > 0)) ctx.addIssue({ code: 'custom', path: ['to'], message: 'to must be after from' });
  else if (days > MAX_RANGE_DAYS)
    ctx.addIssue({
      code: 'custom',
      path: ['to'],
      message: `the range may span at most ${MAX_RANGE_DAYS} days (2 years); it spans ${days}`,
    });
}

/** Every local day of the range, in order. */
export function daysOf(range: DayRange): string[] {
  const out: string[] = [];
  for (let d = dayNumber(range.from); d < dayNumber(range.to); d++) out.push(dayString(d));
  return out;
}

/** The instant local midnight of `day` is in `tz`, computed by ClickHouse (DST-correct). */
export function localMidnightSql(day: string, tz: string): string {
  return `toDateTime(${sqlString(`${day} 00:00:00`)}, ${sqlString(tz)})`;
}

/** A condition keeping `column` (a DateTime) inside the range's local days. */
export function inRangeSql(column: string, range: DayRange): string {
  return `${column} >= ${localMidnightSql(range.from, range.tz)} AND ${column} < ${localMidnightSql(range.to, range.tz)}`;
}

/** What a query is about: a platform, an org (unit), or an org on one platform. */
export const targetShape = {
  platformId: boundedId.optional().describe('platform id'),
  orgId: boundedId.optional().describe('org (unit) id'),
};
export interface Target {
  platformId?: string | undefined;
  orgId?: string | undefined;
}

export function checkTarget(t: Target, ctx: z.RefinementCtx): void {
  if (t.platformId === undefined && t.orgId === undefined)
    ctx.addIssue({ code: 'custom', path: ['platformId'], message: 'give a platformId, an orgId or both' });
}

/** The instant of local midnight of `day` in `tz` (the same instant localMidnightSql names). */
export function localMidnightMs(day: string, tz: string): number {
  const wall = Date.parse(`${day}T00:00:00Z`);
  let guess = wall - zoneOffsetMs(wall, tz);
  guess = wall - zoneOffsetMs(guess, tz);
  return guess;
}

export function rangeBoundsMs(range: DayRange): { fromMs: number; toMs: number } {
  return { fromMs: localMidnightMs(range.from, range.tz), toMs: localMidnightMs(range.to, range.tz) };
}
