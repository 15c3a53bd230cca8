/**
 * What an honest trace of each action carries: reported values with natural last digits,
 * form fill times, report texts (as hashes), task assignment and deadline.
 */
import { staffRecordedAt } from './behaviour.js';
import type { UnitDayContext } from './context.js';
import { beta, binomial, exponential, lognormal, negativeBinomial, WeightedChoice } from './distributions.js';
import { randomContentHash, randomSimhash } from './hex.js';
import type { Rng } from './random.js';
import { SimEvent } from './sim-event.js';
import { DAY_MS, HOUR_MS, MINUTE_MS } from './time.js';
import type { StaffActor } from './world.js';

/** Time allowed for a task, from assignment to deadline. */
const TASK_ALLOWANCES_MS = [
  4 * HOUR_MS,
  8 * HOUR_MS,
  DAY_MS,
  2 * DAY_MS,
  3 * DAY_MS,
  5 * DAY_MS,
  7 * DAY_MS,
  14 * DAY_MS,
];
const TASK_ALLOWANCE_CHOICE = new WeightedChoice([0.1, 0.1, 0.2, 0.15, 0.15, 0.15, 0.1, 0.05]);
/** Share of tasks completed after their deadline. */
const LATE_TASK_SHARE = 0.04;

/** A form's fill time, ms: lognormal around the actor's own median (σ 0.5; under 10 s about 1 in 100 000). */
export function formDuration(rng: Rng, actor: StaffActor): number {
  return Math.max(1_000, Math.round(lognormal(rng, actor.formMedianMs, 0.5)));
}

/** The allowed time of a task, ms. */
export function taskAllowance(rng: Rng): number {
  return TASK_ALLOWANCES_MS[TASK_ALLOWANCE_CHOICE.sample(rng)] as number;
}

/**
 * Where in its allowed time a human completes a task: Beta(1.6, 1.15) — late-heavy, but
 * only ~5 % in the last 5 % — and 4 % after the deadline.
 */
export function taskPosition(rng: Rng): number {
  if (rng.chance(LATE_TASK_SHARE)) return 1 + exponential(rng, 0.08);
  return beta(rng, 1.6, 1.15);
}

/** Sets assignedAt/deadline of a completed task so that it sits at `position` of `allowanceMs`. */
export function placeTask(e: SimEvent, position: number, allowanceMs: number): void {
  // Tasks are assigned on whole minutes.
  const assignedAt = Math.floor((e.occurredAt - position * allowanceMs) / MINUTE_MS) * MINUTE_MS;
  e.assignedAt = assignedAt;
  e.deadline = assignedAt + allowanceMs;
}

/**
 * An honest staff trace of `action` at `occurredAt`, with the natural recording lag and the
 * details its action carries. `durationMs` is the form's fill time when already drawn.
 */
export function staffEvent(
  ctx: UnitDayContext,
  actor: StaffActor,
  action: string,
  occurredAt: number,
  sessionHash: string,
  deviceHash: string,
  durationMs?: number,
): SimEvent {
  const { rng, unit } = ctx;
  const e = new SimEvent(
    unit.index,
    unit.platform.id,
    unit.id,
    actor.id,
    'staff',
    action,
    occurredAt,
    staffRecordedAt(rng, ctx.calendar, occurredAt),
  );
  e.sessionHash = sessionHash;
  e.deviceHash = deviceHash;
  switch (action) {
    case 'form.submit':
      e.value =
        actor.smallValues === null
          ? negativeBinomial(rng, actor.valueMean, 6)
          : Math.round(lognormal(rng, actor.smallValues.median, actor.smallValues.sigma));
      e.durationMs = durationMs ?? formDuration(rng, actor);
      e.contentHash = randomContentHash(rng);
      e.simhash = randomSimhash(rng);
      break;
    case 'report.file': {
      const denominator = rng.intBetween(100, 800);
      const p = Math.min(0.995, Math.max(0.5, actor.rateSuccess + 0.03 * (rng.next() - 0.5)));
      e.value = binomial(rng, denominator, p);
      e.valueDenominator = denominator;
      e.contentHash = randomContentHash(rng);
      e.simhash = randomSimhash(rng);
      break;
    }
    case 'task.complete':
      e.taskId = `${unit.id}-t${ctx.day}-${++ctx.counters.task}`;
      placeTask(e, taskPosition(rng), taskAllowance(rng));
      break;
    default:
      break;
  }
  return e;
}
