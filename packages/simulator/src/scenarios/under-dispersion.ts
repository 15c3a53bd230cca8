/**
 * under-dispersion: for 5–8 weeks a script posts the unit's usual daily volume, ±1, every
 * working day (one login a day, random times in office hours) and is all the unit's
 * activity: daily counts too steady to be human work.
 */
import { staffEvent } from '../actions.js';
import { staffSessionStart } from '../behaviour.js';
import { randomHex } from '../hex.js';
import { unitActions } from '../traffic.js';
import type { Unit } from '../world.js';
import type { Injection } from './injection.js';
import { byActivity, isoPeriod, orgScope, type PlanContext, pickWindow, within, workingSpan } from './plan-context.js';

export function planUnderDispersion(ctx: PlanContext, unit: Unit): Injection | null {
  const { rng, calendar } = ctx;
  const window = pickWindow(ctx, 35, 60);
  if (window === null) return null;
  const span = workingSpan(calendar, window);
  if (span === null) return null;
  const perDay = Math.max(5, Math.round(unit.staffDailyMean));
  const scripts = rng.sample(byActivity(unit).slice(0, 3), 2);
  const actions = unitActions(unit);
  ctx.label({
    scenario: 'under-dispersion',
    kind: 'fabrication',
    detectors: ['under-dispersion'],
    scope: orgScope(unit),
    period: isoPeriod(span),
    description: `a script posts ${perDay} ± 1 traces every working day as ${scripts.map((a) => a.id).join(', ')}`,
  });
  return {
    // The script is the unit's whole activity: honest traffic would add back the variance it removes.
    staffFactor: (day) => (within(day, window) ? 0 : 1),
    publicFactor: (day) => (within(day, window) ? 0 : 1),
    addEvents(day) {
      if (!within(day.day, span) || !calendar.isWorkingDay(day.day)) return;
      const { rng: r } = day;
      const total = perDay + r.intBetween(-1, 1);
      const first = Math.ceil(total * 0.6);
      scripts.forEach((script, i) => {
        const count = i === 0 ? first : total - first;
        const session = randomHex(r, 2);
        const device = script.devices[0]!;
        const times = Array.from({ length: count }, () => day.dayStart + Math.round(staffSessionStart(r))).sort(
          (a, b) => a - b,
        );
        if (times.length > 0) day.emit(staffEvent(day, script, 'login', times[0]! - 5_000, session, device));
        for (const t of times) day.emit(staffEvent(day, script, actions(r), t, session, device));
      });
    },
  };
}
