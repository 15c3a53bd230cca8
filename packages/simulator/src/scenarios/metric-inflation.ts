/**
 * metric-inflation: for 1–3 consecutive months a unit reports one KPI at 1.5–3 times what
 * its traces support.
 */
import { REPORTED_METRICS } from '../metric-names.js';
import { monthEndDay, monthKey, monthStartDay } from '../time.js';
import type { Unit } from '../world.js';
import type { Injection } from './injection.js';
import { isoPeriod, orgScope, type PlanContext } from './plan-context.js';

export function planMetricInflation(ctx: PlanContext, unit: Unit): Injection | null {
  const { rng } = ctx;
  const firstMonth = monthKey(ctx.firstDay);
  const months = monthKey(ctx.lastDay) - firstMonth + 1;
  const length = rng.intBetween(1, Math.min(3, months));
  const from = firstMonth + rng.int(months - length + 1);
  const to = from + length - 1;
  const { metric } = rng.pick(REPORTED_METRICS);
  const factor = rng.uniform(1.5, 3);
  ctx.label({
    scenario: 'metric-inflation',
    kind: 'fabrication',
    detectors: ['metric-inflation'],
    scope: orgScope(unit),
    period: isoPeriod({
      start: Math.max(ctx.firstDay, monthStartDay(from)),
      end: Math.min(ctx.lastDay, monthEndDay(to)),
    }),
    description: `${metric} reported at ×${factor.toFixed(2)} of the traces for ${length} month(s)`,
  });
  return {
    reportMetric: (m, key, honest) => (m === metric && key >= from && key <= to ? Math.round(honest * factor) : honest),
  };
}
