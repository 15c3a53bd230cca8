/**
 * Honest traffic of one unit on one day. Volume is doubly overdispersed — a unit-day factor
 * (busy days, meetings) times an actor-day factor (leave, field days) on a Poisson count —
 * and events come in sessions, so the gaps of an actor are bursty (B > 0).
 */
import { formDuration, staffEvent } from './actions.js';
import { publicGap, publicRecordedAt, publicSessionStart, staffGap, staffSessionStart } from './behaviour.js';
import type { UnitDayContext } from './context.js';
import { gamma, geometric, negativeBinomial, poisson } from './distributions.js';
import { keyedHex64, randomHex } from './hex.js';
import type { Rng } from './random.js';
import { SimEvent } from './sim-event.js';
import { DAY_MS } from './time.js';
import { STAFF_ACTIONS, type StaffActor, type Unit } from './world.js';

/** Chooses the action of the next staff trace. */
export type ActionChooser = (rng: Rng) => string;

/** Shape of the unit-day factor: CV 1/√12 ≈ 0.29. */
const UNIT_DAY_SHAPE = 12;
/** Shape of the actor-day factor: CV 1/√2.5 ≈ 0.63. */
const ACTOR_DAY_SHAPE = 2.5;
/** Mean work events per staff session. */
const EVENTS_PER_SESSION = 5;
const LOGIN_SHARE = 0.6;
/** Mean events per public session (0.5 logins + 1 + 0.45/0.55 more). */
const PUBLIC_EVENTS_PER_SESSION = 2.3;

/** The unit's own action mix. */
export function unitActions(unit: Unit): ActionChooser {
  return (rng) => STAFF_ACTIONS[unit.actionMix.sample(rng)] as string;
}

/**
 * An actor's `count` work events of the day, in sessions: session starts in working hours,
 * events of a session separated by lognormal gaps, a login opening most sessions.
 */
export function staffWork(ctx: UnitDayContext, actor: StaffActor, count: number, chooseAction: ActionChooser): void {
  if (count <= 0) return;
  const { rng } = ctx;
  const sessions = Math.min(count, 1 + poisson(rng, (count - 1) / EVENTS_PER_SESSION));
  const starts: number[] = [];
  for (let s = 0; s < sessions; s++) starts.push(staffSessionStart(rng));
  starts.sort((a, b) => a - b);
  const sizes = new Array<number>(sessions).fill(0);
  for (let k = 0; k < count; k++) {
    const s = rng.int(sessions);
    sizes[s] = (sizes[s] as number) + 1;
  }
  const dayEnd = ctx.dayStart + DAY_MS - 1;
  for (let s = 0; s < sessions; s++) {
    const size = sizes[s] as number;
    if (size === 0) continue;
    const session = randomHex(rng, 2);
    const device = rng.pick(actor.devices);
    let t = ctx.dayStart + Math.round(starts[s] as number);
    if (rng.chance(LOGIN_SHARE)) ctx.emit(staffEvent(ctx, actor, 'login', t, session, device));
    for (let k = 0; k < size; k++) {
      const action = chooseAction(rng);
      let gap = staffGap(rng);
      let duration: number | undefined;
      if (action === 'form.submit') {
        // A form is submitted after it has been filled in.
        duration = formDuration(rng, actor);
        gap = Math.max(gap, duration + rng.uniform(2_000, 10_000));
      }
      t += Math.round(gap);
      if (t > dayEnd) break;
      ctx.emit(staffEvent(ctx, actor, action, t, session, device, duration));
    }
  }
}

/** Public users of the unit: Zipf-distributed frequency, short sessions of views and applications. */
export function publicTraffic(ctx: UnitDayContext, expectedEvents: number): void {
  const { rng, unit } = ctx;
  const sessions = negativeBinomial(rng, expectedEvents / PUBLIC_EVENTS_PER_SESSION, 3);
  const dayEnd = ctx.dayStart + DAY_MS - 1;
  for (let s = 0; s < sessions; s++) {
    const rank = unit.publicUsers.sample(rng);
    const actorId = `${unit.id}-p${rank}`;
    const device = keyedHex64(ctx.seed, unit.index, rank);
    const session = randomHex(rng, 2);
    let t = ctx.dayStart + Math.round(publicSessionStart(rng));
    const emit = (action: string) => {
      const e = new SimEvent(
        unit.index,
        unit.platform.id,
        unit.id,
        actorId,
        'public',
        action,
        t,
        publicRecordedAt(rng, t),
      );
      e.sessionHash = session;
      e.deviceHash = device;
      ctx.emit(e);
    };
    if (rng.chance(0.5)) emit('login');
    const views = 1 + geometric(rng, 0.55);
    for (let k = 0; k < views; k++) {
      t += Math.round(publicGap(rng));
      if (t > dayEnd) break;
      emit(rng.chance(0.7) ? 'item.view' : 'service.apply');
    }
  }
}

/**
 * The unit's honest traffic of the day.
 * @param staffExpected expected staff work events (seasonality and scenarios applied)
 * @param publicExpected expected public events
 * @param actorFactor multiplies one actor's share (0 silences it)
 */
export function naturalUnitDay(
  ctx: UnitDayContext,
  staffExpected: number,
  publicExpected: number,
  actorFactor: (actor: StaffActor) => number,
  chooseAction: ActionChooser,
): void {
  const { rng, unit } = ctx;
  if (staffExpected > 0) {
    const unitDay = gamma(rng, UNIT_DAY_SHAPE, 1 / UNIT_DAY_SHAPE);
    for (const actor of unit.staff) {
      const lambda =
        staffExpected * unitDay * actor.weight * actorFactor(actor) * gamma(rng, ACTOR_DAY_SHAPE, 1 / ACTOR_DAY_SHAPE);
      staffWork(ctx, actor, poisson(rng, lambda), chooseAction);
    }
  }
  if (publicExpected > 0) publicTraffic(ctx, publicExpected);
}
