/**
 * deadline-design (任务时限过于抢时间): for 1–2 calendar months a platform sets deadlines shorter
 * than the work. The work takes the time it always took (each task's completion moment is the
 * honest one), but 80 % of the tasks are given an allowance of only 0.77–1.05 of that time, so
 * they are finished in the last moments or late. Every unit of the platform is affected at once;
 * the burden is the platform's (labelled on the platform, where deadline-crunch's
 * `deadline-design` rule reports it), not the units' fabrication. Units with their own
 * deadline-crunch fabrication keep it (their label stands, their deadlines are left alone).
 */
import { placeTask } from '../actions.js';
import { localDayNumber, monthEndDay, monthKey, monthStartDay } from '../time.js';
import type { Platform, Unit } from '../world.js';
import type { Injection } from './injection.js';
import { isoPeriod, type PlanContext, platformScope, within } from './plan-context.js';

/** Share of the platform's tasks given a too-short allowance. */
const SHORT_DEADLINE_SHARE = 0.8;

export function planDeadlineDesign(
  ctx: PlanContext,
  platform: Platform,
  units: readonly Unit[],
  spared: ReadonlySet<string>,
): Map<number, Injection> {
  const first = monthKey(ctx.firstDay);
  const last = monthKey(ctx.lastDay);
  // Whole months with at least two months of history before (the units' own baselines) and one after.
  const room = last - 1 - (first + 2) + 1;
  if (room < 1) return new Map();
  const months = ctx.rng.intBetween(1, Math.min(2, room));
  const latestStart = last - months;
  const startKey = ctx.rng.intBetween(first + 2, latestStart);
  const window = { start: monthStartDay(startKey), end: monthEndDay(startKey + months - 1) };
  ctx.label({
    scenario: 'deadline-design',
    kind: 'fabrication',
    detectors: ['deadline-crunch'],
    scope: platformScope(platform),
    period: isoPeriod(window),
    description: `deadlines shorter than the work on ${platform.id}: 80 % of tasks allowed 0.77–1.05 of the time they take`,
  });
  const injection: Injection = {
    transform(e, day) {
      if (e.action !== 'task.complete' || e.assignedAt === undefined || e.deadline === undefined) return;
      if (!within(localDayNumber(e.occurredAt), window) || !day.rng.chance(SHORT_DEADLINE_SHARE)) return;
      const taken = e.occurredAt - e.assignedAt;
      const position = day.rng.uniform(0.95, 1.3);
      placeTask(e, position, Math.max(60_000, Math.round(taken / position)));
    },
  };
  return new Map(units.filter((u) => !spared.has(u.id)).map((u) => [u.index, injection]));
}
