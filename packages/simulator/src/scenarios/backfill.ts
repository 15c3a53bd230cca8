/**
 * backfill (补录): in the pre-window of an evaluation, one or two clerks enter a pile of
 * traces that claim to have happened 2–35 days earlier (recordedAt in the window,
 * occurredAt weeks before), in quick data-entry sessions. Half the time instead one clerk
 * among honest colleagues enters a smaller pile of 25–45 traces (labelled on the actor: the
 * case for the actor-level test, which a big unit's share can dilute).
 */
import { staffEvent } from '../actions.js';
import { staffSessionStart } from '../behaviour.js';
import { lognormal } from '../distributions.js';
import { BACKFILL_BASELINE_DAYS, PRE_WINDOW_DAYS, preWindow } from '../evaluations.js';
import { randomHex } from '../hex.js';
import { DAY_MS, localMidnight } from '../time.js';
import type { Unit } from '../world.js';
import type { Injection } from './injection.js';
import { actorScope, isoPeriod, orgScope, type PlanContext, splitCount } from './plan-context.js';

export function planBackfill(ctx: PlanContext, unit: Unit): Injection | null {
  const { rng, calendar } = ctx;
  // The detector judges the pre-window against the unit's 8 weeks before it, so the run must
  // hold them (with 28 days, as for a burst, a backfill early in the run was never testable).
  const evaluation = ctx.evaluations.pickFor(rng, unit, {
    before: PRE_WINDOW_DAYS + BACKFILL_BASELINE_DAYS,
    after: 0,
  });
  if (evaluation === null) return null;
  const window = preWindow(evaluation);
  const recordingDays = calendar.workingDays(window.start, window.end);
  if (recordingDays.length === 0) return null;
  let expected = 0;
  for (let d = window.start; d <= window.end; d++) expected += unit.staffDailyMean * ctx.seasonality.staffFactor(d);
  const lone = rng.chance(0.5);
  const total = lone ? rng.intBetween(25, 45) : Math.max(30, Math.round(rng.uniform(0.35, 0.6) * expected));
  const perDay = new Map<number, number>();
  splitCount(rng, total, recordingDays.length).forEach((n, i) => {
    perDay.set(recordingDays[i]!, n);
  });
  const clerks = rng.sample(unit.staff, lone ? 1 : rng.intBetween(1, 2));
  ctx.label({
    scenario: 'backfill',
    kind: 'fabrication',
    detectors: ['backfill'],
    scope: lone ? actorScope(unit, clerks[0]!) : orgScope(unit),
    period: isoPeriod(window),
    description:
      `${total} traces back-dated 2–35 days, entered by ${clerks.map((a) => a.id).join(', ')} ` +
      `in the ${PRE_WINDOW_DAYS} days before evaluation ${evaluation.id}`,
  });
  const firstWorkingDay = calendar.workingDayOnOrAfter(ctx.firstDay);
  return {
    addEvents(day) {
      const n = perDay.get(day.day);
      if (n === undefined || n === 0) return;
      const { rng: r } = day;
      const dayEnd = day.dayStart + DAY_MS - 1;
      splitCount(r, n, clerks.length).forEach((count, i) => {
        const clerk = clerks[i]!;
        const session = randomHex(r, 2);
        const device = r.pick(clerk.devices);
        let recordedAt = day.dayStart + Math.round(staffSessionStart(r));
        for (let k = 0; k < count; k++) {
          recordedAt += Math.round(Math.max(3_000, lognormal(r, 35_000, 0.6)));
          if (recordedAt > dayEnd) break;
          const claimedDay = Math.max(firstWorkingDay, calendar.workingDayOnOrBefore(day.day - r.intBetween(2, 35)));
          const occurredAt = localMidnight(claimedDay) + Math.round(staffSessionStart(r));
          const e = staffEvent(day, clerk, r.chance(0.6) ? 'visit.record' : 'case.close', occurredAt, session, device);
          e.recordedAt = Math.max(recordedAt, occurredAt + 1_000);
          day.emit(e);
        }
      });
    },
  };
}
