/**
 * duplicate-content: for 3–6 weeks a unit's forms and reports are pasted from a few
 * templates — 45 % the exact same text (same content hash) across actors and days, 20 % a
 * lightly edited copy (new content hash, SimHash 1–3 bits away).
 */
import { flipSimhashBits, randomContentHash, randomSimhash } from '../hex.js';
import { localDayNumber } from '../time.js';
import type { Unit } from '../world.js';
import type { Injection } from './injection.js';
import { isoPeriod, orgScope, type PlanContext, pickWindow, within, workingSpan } from './plan-context.js';

export function planDuplicateContent(ctx: PlanContext, unit: Unit): Injection | null {
  const { rng } = ctx;
  const window = pickWindow(ctx, 21, 42);
  if (window === null) return null;
  const span = workingSpan(ctx.calendar, window);
  if (span === null) return null;
  const templates = Array.from({ length: rng.intBetween(3, 6) }, () => ({
    contentHash: randomContentHash(rng),
    simhash: randomSimhash(rng),
  }));
  ctx.label({
    scenario: 'duplicate-content',
    kind: 'fabrication',
    detectors: ['duplicate-content'],
    scope: orgScope(unit),
    period: isoPeriod(span),
    description: `forms and reports copied from ${templates.length} templates, verbatim or lightly edited`,
  });
  return {
    transform(e, day) {
      if (e.contentHash === undefined || !within(localDayNumber(e.occurredAt), window)) return;
      const { rng: r } = day;
      const u = r.next();
      if (u >= 0.65) return;
      const template = r.pick(templates);
      if (u < 0.45) {
        e.contentHash = template.contentHash;
        e.simhash = template.simhash;
      } else {
        e.contentHash = randomContentHash(r);
        e.simhash = flipSimhashBits(r, template.simhash, r.intBetween(1, 3));
      }
    },
  };
}
