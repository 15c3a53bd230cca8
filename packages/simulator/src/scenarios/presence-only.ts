/**
 * presence-only (只留痕): for 1–2 months a unit's staff keep up their traces but not their work —
 * 85 % of their substantive actions (cases, visits, forms, tasks, reports) become `doc.view`
 * presence traces at the same moments, so volume and timing stay as before and only the kind
 * of trace changes.
 */
import { localDayNumber } from '../time.js';
import type { Unit } from '../world.js';
import type { Injection } from './injection.js';
import { isoPeriod, orgScope, type PlanContext, pickWindow, within, workingSpan } from './plan-context.js';

export function planPresenceOnly(ctx: PlanContext, unit: Unit): Injection | null {
  const window = pickWindow(ctx, 45, 60, 100) ?? pickWindow(ctx, 30, 45);
  if (window === null) return null;
  const span = workingSpan(ctx.calendar, window);
  if (span === null) return null;
  ctx.label({
    scenario: 'presence-only',
    kind: 'fabrication',
    detectors: ['presence-only'],
    scope: orgScope(unit),
    period: isoPeriod(span),
    description: "85 % of the unit's substantive staff actions replaced by views: traces kept, work not done",
  });
  return {
    transform(e, day) {
      if (e.actorRole !== 'staff' || e.action === 'login' || e.platformId !== unit.platform.id) return;
      if (!within(localDayNumber(e.occurredAt), window) || !day.rng.chance(0.85)) return;
      e.action = 'doc.view';
      e.taskId = undefined;
      e.assignedAt = undefined;
      e.deadline = undefined;
      e.value = undefined;
      e.valueDenominator = undefined;
      e.durationMs = undefined;
      e.contentHash = undefined;
      e.simhash = undefined;
    },
  };
}
