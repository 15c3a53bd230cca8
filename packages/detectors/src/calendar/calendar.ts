import { isoToDayNumber, isoWeekday } from '../time.js';
import { type CalendarData, PRC_CALENDAR_2024_2027 } from './prc-holidays.js';

/**
 * Which local days are working days. Days are local day numbers (days since 1970-01-01 in the
 * scope's zone, see `localDayNumber` in time.ts). Outside the years the data cover, Monday–Friday
 * are working days and weekends are not.
 */
export interface Calendar {
  /** A day off because of a public holiday (the whole 放假 span, weekend days in it included). */
  isHoliday(day: number): boolean;
  /** A weekend day that is a working day because of 调休. */
  isAdjustedWorkday(day: number): boolean;
  /** Monday–Friday and not a holiday, or an adjusted working day. */
  isWorkingDay(day: number): boolean;
  /** Years the data describe (outside them only the plain week applies). */
  readonly years: readonly number[];
}

/**
 * Builds a Calendar from holiday data (a deployment passes its own; the default is the PRC data).
 *
 * @throws Error when the data contradict themselves (a day both off and worked, a make-up
 *   working day that is not a weekend day, an off span that ends before it starts).
 */
export function createCalendar(data: CalendarData = PRC_CALENDAR_2024_2027): Calendar {
  const holidays = new Set<number>();
  const adjustedWorkdays = new Set<number>();
  const years = new Set<number>();
  for (const entry of data.entries) {
    years.add(entry.year);
    const first = isoToDayNumber(entry.off[0]);
    const last = isoToDayNumber(entry.off[1]);
    if (!(last >= first)) throw new Error(`holiday ${entry.year} ${entry.name}: off span ends before it starts`);
    for (let day = first; day <= last; day++) holidays.add(day);
    for (const iso of entry.workdays) {
      const day = isoToDayNumber(iso);
      if (isoWeekday(day) < 6)
        throw new Error(`holiday ${entry.year} ${entry.name}: make-up day ${iso} is not a weekend day`);
      adjustedWorkdays.add(day);
    }
  }
  for (const day of adjustedWorkdays) {
    if (holidays.has(day)) throw new Error(`day ${day} is both a holiday and an adjusted working day`);
  }
  return {
    years: [...years].sort((a, b) => a - b),
    isHoliday: (day) => holidays.has(day),
    isAdjustedWorkday: (day) => adjustedWorkdays.has(day),
    isWorkingDay: (day) => adjustedWorkdays.has(day) || (isoWeekday(day) <= 5 && !holidays.has(day)),
  };
}

/** The default calendar (PRC 2024–2027), built once. */
export const PRC_CALENDAR: Calendar = createCalendar();
