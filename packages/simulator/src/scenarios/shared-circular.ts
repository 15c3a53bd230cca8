/**
 * Hard negative — circulars both systems carry: for 2–4 months a unit posts one or two notices a
 * month (`notice.post`, a content hash) on its own platform and the same text the same day on a
 * second platform, as a circular meant for both. That is the same text on two platforms, but at
 * most two a month: repeated-entry fires from three (its documented allowance for circulars).
 * Labelled on the first platform of the pair by id, where repeated-entry would report it.
 */
import { staffEvent } from '../actions.js';
import { staffSessionStart } from '../behaviour.js';
import { randomContentHash, randomHex, randomSimhash } from '../hex.js';
import { monthKey } from '../time.js';
import type { Unit } from '../world.js';
import type { Injection } from './injection.js';
import { isoPeriod, type PlanContext, pickWindow, workingSpan } from './plan-context.js';

export function planSharedCircular(ctx: PlanContext, unit: Unit): Injection | null {
  const { rng, calendar } = ctx;
  const others = ctx.platforms.filter((p) => p !== unit.platform && !p.idle);
  if (others.length === 0) return null;
  const window = pickWindow(ctx, 60, 120);
  if (window === null) return null;
  const span = workingSpan(calendar, window);
  if (span === null) return null;
  const second = rng.pick(others);
  // one or two posting days in each month of the span, on working days
  const postingDays = new Set<number>();
  const byMonth = new Map<number, number[]>();
  for (const day of calendar.workingDays(span.start, span.end)) {
    byMonth.set(monthKey(day), [...(byMonth.get(monthKey(day)) ?? []), day]);
  }
  for (const days of byMonth.values())
    for (const d of rng.sample(days, Math.min(days.length, rng.intBetween(1, 2)))) postingDays.add(d);
  const [first] = [unit.platform.id, second.id].sort();
  ctx.label({
    scenario: 'shared-circular',
    kind: 'hard-negative',
    detectors: [],
    scope: { kind: 'org', platformId: first!, orgId: unit.id },
    period: isoPeriod(span),
    description: `one or two circulars a month posted on both ${unit.platform.id} and ${second.id}`,
  });
  return {
    addEvents(day) {
      if (!postingDays.has(day.day)) return;
      const { rng: r } = day;
      const actor = r.pick(unit.staff);
      const contentHash = randomContentHash(r);
      const simhash = randomSimhash(r);
      let t = day.dayStart + Math.round(staffSessionStart(r));
      for (const platformId of [unit.platform.id, second.id]) {
        const e = staffEvent(day, actor, 'notice.post', t, randomHex(r, 2), actor.devices[0]!);
        e.platformId = platformId;
        e.contentHash = contentHash;
        e.simhash = simhash;
        day.emit(e);
        t += r.intBetween(120_000, 1_800_000);
      }
    },
  };
}
