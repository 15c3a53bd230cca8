import { describe, expect, it } from 'vitest';
import { WorkCalendar } from './calendar.js';
import { Seasonality } from './seasonality.js';
import { isoToDay } from './time.js';

const season = new Seasonality(new WorkCalendar(), isoToDay('2025-01-01'), isoToDay('2025-12-31'));
const staff = (iso: string) => season.staffFactor(isoToDay(iso));
const pub = (iso: string) => season.publicFactor(isoToDay(iso));

describe('Seasonality', () => {
  it('follows the working week', () => {
    expect(staff('2025-01-06')).toBe(1.06); // Monday
    expect(staff('2025-01-07')).toBe(1); // Tuesday
    expect(staff('2025-01-10')).toBe(0.9); // Friday
    expect(staff('2025-01-11')).toBe(0.05); // Saturday
    expect(pub('2025-01-11')).toBe(0.55);
    expect(pub('2025-01-07')).toBe(1);
  });

  it('drops on holidays, works the 调休 days, catches up after a long holiday', () => {
    expect(staff('2025-01-28')).toBe(0.03);
    expect(pub('2025-01-28')).toBe(0.45);
    // Sat 8 Feb, worked: Saturday's working-day factor 0.95
    expect(staff('2025-02-08')).toBe(0.95);
    // Wed 5 and Thu 6 Feb, the first two working days after the Spring Festival: ×1.3
    expect(staff('2025-02-05')).toBeCloseTo(1 * 1.3, 12);
    expect(staff('2025-02-06')).toBeCloseTo(0.98 * 1.3, 12);
    expect(staff('2025-02-07')).toBe(0.9);
    // New Year's Day 2025 is a single day: no catch-up on Thu 2 Jan
    expect(staff('2025-01-02')).toBe(0.98);
  });

  it('peaks on the last three working days of a month, more at quarter ends', () => {
    // Sun 26 Jan (调休) is among January's last three working days: 0.95 × 1.2
    expect(staff('2025-01-26')).toBeCloseTo(0.95 * 1.2, 12);
    expect(staff('2025-01-23')).toBe(0.98);
    // Mon 31 Mar, end of a quarter: 1.06 × 1.4
    expect(staff('2025-03-31')).toBeCloseTo(1.06 * 1.4, 12);
    // Fri 28 Feb: 0.9 × 1.2
    expect(staff('2025-02-28')).toBeCloseTo(0.9 * 1.2, 12);
  });

  it('falls back to the bare calendar outside the run', () => {
    expect(season.staffFactor(isoToDay('2026-01-05'))).toBe(1);
    expect(season.staffFactor(isoToDay('2026-01-10'))).toBe(0.05);
  });
});
