import { describe, expect, it } from 'vitest';
import { isoToDayNumber, isoWeekday } from '../time.js';
import { PRC_CALENDAR } from './calendar.js';
import { chooseDayProfile, estimateDayProfile, flatDayProfile } from './day-profile.js';

const d = isoToDayNumber;

/** Weekdays 10, weekends 2, over [first, last]. */
function weekly(first: number, last: number): Map<number, number> {
  const counts = new Map<number, number>();
  for (let day = first; day <= last; day++) counts.set(day, isoWeekday(day) <= 5 ? 10 : 2);
  return counts;
}

describe('day-of-week profile', () => {
  it('estimates weights relative to the mean day', () => {
    // 2024-07-01 (Mon) .. 2024-08-25 (Sun): 8 whole weeks, no holiday.
    // mean day = (5·10 + 2·2)/7 = 54/7 ≈ 7.714; weekday weight 10/(54/7) = 70/54 ≈ 1.2963,
    // weekend 2/(54/7) = 14/54 ≈ 0.2593
    const first = d('2024-07-01');
    const last = d('2024-08-25');
    const profile = estimateDayProfile({ counts: weekly(first, last), firstDay: first, lastDay: last }, PRC_CALENDAR);
    expect(profile?.source).toBe('own');
    expect(profile?.weight(d('2024-07-03'))).toBeCloseTo(70 / 54, 12);
    expect(profile?.weight(d('2024-07-06'))).toBeCloseTo(14 / 54, 12);
    // a 调休 Sunday (2024-09-29) is a working day: too few working Sundays, so the working mean
    expect(profile?.weight(d('2024-09-29'))).toBeCloseTo(70 / 54, 12);
    // a holiday Tuesday (2024-10-01): non-working group mean = the weekend level
    expect(profile?.weight(d('2024-10-01'))).toBeCloseTo(14 / 54, 12);
    expect(profile?.isFlat).toBe(false);
  });
  it('needs 8 weeks of own history; falls back to pooled, then flat', () => {
    const first = d('2024-07-01');
    const last = d('2024-08-24'); // 55 days
    const history = { counts: weekly(first, last), firstDay: first, lastDay: last };
    expect(estimateDayProfile(history, PRC_CALENDAR)).toBeNull();
    const pooled = estimateDayProfile(
      { counts: weekly(first, last + 30), firstDay: first, lastDay: last + 30 },
      PRC_CALENDAR,
      'pooled',
    );
    expect(chooseDayProfile(history, PRC_CALENDAR, pooled).source).toBe('pooled');
    const flat = chooseDayProfile(history, PRC_CALENDAR, null);
    expect(flat.source).toBe('flat');
    expect(flat.isFlat).toBe(true);
    expect(flat.weight(first)).toBe(1);
  });
  it('excluded days do not count towards the history or the weights', () => {
    const first = d('2024-07-01');
    const last = d('2024-09-01'); // 63 days
    const counts = weekly(first, last);
    for (let day = d('2024-08-05'); day <= d('2024-08-11'); day++) counts.set(day, 500); // a burst week
    const profile = estimateDayProfile(
      { counts, firstDay: first, lastDay: last, exclude: (day) => day >= d('2024-08-05') && day <= d('2024-08-11') },
      PRC_CALENDAR,
    );
    expect(profile?.weight(d('2024-07-03'))).toBeCloseTo(70 / 54, 12);
  });
  it('all-zero history gives no profile', () => {
    const first = d('2024-07-01');
    expect(estimateDayProfile({ counts: new Map(), firstDay: first, lastDay: first + 80 }, PRC_CALENDAR)).toBeNull();
    expect(flatDayProfile(PRC_CALENDAR).weights.working).toEqual([1, 1, 1, 1, 1, 1, 1]);
  });

  it('estimates calendar-effect factors against the week; too few days take the fallback', () => {
    // 2024-04-08 … 2024-08-25: working days 20, days off 2, the last 3 working days of a month
    // 100. Month ends: Apr 28–30, May 29–31, Jul 29–31 (9 days ≥ 6): 900 / (9·20) = 5.
    // June's quarter end (Jun 26–28, 3 < 6) takes the month-end factor; the catch-up days after
    // May Day and Dragon Boat (May 6–7, Jun 11–12: 4 < 6) keep 1.
    const ends = new Set(['2024-04-28', '2024-04-29', '2024-04-30', '2024-05-29', '2024-05-30', '2024-05-31']);
    for (const iso of ['2024-06-26', '2024-06-27', '2024-06-28', '2024-07-29', '2024-07-30', '2024-07-31'])
      ends.add(iso);
    const first = d('2024-04-08');
    const last = d('2024-08-25');
    const counts = new Map<number, number>();
    for (let day = first; day <= last; day++) {
      const iso = new Date(day * 86_400_000).toISOString().slice(0, 10);
      counts.set(day, ends.has(iso) ? 100 : PRC_CALENDAR.isWorkingDay(day) ? 20 : 2);
    }
    const history = { counts, firstDay: first, lastDay: last };
    const profile = estimateDayProfile(history, PRC_CALENDAR);
    expect(profile?.factors['month-end']).toBeCloseTo(5, 12);
    expect(profile?.factors['quarter-end']).toBeCloseTo(5, 12);
    expect(profile?.factors['after-holiday']).toBe(1);
    // Wed Aug 28 is a month end, Tue Aug 27 is not
    expect(profile!.weight(d('2024-08-28')) / profile!.weight(d('2024-08-27'))).toBeCloseTo(5, 12);
    // with a fallback (e.g. the platform's factors) the short effects take it
    const fallback = { 'month-end': 1.3, 'quarter-end': 1.6, 'after-holiday': 1.2 };
    const withFallback = estimateDayProfile(history, PRC_CALENDAR, 'own', {}, fallback);
    expect(withFallback?.factors).toEqual({ 'month-end': 5, 'quarter-end': 1.6, 'after-holiday': 1.2 });
    // chooseDayProfile keeps the scope's weekday weights and takes the pooled factors
    const pooled = estimateDayProfile(history, PRC_CALENDAR, 'pooled', {}, fallback)!;
    const flatWeek = new Map<number, number>();
    for (let day = first; day <= last; day++) flatWeek.set(day, 10);
    const chosen = chooseDayProfile({ counts: flatWeek, firstDay: first, lastDay: last }, PRC_CALENDAR, pooled);
    expect(chosen.source).toBe('own');
    expect(chosen.weights.working[1]).toBeCloseTo(1, 12);
    expect(chosen.factors).toEqual(pooled.factors);
    expect(chosen.isFlat).toBe(false);
  });
});
