import { describe, expect, it } from 'vitest';
import { WorkCalendar } from './calendar.js';
import { PRC_HOLIDAYS } from './holidays.js';
import { dayToIso, isoToDay, isoWeekday } from './time.js';

const cal = new WorkCalendar();
const d = isoToDay;

describe('WorkCalendar', () => {
  it('knows holidays, weekends and adjusted working days (调休)', () => {
    expect(cal.kind(d('2025-01-26'))).toBe('adjusted-workday'); // a Sunday worked before the Spring Festival
    expect(isoWeekday(d('2025-01-26'))).toBe(7);
    expect(cal.isWorkingDay(d('2025-01-26'))).toBe(true);
    expect(cal.kind(d('2025-01-28'))).toBe('holiday');
    expect(cal.kind(d('2025-02-04'))).toBe('holiday');
    expect(cal.kind(d('2025-02-05'))).toBe('workday');
    expect(cal.kind(d('2025-02-08'))).toBe('adjusted-workday'); // a Saturday
    expect(cal.kind(d('2025-02-09'))).toBe('weekend');
    expect(cal.kind(d('2026-02-14'))).toBe('adjusted-workday');
    expect(cal.kind(d('2026-02-23'))).toBe('holiday');
    expect(cal.kind(d('2027-02-05'))).toBe('holiday');
    // Outside the table only weekends are off.
    expect(cal.kind(d('2023-10-02'))).toBe('workday');
    expect(cal.kind(d('2023-10-01'))).toBe('weekend');
  });

  it('counts the official number of working days per year', () => {
    // days − weekend days − statutory holidays (11 until 2024, 13 from 2025), since every
    // statutory day that falls on a weekend is given back and every extra day off is made up:
    // 2024: 366 − 104 − 11 = 251; 2025, 2026, 2027: 365 − 104 − 13 = 248.
    const working = (y: number) => cal.workingDays(d(`${y}-01-01`), d(`${y}-12-31`)).length;
    expect(working(2024)).toBe(251);
    expect(working(2025)).toBe(248);
    expect(working(2026)).toBe(248);
    expect(working(2027)).toBe(248);
  });

  it('has a consistent table: made-up days on weekends, outside holidays; spans ordered', () => {
    for (const iso of PRC_HOLIDAYS.adjustedWorkdays) {
      expect(isoWeekday(d(iso))).toBeGreaterThanOrEqual(6);
      expect(PRC_HOLIDAYS.holidays.some((h) => h.start <= iso && iso <= h.end)).toBe(false);
    }
    for (const h of PRC_HOLIDAYS.holidays) expect(h.start <= h.end).toBe(true);
    expect(PRC_HOLIDAYS.holidays.filter((h) => h.start.startsWith('2027')).every((h) => h.projected)).toBe(true);
  });

  it('finds holiday blocks with the working days after them', () => {
    const blocks = cal.holidayBlocks(d('2025-01-01'), d('2025-06-30'));
    const spring = blocks.find((b) => b.holiday.name === 'Spring Festival')!;
    expect(dayToIso(spring.start)).toBe('2025-01-28');
    expect(dayToIso(spring.end)).toBe('2025-02-04');
    expect(spring.catchUpDays.map(dayToIso)).toEqual(['2025-02-05', '2025-02-06']);
    const newYear = blocks.find((b) => b.holiday.name === "New Year's Day")!;
    expect([newYear.start, newYear.end].map(dayToIso)).toEqual(['2025-01-01', '2025-01-01']);
    // Dragon Boat 2025: Sat 31 May – Mon 2 June.
    const dragon = blocks.find((b) => b.holiday.name === 'Dragon Boat Festival')!;
    expect([dragon.start, dragon.end].map(dayToIso)).toEqual(['2025-05-31', '2025-06-02']);
    expect(blocks).toHaveLength(5);
  });

  it('finds the last and the n-th working days of a month', () => {
    // January 2025 ends with the Spring Festival: Fri 24, Sun 26 (调休), Mon 27.
    expect(cal.lastWorkingDaysOfMonth(d('2025-01-10'), 3).map(dayToIso)).toEqual([
      '2025-01-24',
      '2025-01-26',
      '2025-01-27',
    ]);
    // February 2025: 1–4 are holidays, so the 3rd working day is Fri 7.
    expect(dayToIso(cal.nthWorkingDayOfMonth(d('2025-02-01'), 3))).toBe('2025-02-07');
    expect(dayToIso(cal.workingDayOnOrAfter(d('2025-01-28')))).toBe('2025-02-05');
    expect(dayToIso(cal.workingDayOnOrBefore(d('2025-02-02')))).toBe('2025-01-27');
  });
});
