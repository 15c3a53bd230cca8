import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isoInstantMs } from './iso-time.js';
import { DATETIME_PATTERN } from './prevalidate.js';
import { chars, formatInstant } from './testing/arbitraries.js';
import { propertyRuns, propertyTimeout } from './testing/property-sizing.js';

const DAY = 86_400_000;
const pad = (n: number, w = 2) => String(n).padStart(w, '0');
const daysIn = (y: number, m: number) => new Date(Date.UTC(2000, m, 0)).getUTCDate() - (m === 2 && !leap(y) ? 1 : 0);
const leap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;

/** Any string of zod's datetime-with-offset grammar, years 0000..9999, 0..40 fraction digits. */
const grammarArb = fc
  .record({
    year: fc.oneof(fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 1995, max: 2105 })),
    month: fc.integer({ min: 1, max: 12 }),
    day: fc.integer({ min: 1, max: 31 }),
    hour: fc.integer({ min: 0, max: 23 }),
    minute: fc.integer({ min: 0, max: 59 }),
    second: fc.integer({ min: 0, max: 59 }),
    fraction: fc.oneof(
      fc.constant(''),
      chars('0123456789', 1, 9),
      chars('0123456789', 10, 40),
      // leading zeros before many digits: where V8 stops truncating plainly
      fc.tuple(chars('0', 1, 6), chars('0123456789', 1, 20)).map(([z, d]) => z + d),
    ),
    zone: fc.oneof(
      fc.constant('Z'),
      fc
        .tuple(fc.constantFrom('+', '-'), fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }))
        .map(([sign, h, m]) => `${sign}${pad(h)}:${pad(m)}`),
    ),
  })
  .map((r) => {
    const day = Math.min(r.day, daysIn(r.year, r.month));
    const fraction = r.fraction === '' ? '' : `.${r.fraction}`;
    return `${pad(r.year, 4)}-${pad(r.month)}-${pad(day)}T${pad(r.hour)}:${pad(r.minute)}:${pad(r.second)}${fraction}${r.zone}`;
  });

// ~0.1 ms a run on a quiet machine (50,000 took 5.7 s under load): 5,000 normally, 50,000 deep.
const GRAMMAR_RUNS = propertyRuns(5_000, 50_000);

describe('isoInstantMs', () => {
  it(
    'equals Date.parse on every string of the datetime grammar',
    () => {
      fc.assert(
        fc.property(grammarArb, (s) => {
          expect(DATETIME_PATTERN.test(s)).toBe(true);
          expect(isoInstantMs(s)).toBe(Date.parse(s));
        }),
        { numRuns: GRAMMAR_RUNS },
      );
    },
    propertyTimeout(GRAMMAR_RUNS, 0.25),
  );

  it('equals Date.parse on every day of 1999..2101, at every offset and precision', () => {
    for (let ms = Date.UTC(1999, 0, 1); ms < Date.UTC(2102, 0, 1); ms += DAY) {
      const t = ms + ((ms / DAY) % 1000) * 86_399; // a different time of day each day
      for (const s of [
        formatInstant(t, 0, 0),
        formatInstant(t, 0, 3),
        formatInstant(t, 480, 1),
        formatInstant(t, -330, 2),
        formatInstant(t, 23 * 60 + 59, 9, '999999'),
        formatInstant(t, -(23 * 60 + 59), 4, '5'),
      ]) {
        if (isoInstantMs(s) !== Date.parse(s)) expect(s).toBe('equal to Date.parse');
      }
    }
    for (let off = -(23 * 60 + 59); off <= 23 * 60 + 59; off++) {
      const s = formatInstant(Date.UTC(2026, 2, 10, 11, 59, 0, 250), off, 3);
      expect(isoInstantMs(s)).toBe(Date.parse(s));
    }
  });

  it("reads fractions as V8 does: truncated up to 9 digits, V8's own way beyond", () => {
    expect(isoInstantMs('2026-03-10T11:59:00.0008000000Z')).toBe(Date.parse('2026-03-10T11:59:00.0008000000Z'));
    expect(isoInstantMs('2026-03-10T11:59:00.000800000Z') % 1000).toBe(0);
    expect(isoInstantMs('2026-03-10T11:59:00.1999999Z') % 1000).toBe(199);
    expect(isoInstantMs('2026-03-10T11:59:00.1+08:00')).toBe(Date.parse('2026-03-10T03:59:00.100Z'));
    expect(isoInstantMs('2000-02-29T23:59:59.999-23:59')).toBe(Date.parse('2000-03-01T23:58:59.999Z'));
  });
});
