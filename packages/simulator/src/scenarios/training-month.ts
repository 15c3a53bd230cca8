/**
 * Hard negative — a month of online study: for one calendar month a unit's staff read course
 * pages (`course.view`, presence traces, in sessions opened by log-ins) 3–4× as often as they
 * work, and do all their usual work. The presence share of the month reaches about 0.8, yet no
 * substantive action is missing: presence-only must not read it as traces kept instead of work.
 * The month holds no pre-window of the unit's evaluations (a study drive there would be a burst
 * of traces before an evaluation, a different question).
 */

import { poisson } from '../distributions.js';
import { PRE_WINDOW_DAYS } from '../evaluations.js';
import { monthEndDay, monthKey, monthStartDay } from '../time.js';
import { staffWork } from '../traffic.js';
import type { Unit } from '../world.js';
import type { Injection } from './injection.js';
import { isoPeriod, orgScope, type PlanContext, within } from './plan-context.js';

export function planTrainingMonth(ctx: PlanContext, unit: Unit): Injection | null {
  const { rng } = ctx;
  const preWindowDays = new Set<number>();
  for (const e of ctx.evaluations.forUnit(unit))
    for (let d = e.day - PRE_WINDOW_DAYS; d < e.day; d++) preWindowDays.add(d);
  // whole months after the first three (the unit's own history), none holding a pre-window
  const candidates: number[] = [];
  for (let key = monthKey(ctx.firstDay) + 3; key <= monthKey(ctx.lastDay); key++) {
    const start = monthStartDay(key);
    const end = Math.min(monthEndDay(key), ctx.lastDay);
    if (end < monthEndDay(key)) continue;
    let clear = true;
    for (let d = start; d <= end && clear; d++) clear = !preWindowDays.has(d);
    if (clear) candidates.push(key);
  }
  if (candidates.length === 0) return null;
  const key = rng.pick(candidates);
  const window = { start: monthStartDay(key), end: monthEndDay(key) };
  const multiple = rng.uniform(3, 4);
  ctx.label({
    scenario: 'training-month',
    kind: 'hard-negative',
    detectors: [],
    scope: orgScope(unit),
    period: isoPeriod(window),
    description: `a month of online study: course pages read ${multiple.toFixed(1)}× as often as the usual work, work unchanged`,
  });
  return {
    addEvents(day) {
      if (!within(day.day, window) || !day.calendar.isWorkingDay(day.day)) return;
      const expected = multiple * unit.staffDailyMean * day.seasonality.staffFactor(day.day);
      for (const actor of unit.staff)
        staffWork(day, actor, poisson(day.rng, expected * actor.weight), () => 'course.view');
    },
  };
}
