import { describe, expect, it } from 'vitest';
import { isoToDayNumber } from '../time.js';
import { createCalendar, PRC_CALENDAR } from './calendar.js';
import { PRC_CALENDAR_2024_2027 } from './prc-holidays.js';

const d = isoToDayNumber;

function countWorkingDays(year: number): number {
  let n = 0;
  for (let day = d(`${year}-01-01`); day <= d(`${year}-12-31`); day++) if (PRC_CALENDAR.isWorkingDay(day)) n++;
  return n;
}

describe('PRC calendar', () => {
  it('2024 notice (国办发明电〔2023〕7号): Spring Festival Feb 10–17 off, Feb 4 and Feb 18 (Sundays) worked', () => {
    for (let day = d('2024-02-10'); day <= d('2024-02-17'); day++) {
      expect(PRC_CALENDAR.isHoliday(day)).toBe(true);
      expect(PRC_CALENDAR.isWorkingDay(day)).toBe(false);
    }
    for (const iso of ['2024-02-04', '2024-02-18']) {
      expect(PRC_CALENDAR.isAdjustedWorkday(d(iso))).toBe(true);
      expect(PRC_CALENDAR.isWorkingDay(d(iso))).toBe(true);
    }
    // 除夕 (Feb 9, Friday) was not a holiday in 2024, only encouraged leave
    expect(PRC_CALENDAR.isWorkingDay(d('2024-02-09'))).toBe(true);
  });
  it('2024: the other make-up days and a plain week', () => {
    for (const iso of ['2024-04-07', '2024-04-28', '2024-05-11', '2024-09-14', '2024-09-29', '2024-10-12']) {
      expect(PRC_CALENDAR.isWorkingDay(d(iso))).toBe(true);
    }
    for (const iso of ['2024-01-01', '2024-04-05', '2024-05-03', '2024-06-10', '2024-09-16', '2024-10-07']) {
      expect(PRC_CALENDAR.isWorkingDay(d(iso))).toBe(false);
    }
    expect(PRC_CALENDAR.isWorkingDay(d('2024-03-13'))).toBe(true); // Wednesday
    expect(PRC_CALENDAR.isWorkingDay(d('2024-03-16'))).toBe(false); // Saturday
    expect(PRC_CALENDAR.isHoliday(d('2024-03-16'))).toBe(false);
  });
  it('2025 notice (国办发明电〔2024〕12号): 除夕 Jan 28 – Feb 4 off, Jan 26 and Feb 8 worked; Oct 1–8 off', () => {
    expect(PRC_CALENDAR.isHoliday(d('2025-01-28'))).toBe(true);
    expect(PRC_CALENDAR.isHoliday(d('2025-02-04'))).toBe(true);
    expect(PRC_CALENDAR.isWorkingDay(d('2025-02-05'))).toBe(true);
    expect(PRC_CALENDAR.isAdjustedWorkday(d('2025-01-26'))).toBe(true);
    expect(PRC_CALENDAR.isAdjustedWorkday(d('2025-02-08'))).toBe(true);
    expect(PRC_CALENDAR.isAdjustedWorkday(d('2025-04-27'))).toBe(true);
    // Labour Day 2025 has a single make-up day (Apr 27); May 10 is an ordinary Saturday
    expect(PRC_CALENDAR.isWorkingDay(d('2025-05-10'))).toBe(false);
    expect(PRC_CALENDAR.isHoliday(d('2025-10-08'))).toBe(true);
    expect(PRC_CALENDAR.isWorkingDay(d('2025-09-28'))).toBe(true);
    expect(PRC_CALENDAR.isWorkingDay(d('2025-10-11'))).toBe(true);
  });
  it('working days per year match the notices, counted by hand', () => {
    // 2024: 366 days − 104 weekend days − 19 weekday holidays (Jan 1; Feb 12–16; Apr 4–5;
    // May 1–3; Jun 10; Sep 16–17; Oct 1–4, 7) + 8 make-up days = 251
    expect(countWorkingDays(2024)).toBe(251);
    // 2025: 365 − 104 − 18 (Jan 1; Jan 28–31, Feb 3–4; Apr 4; May 1, 2, 5; Jun 2; Oct 1–3, 6–8)
    // + 5 make-up days (Jan 26, Feb 8, Apr 27, Sep 28, Oct 11) = 248
    expect(countWorkingDays(2025)).toBe(248);
  });
  it('2026 notice: Feb 15–23 off, Feb 14 and Feb 28 worked; Jan 4 worked', () => {
    expect(PRC_CALENDAR.isHoliday(d('2026-02-23'))).toBe(true);
    expect(PRC_CALENDAR.isWorkingDay(d('2026-02-14'))).toBe(true);
    expect(PRC_CALENDAR.isWorkingDay(d('2026-02-28'))).toBe(true);
    expect(PRC_CALENDAR.isWorkingDay(d('2026-01-04'))).toBe(true);
  });
  it('marks 2027 as projected and covers 2024–2027', () => {
    expect(PRC_CALENDAR.years).toEqual([2024, 2025, 2026, 2027]);
    const statuses = new Set(PRC_CALENDAR_2024_2027.entries.filter((e) => e.year === 2027).map((e) => e.status));
    expect([...statuses]).toEqual(['projected']);
  });
  it('outside the data only the plain week applies', () => {
    expect(PRC_CALENDAR.isWorkingDay(d('2030-10-01'))).toBe(true); // a Tuesday, unknown year
    expect(PRC_CALENDAR.isWorkingDay(d('2030-10-05'))).toBe(false); // Saturday
  });
  it('a deployment can pass its own data; contradictions are rejected', () => {
    const own = createCalendar({
      description: 'test',
      entries: [
        {
          year: 2030,
          name: 'x',
          nameZh: 'x',
          off: ['2030-10-01', '2030-10-03'],
          workdays: ['2030-09-29'],
          status: 'official',
        },
      ],
    });
    expect(own.isWorkingDay(d('2030-10-01'))).toBe(false);
    expect(own.isWorkingDay(d('2030-09-29'))).toBe(true); // a Sunday worked
    expect(() =>
      createCalendar({
        description: 'bad',
        entries: [
          {
            year: 2030,
            name: 'x',
            nameZh: 'x',
            off: ['2030-10-01', '2030-10-03'],
            workdays: ['2030-10-02'],
            status: 'official',
          },
        ],
      }),
    ).toThrow();
  });
});
