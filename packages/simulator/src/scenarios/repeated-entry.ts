/**
 * repeated-entry (重复填报): for 1–2 months a unit enters half of its reports and forms a second
 * time on another platform — the same text (content hash) and values, by the same actor, on
 * the next working day — because the two systems do not share data. A burden, labelled so that
 * the repeated-entry detector is expected; the label is on the first platform of the pair by id,
 * where the detector reports the pair.
 */
import { staffEvent } from '../actions.js';
import { randomHex } from '../hex.js';
import type { SimEvent } from '../sim-event.js';
import { HOUR_MS, localDayNumber } from '../time.js';
import type { Unit } from '../world.js';
import type { Injection } from './injection.js';
import { isoPeriod, type PlanContext, pickWindow, within, workingSpan } from './plan-context.js';

export function planRepeatedEntry(ctx: PlanContext, unit: Unit): Injection | null {
  const { rng, calendar } = ctx;
  const others = ctx.platforms.filter((p) => p !== unit.platform && !p.idle);
  if (others.length === 0) return null;
  const window = pickWindow(ctx, 30, 60);
  if (window === null) return null;
  const span = workingSpan(calendar, window);
  if (span === null) return null;
  const second = rng.pick(others);
  const [first] = [unit.platform.id, second.id].sort();
  const lastCopyDay = calendar.workingDayOnOrAfter(span.end + 1);
  ctx.label({
    scenario: 'repeated-entry',
    kind: 'fabrication',
    detectors: ['repeated-entry'],
    scope: { kind: 'org', platformId: first!, orgId: unit.id },
    period: isoPeriod({ start: span.start, end: Math.min(lastCopyDay, ctx.lastDay) }),
    description: `half of the unit's reports and forms entered again on ${second.id} the next working day`,
  });
  /** Copies waiting for their day, by local day number. */
  const queued = new Map<number, SimEvent[]>();
  return {
    transform(e, day) {
      if (e.contentHash === undefined || e.platformId !== unit.platform.id || e.actorRole !== 'staff') return;
      if (!within(localDayNumber(e.occurredAt), window) || !day.rng.chance(0.5)) return;
      const target = calendar.workingDayOnOrAfter(day.day + 1);
      queued.set(target, [...(queued.get(target) ?? []), e]);
    },
    addEvents(day) {
      const originals = queued.get(day.day);
      if (originals === undefined) return;
      queued.delete(day.day);
      const session = randomHex(day.rng, 2);
      let t = day.dayStart + 9 * HOUR_MS + day.rng.intBetween(0, 2 * 3_600_000);
      for (const original of originals) {
        const actor = unit.staff.find((a) => a.id === original.actorId);
        if (actor === undefined) continue;
        t += day.rng.intBetween(60_000, 300_000);
        const copy = staffEvent(day, actor, original.action, t, session, actor.devices[0]!, original.durationMs);
        copy.platformId = second.id;
        copy.contentHash = original.contentHash;
        copy.simhash = original.simhash;
        copy.value = original.value;
        copy.valueDenominator = original.valueDenominator;
        copy.taskId = undefined;
        copy.assignedAt = undefined;
        copy.deadline = undefined;
        day.emit(copy);
      }
    },
  };
}
