/**
 * Platform-use hard negatives for idle-platform (摆设):
 * - busy-staff-platform: a platform in real use whose traces are mostly staff work — every unit's
 *   public traffic at 12 % of its usual level (1.5–3.5 % of staff work), so staff make over
 *   95 % of the traces while hundreds to thousands of citizens still use it each month;
 * - staff-facing-platform: an internal platform (no public traffic at all), which a deployment
 *   declares staff-facing (the label says so; bench:quality passes it to analyze as the
 *   deployment setting), so it must not be judged on public use.
 */
import type { Platform, Unit } from '../world.js';
import type { Injection } from './injection.js';
import { isoPeriod, type PlanContext, platformScope } from './plan-context.js';

/** The public's share of its usual traffic on a busy staff-majority platform. */
const BUSY_STAFF_PUBLIC_FACTOR = 0.12;

export function planPlatformUse(
  ctx: PlanContext,
  scenario: 'busy-staff-platform' | 'staff-facing-platform',
  platform: Platform,
  units: readonly Unit[],
): Map<number, Injection> {
  ctx.label({
    scenario,
    kind: 'hard-negative',
    detectors: [],
    scope: platformScope(platform),
    period: isoPeriod({ start: ctx.firstDay, end: ctx.lastDay }),
    description:
      scenario === 'busy-staff-platform'
        ? 'busy platform whose traces are > 95 % staff work, with many public users a month'
        : 'staff-facing (internal) platform, declared so: no public use expected',
  });
  const factor = scenario === 'busy-staff-platform' ? BUSY_STAFF_PUBLIC_FACTOR : 0;
  return new Map(units.map((u) => [u.index, { publicFactor: () => factor }]));
}
