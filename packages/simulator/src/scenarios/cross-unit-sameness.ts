/**
 * cross-unit-sameness: on about half the working days of 3–5 weeks, 6–10 staff of a unit
 * each file a form with the very same value (a figure agreed on, not counted).
 */
import { staffEvent } from '../actions.js';
import { staffSessionStart } from '../behaviour.js';
import { lognormal } from '../distributions.js';
import { randomHex } from '../hex.js';
import { ensureStaff, type Unit } from '../world.js';
import type { Injection } from './injection.js';
import { isoPeriod, orgScope, type PlanContext, pickWindow } from './plan-context.js';

export const SAMENESS_MIN_STAFF = 8;

export function planCrossUnitSameness(ctx: PlanContext, unit: Unit): Injection | null {
  const { rng, calendar } = ctx;
  const window = pickWindow(ctx, 21, 35);
  if (window === null) return null;
  const workingDays = calendar.workingDays(window.start, window.end);
  if (workingDays.length < 5) return null;
  ensureStaff(rng, unit, SAMENESS_MIN_STAFF);
  const days = rng.sample(workingDays, Math.max(5, Math.round(workingDays.length / 2))).sort((a, b) => a - b);
  const plan = new Map<number, { value: number; actors: number }>();
  for (const d of days) {
    plan.set(d, {
      value: Math.max(12, Math.round(lognormal(rng, 80, 0.3))),
      actors: rng.intBetween(6, Math.min(10, unit.staff.length)),
    });
  }
  ctx.label({
    scenario: 'cross-unit-sameness',
    kind: 'fabrication',
    detectors: ['cross-unit-sameness'],
    scope: orgScope(unit),
    period: isoPeriod({ start: days[0]!, end: days[days.length - 1]! }),
    description: `on ${days.length} days, 6–10 staff each report the same form value`,
  });
  return {
    addEvents(day) {
      const today = plan.get(day.day);
      if (today === undefined) return;
      const { rng: r } = day;
      for (const actor of r.sample(unit.staff, today.actors)) {
        const at = day.dayStart + Math.round(staffSessionStart(r));
        const e = staffEvent(day, actor, 'form.submit', at, randomHex(r, 2), r.pick(actor.devices));
        e.value = today.value;
        day.emit(e);
      }
    },
  };
}
