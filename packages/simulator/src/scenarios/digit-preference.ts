/**
 * digit-preference: for 2–3 months a unit's reported counts are "rounded": half of the form
 * values ≥ 10 go to the nearest 10, a quarter to the nearest 5; most reported rates are
 * put on whole percents (denominator a multiple of 100). Half the time instead one actor among
 * honest colleagues (the least active one with ~70 forms a month) rounds its own form values
 * (rates untouched): labelled on the actor, a case for the actor-level tests.
 */
import { localDayNumber } from '../time.js';
import type { Unit } from '../world.js';
import type { Injection } from './injection.js';
import {
  actorScope,
  isoPeriod,
  loneActor,
  orgScope,
  type PlanContext,
  pickWindow,
  within,
  workingSpan,
} from './plan-context.js';

export function planDigitPreference(ctx: PlanContext, unit: Unit): Injection | null {
  const window = pickWindow(ctx, 60, 90) ?? pickWindow(ctx, 30, 60);
  if (window === null) return null;
  const span = workingSpan(ctx.calendar, window);
  if (span === null) return null;
  const lone = ctx.rng.chance(0.5) ? loneActor(unit, 0.2, 70) : null;
  ctx.label({
    scenario: 'digit-preference',
    kind: 'fabrication',
    detectors: ['digit-preference'],
    scope: lone === null ? orgScope(unit) : actorScope(unit, lone),
    period: isoPeriod(span),
    description:
      lone === null
        ? 'reported values heaped on multiples of 10 and 5; rates put on whole percents'
        : `${lone.id} rounds its form values to multiples of 10 and 5`,
  });
  return {
    transform(e, day) {
      if (e.value === undefined || !within(localDayNumber(e.occurredAt), window)) return;
      if (lone !== null && e.actorId !== lone.id) return;
      const { rng } = day;
      if (e.action === 'form.submit' && e.value >= 10) {
        const r = rng.next();
        if (r < 0.5) e.value = Math.round(e.value / 10) * 10;
        else if (r < 0.75) e.value = Math.round(e.value / 5) * 5;
      } else if (lone === null && e.action === 'report.file' && e.valueDenominator !== undefined && rng.chance(0.6)) {
        const percent = Math.round((100 * e.value) / e.valueDenominator);
        const hundreds = rng.intBetween(1, 6);
        e.valueDenominator = 100 * hundreds;
        e.value = percent * hundreds;
      }
    },
  };
}
