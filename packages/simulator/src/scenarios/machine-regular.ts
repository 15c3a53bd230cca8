/**
 * machine-regular-timing: for 2–4 weeks one actor's traces come from a script — every 120,
 * 180 or 300 s, either exactly on second :00 of the clock or every interval ±1 s — and the
 * actor's own irregular work stops.
 */
import { staffEvent } from '../actions.js';
import { HOUR_MS, MINUTE_MS } from '../time.js';
import type { Unit } from '../world.js';
import type { Injection } from './injection.js';
import {
  actorScope,
  byActivity,
  isoPeriod,
  type PlanContext,
  pickWindow,
  within,
  workingSpan,
} from './plan-context.js';

export function planMachineRegular(ctx: PlanContext, unit: Unit): Injection | null {
  const { rng, calendar } = ctx;
  const window = pickWindow(ctx, 14, 28);
  if (window === null) return null;
  const span = workingSpan(calendar, window);
  if (span === null) return null;
  const actor = rng.pick(byActivity(unit).slice(0, 3));
  const onTheMinute = rng.chance(0.5);
  const intervalMs = rng.pick([120, 180, 300]) * 1000;
  ctx.label({
    scenario: 'machine-regular-timing',
    kind: 'fabrication',
    detectors: ['machine-regular-timing'],
    scope: actorScope(unit, actor),
    period: isoPeriod(span),
    description: onTheMinute
      ? `a script posts as ${actor.id} every ${intervalMs / 1000} s, always at second :00`
      : `a script posts as ${actor.id} every ${intervalMs / 1000} s ± 1 s`,
  });
  return {
    actorFactor: (day, a) => (a === actor && within(day, window) ? 0 : 1),
    addEvents(day) {
      if (!within(day.day, span) || !calendar.isWorkingDay(day.day)) return;
      const { rng: r } = day;
      const count = r.intBetween(25, 45);
      const session = actor.devices[0]!.slice(0, 8) + day.day.toString(16).padStart(8, '0');
      let t = day.dayStart + 9 * HOUR_MS + r.intBetween(0, 20) * MINUTE_MS;
      if (!onTheMinute) t += r.int(60_000);
      for (let k = 0; k < count; k++) {
        let at: number;
        if (onTheMinute) {
          at = t + k * intervalMs + r.int(900);
        } else {
          t += intervalMs + r.intBetween(-1000, 1000);
          at = t;
        }
        const e = staffEvent(day, actor, 'visit.record', at, session, actor.devices[0]!);
        e.recordedAt = at + r.intBetween(100, 900);
        day.emit(e);
      }
    },
  };
}
