/**
 * deadline-crunch: for 4–6 weeks 70 % of a unit's task completions land in the last 5 % of
 * the allowed time, and on about a third of the working days one actor closes 10–20 tasks
 * within a minute just before their deadline. Half the time instead one actor among punctual
 * colleagues (the least active one with ~40 completions a month) completes 90 % of its tasks
 * in the last 5 %, no batches: labelled on the actor, a case for the actor-level test.
 */
import { placeTask, staffEvent } from '../actions.js';
import { staffSessionStart } from '../behaviour.js';
import { randomHex } from '../hex.js';
import { DAY_MS, localDayNumber } from '../time.js';
import type { Unit } from '../world.js';
import type { Injection } from './injection.js';
import { actorScope, isoPeriod, loneActor, orgScope, type PlanContext, pickWindow, within } from './plan-context.js';

export function planDeadlineCrunch(ctx: PlanContext, unit: Unit): Injection | null {
  const { rng, calendar } = ctx;
  const window = pickWindow(ctx, 28, 45);
  if (window === null) return null;
  const workingDays = calendar.workingDays(window.start, window.end);
  if (workingDays.length < 2) return null;
  const batchDays = new Set(rng.sample(workingDays, Math.max(2, Math.round(workingDays.length * 0.3))));
  const lone = rng.chance(0.5) ? loneActor(unit, 0.17, 40) : null;
  const period = isoPeriod({ start: workingDays[0]!, end: workingDays[workingDays.length - 1]! });
  ctx.label({
    scenario: 'deadline-crunch',
    kind: 'fabrication',
    detectors: ['deadline-crunch'],
    scope: lone === null ? orgScope(unit) : actorScope(unit, lone),
    period,
    description:
      lone === null
        ? `task completions piled into the last 5 % of the allowed time; ${batchDays.size} batch completions of 10–20 tasks within a minute`
        : `${lone.id} completes 90 % of its tasks in the last 5 % of the allowed time`,
  });
  return {
    transform(e, day) {
      if (e.action !== 'task.complete' || e.assignedAt === undefined || e.deadline === undefined) return;
      if (lone !== null && e.actorId !== lone.id) return;
      if (!within(localDayNumber(e.occurredAt), window) || !day.rng.chance(lone === null ? 0.7 : 0.9)) return;
      placeTask(e, day.rng.uniform(0.95, 1), e.deadline - e.assignedAt);
    },
    addEvents(day) {
      if (lone !== null || !batchDays.has(day.day)) return;
      const { rng: r } = day;
      const actor = r.pick(unit.staff);
      const size = r.intBetween(10, 20);
      const allowance = r.pick([1, 2, 3]) * DAY_MS;
      const session = randomHex(r, 2);
      const device = r.pick(actor.devices);
      let t = day.dayStart + Math.round(staffSessionStart(r));
      for (let k = 0; k < size; k++) {
        t += r.intBetween(1_000, 2_500);
        const e = staffEvent(day, actor, 'task.complete', t, session, device);
        placeTask(e, r.uniform(0.97, 1), allowance);
        day.emit(e);
      }
    },
  };
}
