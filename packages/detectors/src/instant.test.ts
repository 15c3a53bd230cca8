import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseInstant } from './instant.js';

describe('parseInstant', () => {
  it('the forms exports use, by hand', () => {
    expect(parseInstant('2025-03-03T02:00:05Z')).toBe(Date.UTC(2025, 2, 3, 2, 0, 5));
    expect(parseInstant('2025-03-03T02:00:05.123Z')).toBe(Date.UTC(2025, 2, 3, 2, 0, 5, 123));
    // 10:00 at +08:00 is 02:00Z; 01:30 at −05:30 is 07:00Z
    expect(parseInstant('2024-03-05T10:00:00+08:00')).toBe(Date.UTC(2024, 2, 5, 2));
    expect(parseInstant('2024-03-05T01:30:00.500-05:30')).toBe(Date.UTC(2024, 2, 5, 7, 0, 0, 500));
    expect(parseInstant('2024-02-29T00:00:00Z')).toBe(Date.UTC(2024, 1, 29));
  });
  it('anything else is Date.parse’s to judge', () => {
    for (const text of [
      '2025-02-29T00:00:00Z', // no such day
      '2025-13-01T00:00:00Z',
      '2025-01-01T24:00:00Z',
      '2025-01-01T00:00:00.1Z',
      '2025-01-01T00:00:00.123456Z',
      '2025-01-01t00:00:00z',
      '2025-01-01 00:00:00Z',
      '0099-01-01T00:00:00Z',
      '2025-01-01',
      'not a time',
      '',
    ])
      expect(parseInstant(text)).toBe(Date.parse(text));
    expect(parseInstant(undefined as unknown as string)).toBeNaN(); // unchecked JSON: a missing field
  });
  it('equals Date.parse on generated timestamps, valid and not (property)', () => {
    const pad = (v: number, w: number) => String(v).padStart(w, '0');
    const stamp = fc
      .record({
        year: fc.integer({ min: 0, max: 9999 }),
        month: fc.integer({ min: 0, max: 13 }),
        day: fc.integer({ min: 0, max: 32 }),
        hour: fc.integer({ min: 0, max: 25 }),
        minute: fc.integer({ min: 0, max: 60 }),
        second: fc.integer({ min: 0, max: 60 }),
        fraction: fc.constantFrom('', '.000', '.999', '.5', '.123'),
        zone: fc.constantFrom('Z', '+08:00', '-05:30', '+23:59', '+24:00', '-00:00', 'z', ''),
      })
      .map(
        (s) =>
          `${pad(s.year, 4)}-${pad(s.month, 2)}-${pad(s.day, 2)}T${pad(s.hour, 2)}:${pad(s.minute, 2)}:${pad(s.second, 2)}${s.fraction}${s.zone}`,
      );
    fc.assert(
      fc.property(stamp, (text) => {
        expect(Object.is(parseInstant(text), Date.parse(text))).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
});
