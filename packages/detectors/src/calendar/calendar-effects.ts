import type { Calendar } from './calendar.js';

/**
 * Calendar effects beyond the week that move a unit's daily activity:
 * - 'month-end': one of the last `PERIOD_END_DAYS` working days of a month (reports are due);
 * - 'quarter-end': the same in March, June, September or December (instead of 'month-end');
 * - 'after-holiday': one of the first `AFTER_HOLIDAY_DAYS` working days after a long break (a
 *   run of ≥ `LONG_BREAK_DAYS` non-working days with a public holiday in it): the work left
 *   undone.
 * A day can carry 'after-holiday' and a period end at once.
 * (The simulator models the same three effects; real platforms have them too: monthly and
 * quarterly reporting deadlines, and the backlog after 春节 or 国庆.)
 */
export type CalendarEffect = 'month-end' | 'quarter-end' | 'after-holiday';

export const CALENDAR_EFFECTS: readonly CalendarEffect[] = ['month-end', 'quarter-end', 'after-holiday'];

/** Last working days of a month that count as its end (monthly reports, KPIs due). */
export const PERIOD_END_DAYS = 3;
/** First working days after a long break that count as catch-up. */
export const AFTER_HOLIDAY_DAYS = 2;
/** A break of at least this many non-working days (with a holiday in it) is long; a weekend is not. */
export const LONG_BREAK_DAYS = 3;
/** Longest run of non-working days looked at (the longest PRC break is 9 days). */
const MAX_BREAK_DAYS = 31;

const NONE: readonly CalendarEffect[] = [];
const cache = new WeakMap<Calendar, Map<number, readonly CalendarEffect[]>>();

/** Month (0–11) of a local day number (day numbers count local days since 1970-01-01). */
function monthOf(day: number): number {
  return new Date(day * 86_400_000).getUTCMonth();
}

function isPeriodEnd(day: number, calendar: Calendar): boolean {
  const month = monthOf(day);
  let later = 0;
  for (let d = day + 1; monthOf(d) === month; d++) {
    if (calendar.isWorkingDay(d) && ++later >= PERIOD_END_DAYS) return false;
  }
  return true;
}

function isAfterLongBreak(day: number, calendar: Calendar): boolean {
  let d = day - 1;
  let workingBefore = 0;
  while (calendar.isWorkingDay(d)) {
    if (++workingBefore >= AFTER_HOLIDAY_DAYS) return false;
    d--;
  }
  let length = 0;
  let holiday = false;
  while (!calendar.isWorkingDay(d) && length < MAX_BREAK_DAYS) {
    if (calendar.isHoliday(d)) holiday = true;
    length++;
    d--;
  }
  return holiday && length >= LONG_BREAK_DAYS;
}

/**
 * The calendar effects of a local day (memoized per calendar).
 *
 * @param day local day number.
 * @param calendar working days and holidays.
 * @returns the effects (empty for an ordinary day and for every non-working day).
 */
export function calendarEffectsOf(day: number, calendar: Calendar): readonly CalendarEffect[] {
  let byDay = cache.get(calendar);
  if (!byDay) {
    byDay = new Map();
    cache.set(calendar, byDay);
  }
  const known = byDay.get(day);
  if (known) return known;
  let effects = NONE;
  if (calendar.isWorkingDay(day)) {
    const found: CalendarEffect[] = [];
    if (isPeriodEnd(day, calendar)) found.push(monthOf(day) % 3 === 2 ? 'quarter-end' : 'month-end');
    if (isAfterLongBreak(day, calendar)) found.push('after-holiday');
    if (found.length > 0) effects = found;
  }
  byDay.set(day, effects);
  return effects;
}
