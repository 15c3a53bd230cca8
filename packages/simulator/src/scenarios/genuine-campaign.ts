/**
 * Hard negative — genuine campaign: before an evaluation the whole unit really works more
 * (×1.3–1.6), light staff joining in, with natural timing and the usual recording lag.
 */
import { BASELINE_DAYS, PRE_WINDOW_DAYS, preWindow } from '../evaluations.js';
import type { Unit } from '../world.js';
import type { Injection } from './injection.js';
import { isoPeriod, orgScope, type PlanContext, within } from './plan-context.js';

/** Extra lift of the staff lighter than average (more actors take part). */
const LIGHT_STAFF_LIFT = 1.2;

export function planGenuineCampaign(ctx: PlanContext, unit: Unit): Injection | null {
  const evaluation = ctx.evaluations.pickFor(ctx.rng, unit, {
    before: PRE_WINDOW_DAYS + BASELINE_DAYS,
    after: PRE_WINDOW_DAYS,
    baselineDays: BASELINE_DAYS,
  });
  if (evaluation === null) return null;
  const window = preWindow(evaluation);
  const lift = ctx.rng.uniform(1.3, 1.6);
  const average = 1 / unit.staff.length;
  const lightShare = unit.staff.filter((a) => a.weight < average).reduce((s, a) => s + a.weight, 0);
  // Normalised so that the unit as a whole works `lift` times as much.
  const unitLift = lift / (1 + (LIGHT_STAFF_LIFT - 1) * lightShare);
  ctx.label({
    scenario: 'genuine-campaign',
    kind: 'hard-negative',
    detectors: [],
    scope: orgScope(unit),
    period: isoPeriod(window),
    description: `honest campaign, work ×${lift.toFixed(2)} before evaluation ${evaluation.id}`,
  });
  return {
    staffFactor: (day) => (within(day, window) ? unitLift : 1),
    actorFactor: (day, actor) => (within(day, window) && actor.weight < average ? LIGHT_STAFF_LIFT : 1),
  };
}
