/**
 * Hard negative — platform outage: for one or two working days a platform records nothing;
 * on the next working day every unit uploads what it did meanwhile, all late at once.
 */
import type { Platform, Unit } from '../world.js';
import { isoPeriod, orgScope, type PlanContext, platformScope } from './plan-context.js';

export interface Outage {
  platformId: string;
  /** Days nothing is recorded, inclusive. */
  from: number;
  to: number;
  /** The working day the backlog is uploaded. */
  catchUpDay: number;
}

/** Plans and labels an outage; null when the run is too short or it would overlap one of `existing`. */
export function planPlatformOutage(
  ctx: PlanContext,
  platform: Platform,
  units: readonly Unit[],
  existing: readonly Outage[],
): Outage | null {
  const { rng, calendar } = ctx;
  const lo = ctx.firstDay + 14;
  const hi = ctx.lastDay - 10;
  if (hi < lo) return null;
  const from = calendar.workingDayOnOrAfter(lo + rng.int(hi - lo + 1));
  if (from > hi) return null;
  const to = calendar.isWorkingDay(from + 1) && rng.chance(0.6) ? from + 1 : from;
  const catchUpDay = calendar.workingDayOnOrAfter(to + 1);
  const clash = existing.some((o) => o.platformId === platform.id && o.from <= catchUpDay && from <= o.catchUpDay);
  if (clash) return null;
  const period = isoPeriod({ start: from, end: catchUpDay });
  const description = `platform outage, nothing recorded for ${to - from + 1} day(s), every unit catches up at once`;
  ctx.label({
    scenario: 'platform-outage',
    kind: 'hard-negative',
    detectors: [],
    scope: platformScope(platform),
    period,
    description,
  });
  for (const unit of units) {
    ctx.label({
      scenario: 'platform-outage',
      kind: 'hard-negative',
      detectors: [],
      scope: orgScope(unit),
      period,
      description,
    });
  }
  return { platformId: platform.id, from, to, catchUpDay };
}
