/**
 * burst-before-evaluation: a few staff add 1.8–3 times the unit's normal activity on top of
 * it in the 7 days before an evaluation (activity ×2.8–4), with human timing and the usual
 * lag; activity falls back after the evaluation. The floor is 2.8, not 2.5: a small unit's
 * own noise (a coefficient of variation near 0.15 over five working days) would otherwise
 * often leave the realised rate ratio under the detector's threshold of 2.
 */
import { poisson, WeightedChoice } from '../distributions.js';
import { BASELINE_DAYS, PRE_WINDOW_DAYS, preWindow } from '../evaluations.js';
import type { Rng } from '../random.js';
import { staffWork } from '../traffic.js';
import type { Unit } from '../world.js';
import type { Injection } from './injection.js';
import { isoPeriod, orgScope, type PlanContext, splitCount, within } from './plan-context.js';

/** Staff traces per work event, logins included (measured on clean traffic: 0.18 logins per work event). */
const LOGINS_PER_WORK_EVENT = 1.18;
const PADDING_ACTIONS = ['visit.record', 'case.close', 'form.submit'];
const PADDING_MIX = new WeightedChoice([0.45, 0.35, 0.2]);
/** The countable traces a unit pads its record with. */
export const paddingAction = (rng: Rng): string => PADDING_ACTIONS[PADDING_MIX.sample(rng)] as string;

export function planBurst(ctx: PlanContext, unit: Unit): Injection | null {
  const { rng } = ctx;
  const evaluation = ctx.evaluations.pickFor(rng, unit, {
    before: PRE_WINDOW_DAYS + BASELINE_DAYS,
    after: PRE_WINDOW_DAYS,
    baselineDays: BASELINE_DAYS,
  });
  if (evaluation === null) return null;
  const window = preWindow(evaluation);
  const multiplier = rng.uniform(2.8, 4);
  const fabricators = rng.sample(unit.staff, rng.intBetween(2, 3));
  ctx.label({
    scenario: 'burst-before-evaluation',
    kind: 'fabrication',
    detectors: ['burst-before-evaluation'],
    scope: orgScope(unit),
    period: isoPeriod(window),
    description:
      `activity ×${multiplier.toFixed(2)} in the ${PRE_WINDOW_DAYS} days before evaluation ${evaluation.id}, ` +
      `padded by ${fabricators.map((a) => a.id).join(', ')}; normal again after it`,
  });
  return {
    addEvents(day) {
      if (!within(day.day, window)) return;
      // The unit's whole activity: staff work, the logins around it, the public.
      const expected =
        unit.staffDailyMean * day.seasonality.staffFactor(day.day) * LOGINS_PER_WORK_EVENT +
        unit.publicDailyMean * day.seasonality.publicFactor(day.day);
      const extra = poisson(day.rng, ((multiplier - 1) * expected) / LOGINS_PER_WORK_EVENT);
      splitCount(day.rng, extra, fabricators.length).forEach((n, i) => {
        staffWork(day, fabricators[i]!, n, paddingAction);
      });
    },
  };
}
