import { describe, expect, it } from 'vitest';
import { isoToDayNumber } from '../../time.js';
import { daysInMonth, monthOfDay, monthPeriod, nextMonth, periodEnded, spanPeriod, startsBefore } from './periods.js';

describe('periods', () => {
  it('months, their lengths and ends', () => {
    expect(monthOfDay(isoToDayNumber('2026-02-28'))).toBe('2026-02');
    expect(daysInMonth('2024-02')).toBe(29);
    expect(daysInMonth('2026-02')).toBe(28);
    expect(monthPeriod('2026-04')).toEqual({ start: '2026-04-01', end: '2026-04-30' });
    expect(nextMonth('2026-12')).toBe('2027-01');
    expect(spanPeriod([isoToDayNumber('2026-03-05'), isoToDayNumber('2026-03-01')])).toEqual({
      start: '2026-03-01',
      end: '2026-03-05',
    });
  });
  it('a period has ended once the local midnight after its last day has passed (UTC+8)', () => {
    const period = { start: '2026-03-01', end: '2026-03-31' };
    // local midnight 2026-04-01T00:00+08:00 = 2026-03-31T16:00Z
    expect(periodEnded(period, Date.parse('2026-03-31T16:00:00Z'), 480)).toBe(true);
    expect(periodEnded(period, Date.parse('2026-03-31T15:59:59Z'), 480)).toBe(false);
  });
  it('a period starting before a retention cutoff day', () => {
    const march = { start: '2026-03-01', end: '2026-03-31' };
    expect(startsBefore(march, isoToDayNumber('2026-03-02'))).toBe(true);
    expect(startsBefore(march, isoToDayNumber('2026-03-01'))).toBe(false);
  });
});
