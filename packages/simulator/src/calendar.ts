/**
 * The working calendar: which local days are worked, which are holidays, and where the
 * holiday blocks (with the catch-up days after them) lie.
 */
import { type HolidaySpan, type HolidayTable, PRC_HOLIDAYS } from './holidays.js';
import { isoToDay, isoWeekday, monthKey } from './time.js';

export type DayKind = 'workday' | 'adjusted-workday' | 'weekend' | 'holiday';

/** A run of consecutive days off that contains at least one holiday day. */
export interface HolidayBlock {
  holiday: HolidaySpan;
  /** First and last day off of the run (weekends adjoining the holiday included). */
  start: number;
  end: number;
  /** The working days right after the block, when work left undone is caught up. */
  catchUpDays: number[];
}

export class WorkCalendar {
  private readonly holidayDays = new Map<number, HolidaySpan>();
  private readonly adjusted = new Set<number>();

  constructor(readonly table: HolidayTable = PRC_HOLIDAYS) {
    for (const h of table.holidays) {
      for (let d = isoToDay(h.start); d <= isoToDay(h.end); d++) this.holidayDays.set(d, h);
    }
    for (const iso of table.adjustedWorkdays) this.adjusted.add(isoToDay(iso));
  }

  /** What kind of day a local day number is. */
  kind(day: number): DayKind {
    if (this.holidayDays.has(day)) return 'holiday';
    if (this.adjusted.has(day)) return 'adjusted-workday';
    return isoWeekday(day) >= 6 ? 'weekend' : 'workday';
  }

  isWorkingDay(day: number): boolean {
    const k = this.kind(day);
    return k === 'workday' || k === 'adjusted-workday';
  }

  /** The first working day on or after a day. */
  workingDayOnOrAfter(day: number): number {
    let d = day;
    while (!this.isWorkingDay(d)) d++;
    return d;
  }

  /** The first working day on or before a day. */
  workingDayOnOrBefore(day: number): number {
    let d = day;
    while (!this.isWorkingDay(d)) d--;
    return d;
  }

  /** Working days in [from, to], in order. */
  workingDays(from: number, to: number): number[] {
    const out: number[] = [];
    for (let d = from; d <= to; d++) if (this.isWorkingDay(d)) out.push(d);
    return out;
  }

  /** The last `count` working days of the day's month, in order. */
  lastWorkingDaysOfMonth(day: number, count: number): number[] {
    const key = monthKey(day);
    const out: number[] = [];
    let d = day;
    while (monthKey(d + 1) === key) d++;
    for (; out.length < count && monthKey(d) === key; d--) if (this.isWorkingDay(d)) out.unshift(d);
    return out;
  }

  /** The `count`-th working day (1-based) of the month that starts at `monthStart`. */
  nthWorkingDayOfMonth(monthStart: number, count: number): number {
    let d = monthStart;
    let seen = 0;
    for (;;) {
      if (this.isWorkingDay(d)) seen++;
      if (seen >= count) return d;
      d++;
    }
  }

  /** Holiday blocks that touch [from, to], each with `catchUp` working days after it. */
  holidayBlocks(from: number, to: number, catchUp = 2): HolidayBlock[] {
    const blocks: HolidayBlock[] = [];
    let d = from;
    while (d <= to) {
      const holiday = this.holidayDays.get(d);
      if (holiday === undefined) {
        d++;
        continue;
      }
      let start = d;
      while (!this.isWorkingDay(start - 1)) start--;
      let end = d;
      while (!this.isWorkingDay(end + 1)) end++;
      const catchUpDays: number[] = [];
      for (let w = end + 1; catchUpDays.length < catchUp; w++) if (this.isWorkingDay(w)) catchUpDays.push(w);
      blocks.push({ holiday, start, end, catchUpDays });
      d = end + 1;
    }
    return blocks;
  }
}
