/**
 * Expected activity per local day relative to an ordinary working day: the week, holidays
 * and 调休, month- and quarter-end peaks, and the catch-up after a long holiday.
 */
import type { WorkCalendar } from './calendar.js';
import { isoWeekday, monthKey } from './time.js';

/** Staff work by ISO weekday (Mon … Sun) on working days: Monday catch-up, Friday wind-down. */
const STAFF_WEEKDAY = [1.06, 1, 1, 0.98, 0.9, 0.95, 0.95];
const STAFF_WEEKEND = 0.05;
const STAFF_HOLIDAY = 0.03;
const PUBLIC_WEEKEND = 0.55;
const PUBLIC_HOLIDAY = 0.45;
/** Last working days of a month: reports are due. */
const MONTH_END_DAYS = 3;
const MONTH_END_LIFT = 1.2;
const QUARTER_END_LIFT = 1.4;
/** First working days after a holiday of three days or more: the work left undone. */
const CATCH_UP_DAYS = 2;
const CATCH_UP_LIFT = 1.3;

export class Seasonality {
  private readonly staff: Float64Array;
  private readonly public: Float64Array;

  /** Precomputes the factors for local days [firstDay, lastDay]. */
  constructor(
    private readonly calendar: WorkCalendar,
    private readonly firstDay: number,
    lastDay: number,
  ) {
    const n = lastDay - firstDay + 1;
    this.staff = new Float64Array(n);
    this.public = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const day = firstDay + i;
      const kind = calendar.kind(day);
      if (kind === 'holiday') {
        this.staff[i] = STAFF_HOLIDAY;
        this.public[i] = PUBLIC_HOLIDAY;
      } else if (kind === 'weekend') {
        this.staff[i] = STAFF_WEEKEND;
        this.public[i] = PUBLIC_WEEKEND;
      } else {
        this.staff[i] = (STAFF_WEEKDAY[isoWeekday(day) - 1] as number) * this.monthEndLift(day);
        this.public[i] = 1;
      }
    }
    for (const block of calendar.holidayBlocks(firstDay, lastDay + 30, CATCH_UP_DAYS)) {
      if (block.end - block.start + 1 < 3) continue;
      for (const d of block.catchUpDays) {
        const i = d - firstDay;
        if (i >= 0 && i < n) this.staff[i] = (this.staff[i] as number) * CATCH_UP_LIFT;
      }
    }
  }

  /** Staff activity of a day relative to an ordinary working day (outside the run: by the calendar only). */
  staffFactor(day: number): number {
    const f = this.staff[day - this.firstDay];
    return f ?? (this.calendar.isWorkingDay(day) ? 1 : STAFF_WEEKEND);
  }

  /** Public activity of a day relative to an ordinary working day. */
  publicFactor(day: number): number {
    const f = this.public[day - this.firstDay];
    return f ?? (this.calendar.isWorkingDay(day) ? 1 : PUBLIC_WEEKEND);
  }

  private monthEndLift(day: number): number {
    if (!this.calendar.lastWorkingDaysOfMonth(day, MONTH_END_DAYS).includes(day)) return 1;
    return monthKey(day) % 3 === 2 ? QUARTER_END_LIFT : MONTH_END_LIFT;
  }
}
