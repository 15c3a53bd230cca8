/**
 * Hard negative — platform outage: for one or two working days (and any days off up to the
 * catch-up) a platform records nothing; on the next working day every unit uploads what it
 * did meanwhile, all late at once.
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

/**
 * Plans and labels an outage; null when the run is too short, no unit is active yet, or it
 * would overlap one of `existing`.
 */
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
  const firstDown = calendar.workingDayOnOrAfter(lo + rng.int(hi - lo + 1));
  if (firstDown > hi) return null;
  // One or two working days lost; the platform stays down until the catch-up morning.
  const lastDown = rng.chance(0.6) ? calendar.workingDayOnOrAfter(firstDown + 1) : firstDown;
  const catchUpDay = calendar.workingDayOnOrAfter(lastDown + 1);
  const from = firstDown;
  const to = catchUpDay - 1;
  const clash = existing.some((o) => o.platformId === platform.id && o.from <= catchUpDay && from <= o.catchUpDay);
  const affected = units.filter((u) => u.activeFrom <= to);
  if (clash || affected.length === 0) return null;
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
  for (const unit of affected) {
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
