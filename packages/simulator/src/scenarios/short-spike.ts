/**
 * Hard negative — a short honest spike: on the first one or two working days of an evaluation's
 * pre-window the whole unit works 2–2.6× as much (an urgent task: a flood, a safety check), then
 * as usual. An early warning (burst-rising) may sound on those days; once the window has closed
 * its rate ratio is about 1.2–1.6, below a burst's 2, so burst-before-evaluation stays silent
 * and the warning is withdrawn.
 */
import { BASELINE_DAYS, PRE_WINDOW_DAYS, preWindow } from '../evaluations.js';
import type { Unit } from '../world.js';
import type { Injection } from './injection.js';
import { isoPeriod, orgScope, type PlanContext } from './plan-context.js';

export function planShortSpike(ctx: PlanContext, unit: Unit): Injection | null {
  const evaluation = ctx.evaluations.pickFor(ctx.rng, unit, {
    before: PRE_WINDOW_DAYS + BASELINE_DAYS,
    after: PRE_WINDOW_DAYS,
    baselineDays: BASELINE_DAYS,
  });
  if (evaluation === null) return null;
  const window = preWindow(evaluation);
  const spikeDays = new Set(ctx.calendar.workingDays(window.start, window.end).slice(0, ctx.rng.intBetween(1, 2)));
  if (spikeDays.size === 0) return null;
  const lift = ctx.rng.uniform(2, 2.6);
  ctx.label({
    scenario: 'short-spike',
    kind: 'hard-negative',
    detectors: [],
    scope: orgScope(unit),
    period: isoPeriod(window),
    description: `honest spike, work ×${lift.toFixed(2)} on the first ${spikeDays.size} working day(s) before evaluation ${evaluation.id}`,
  });
  return { staffFactor: (day) => (spikeDays.has(day) ? lift : 1) };
}
