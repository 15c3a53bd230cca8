import { describe, expect, it } from 'vitest';
import { WorkCalendar } from './calendar.js';
import { BASELINE_DAYS, EvaluationCalendar, PRE_WINDOW_DAYS } from './evaluations.js';
import { isoToDay } from './time.js';
import type { Unit } from './world.js';

const unit = { id: 'org-0001', platform: { id: 'plat-01' } } as Unit;
const calendar = () => new EvaluationCalendar(1, new WorkCalendar(), isoToDay('2025-01-01'), isoToDay('2025-06-30'));

describe('evaluation calendar', () => {
  it("the burst baseline skips holidays: a fixed 35 days' room is not enough around Spring Festival", () => {
    const c = calendar();
    // E = Mon 2025-02-10, pre-window Feb 3–9. Before Feb 3 the non-holiday days inside the run are
    // Jan 2–27 (Jan 1 and Jan 28 – Feb 4 are holidays): 26 < 28, though E − 35 = Jan 6 is inside.
    expect(c.fits(isoToDay('2025-02-10'), { before: PRE_WINDOW_DAYS + BASELINE_DAYS, after: 0 })).toBe(true);
    expect(c.hasBaseline(isoToDay('2025-02-10'), unit, BASELINE_DAYS)).toBe(false);
    // E = Feb 13: pre-window Feb 6–12; Feb 5 + Jan 2–27 = 27 days < 28
    expect(c.hasBaseline(isoToDay('2025-02-13'), unit, BASELINE_DAYS)).toBe(false);
    // E = Feb 14: pre-window Feb 7–13; Feb 5, Feb 6 + Jan 2–27 = 28 days
    expect(c.hasBaseline(isoToDay('2025-02-14'), unit, BASELINE_DAYS)).toBe(true);
  });
});
