/**
 * Hard negative — a new unit: no activity before its start, then a linear ramp to full
 * volume over 4–8 weeks.
 */
import type { Unit } from '../world.js';
import type { Injection } from './injection.js';
import { isoPeriod, orgScope, type PlanContext } from './plan-context.js';

export function planNewUnitRamp(ctx: PlanContext, unit: Unit): Injection | null {
  const { rng, calendar } = ctx;
  const span = ctx.lastDay - ctx.firstDay + 1;
  if (span < 42) return null;
  const start = calendar.workingDayOnOrAfter(ctx.firstDay + Math.round(rng.uniform(0.15, 0.5) * span));
  if (start + 14 > ctx.lastDay) return null;
  const rampDays = rng.intBetween(28, 56);
  unit.activeFrom = start;
  ctx.label({
    scenario: 'new-unit-ramp',
    kind: 'hard-negative',
    detectors: [],
    scope: orgScope(unit),
    period: isoPeriod({ start, end: Math.min(ctx.lastDay, start + rampDays - 1) }),
    description: `new unit, starts from zero and reaches full volume over ${rampDays} days`,
  });
  const level = (day: number) => (day < start ? 0 : Math.min(1, (day - start + 1) / rampDays));
  return { staffFactor: level, publicFactor: level };
}
