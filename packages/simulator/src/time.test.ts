import { describe, expect, it } from 'vitest';
import {
  addMonths,
  dayToIso,
  isoToDay,
  isoWeekday,
  localDayNumber,
  localMidnight,
  monthEndDay,
  monthKey,
  monthStartDay,
} from './time.js';

describe('local days (UTC+8)', () => {
  it('numbers days from 1970-01-01 and converts both ways', () => {
    expect(isoToDay('1970-01-02')).toBe(1);
    expect(dayToIso(isoToDay('2025-03-01'))).toBe('2025-03-01');
    expect(() => isoToDay('2025-02-30')).toThrow();
    expect(() => isoToDay('2025-2-3')).toThrow();
  });

  it('puts 16:00 UTC on the next local day', () => {
    expect(dayToIso(localDayNumber(Date.parse('2025-01-01T15:59:59Z')))).toBe('2025-01-01');
    expect(dayToIso(localDayNumber(Date.parse('2025-01-01T16:00:00Z')))).toBe('2025-01-02');
    expect(new Date(localMidnight(isoToDay('2025-01-02'))).toISOString()).toBe('2025-01-01T16:00:00.000Z');
  });

  it('knows weekdays and months', () => {
    expect(isoWeekday(isoToDay('2025-01-01'))).toBe(3); // a Wednesday
    expect(isoWeekday(isoToDay('2025-01-05'))).toBe(7);
    expect(dayToIso(monthStartDay(monthKey(isoToDay('2024-02-17'))))).toBe('2024-02-01');
    expect(dayToIso(monthEndDay(monthKey(isoToDay('2024-02-17'))))).toBe('2024-02-29');
    expect(dayToIso(addMonths(isoToDay('2025-01-31'), 1))).toBe('2025-02-28');
    expect(dayToIso(addMonths(isoToDay('2025-01-01'), 12))).toBe('2026-01-01');
  });
});
