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
});
