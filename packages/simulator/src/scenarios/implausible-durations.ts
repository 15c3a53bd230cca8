/**
 * implausible-durations: for 3–6 weeks one or two actors file forms far too fast (2–5 s) or
 * always in the same time (a constant ±0.25 s), several extra forms a day on top of their
 * usual ones. Half the time instead one actor among honest colleagues (the least active one
 * with ~40 forms a month) files its usual forms in 2–5 s, nothing extra: labelled on the actor,
 * a case for the actor-level test.
 */
import { localDayNumber } from '../time.js';
import { staffWork } from '../traffic.js';
import type { Unit } from '../world.js';
import type { Injection } from './injection.js';
import {
  actorScope,
  byActivity,
  isoPeriod,
  loneActor,
  orgScope,
  type PlanContext,
  pickWindow,
  within,
  workingSpan,
} from './plan-context.js';

export function planImplausibleDurations(ctx: PlanContext, unit: Unit): Injection | null {
  const { rng, calendar } = ctx;
  const window = pickWindow(ctx, 21, 42);
  if (window === null) return null;
  const span = workingSpan(calendar, window);
  if (span === null) return null;
  const lone = rng.chance(0.5);
  const actors = lone ? [loneActor(unit, 0.2, 40)] : rng.sample(byActivity(unit).slice(0, 4), rng.intBetween(1, 2));
  const ids = new Set(actors.map((a) => a.id));
  const fast = lone || rng.chance(0.5);
  const constantMs = rng.pick([30_000, 45_000, 60_000]);
  ctx.label({
    scenario: 'implausible-durations',
    kind: 'fabrication',
    detectors: ['implausible-durations'],
    scope: lone ? actorScope(unit, actors[0]!) : orgScope(unit),
    period: isoPeriod(span),
    description: fast
      ? `${[...ids].join(', ')} file forms in 2–5 s`
      : `${[...ids].join(', ')} file every form in ${constantMs / 1000} s ± 0.25 s`,
  });
  return {
    transform(e, day) {
      if (e.action !== 'form.submit' || !ids.has(e.actorId) || !within(localDayNumber(e.occurredAt), window)) return;
      e.durationMs = fast ? day.rng.intBetween(2_000, 5_000) : constantMs + day.rng.intBetween(-250, 250);
    },
    addEvents(day) {
      if (lone || !within(day.day, span) || !calendar.isWorkingDay(day.day)) return;
      for (const actor of actors) staffWork(day, actor, day.rng.intBetween(3, 8), () => 'form.submit');
    },
  };
}
