import { describe, expect, it } from 'vitest';
import { isoToDayNumber } from '../time.js';
import { PRC_CALENDAR } from './calendar.js';
import { calendarEffectsOf } from './calendar-effects.js';

const effects = (iso: string) => [...calendarEffectsOf(isoToDayNumber(iso), PRC_CALENDAR)];

describe('calendar effects', () => {
  it('month and quarter ends: the last 3 working days, 调休 included', () => {
    // July 2024 ends Wed 31: Jul 29, 30, 31
    expect(effects('2024-07-26')).toEqual([]);
    expect(effects('2024-07-29')).toEqual(['month-end']);
    expect(effects('2024-07-31')).toEqual(['month-end']);
    // August 2024 ends on a Saturday: Aug 28, 29, 30 (Fri); the weekend has no effect
    expect(effects('2024-08-28')).toEqual(['month-end']);
    expect(effects('2024-08-27')).toEqual([]);
    expect(effects('2024-08-31')).toEqual([]);
    // April 2024: Sunday Apr 28 is worked (May Day 调休), so Apr 28, 29, 30; Fri Apr 26 is not an end
    expect(effects('2024-04-28')).toEqual(['month-end']);
    expect(effects('2024-04-26')).toEqual([]);
    // June is a quarter end: Jun 26, 27, 28 (Jun 29–30 weekend)
    expect(effects('2024-06-26')).toEqual(['quarter-end']);
    // September 2025: National Day off from Oct 1, Sunday Sep 28 worked: Sep 28, 29, 30
    expect(effects('2025-09-28')).toEqual(['quarter-end']);
    expect(effects('2025-09-26')).toEqual([]);
  });

  it('after a long break: the first 2 working days after ≥ 3 days off with a holiday', () => {
    // National Day 2024: Oct 1–7 off; Tue Oct 8 and Wed Oct 9 catch up; Thu Oct 10 is ordinary
    expect(effects('2024-10-08')).toEqual(['after-holiday']);
    expect(effects('2024-10-09')).toEqual(['after-holiday']);
    expect(effects('2024-10-10')).toEqual([]);
    // Dragon Boat 2024: Sat Jun 8 – Mon Jun 10 off (3 days): Jun 11, 12
    expect(effects('2024-06-11')).toEqual(['after-holiday']);
    // an ordinary weekend is no long break: Monday 2024-07-08
    expect(effects('2024-07-08')).toEqual([]);
    // Spring Festival 2024 (Feb 10–17 off): Sunday Feb 18 is worked and is the first catch-up day
    expect(effects('2024-02-18')).toEqual(['after-holiday']);
    expect(effects('2024-02-19')).toEqual(['after-holiday']);
    expect(effects('2024-02-20')).toEqual([]);
  });

  it('short breaks and days off have none', () => {
    // May Day 2025: May 1–5 off; Tue May 6 catches up
    expect(effects('2025-05-06')).toEqual(['after-holiday']);
    // New Year 2025 is one day off (Jan 1, Wed): not a long break
    expect(effects('2025-01-02')).toEqual([]);
    // Mid-Autumn 2024 (Sep 15–17 off) and the end of September: Wed Sep 18, Thu 19 catch up;
    // the month's last working days are Sep 27, 29 (Sunday, 调休) and 30
    expect(effects('2024-09-18')).toEqual(['after-holiday']);
    expect(effects('2024-09-29')).toEqual(['quarter-end']);
    expect(effects('2024-10-01')).toEqual([]);
    expect(effects('2024-07-06')).toEqual([]);
  });
});
