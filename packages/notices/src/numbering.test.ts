import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatNoticeNumber, nextNoticeNumber, noticeYear, parseNoticeNumber } from './numbering.js';

describe('notice numbers', () => {
  it('are the local year and a six-digit sequence', () => {
    expect(formatNoticeNumber(2026, 123)).toBe('2026-000123');
    expect(nextNoticeNumber(2026, 0)).toBe('2026-000001');
    expect(nextNoticeNumber(2026, 41)).toBe('2026-000042');
    expect(() => formatNoticeNumber(2026, 0)).toThrow(RangeError);
    expect(() => formatNoticeNumber(2026, 1_000_000)).toThrow(RangeError);
  });

  it('take the year in local time (a Beijing new year starts at 16:00 UTC)', () => {
    expect(noticeYear(Date.parse('2026-12-31T15:59:59Z'), 480)).toBe(2026);
    expect(noticeYear(Date.parse('2026-12-31T16:00:00Z'), 480)).toBe(2027);
  });

  it('parse back to what was formatted', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2000, max: 2099 }), fc.integer({ min: 1, max: 999_999 }), (year, sequence) => {
        expect(parseNoticeNumber(formatNoticeNumber(year, sequence))).toEqual({ year, sequence });
      }),
    );
  });

  it('continue the highest stored sequence without a gap or a repeat', () => {
    // What one writer does: number, store, number the next from what is stored.
    fc.assert(
      fc.property(fc.array(fc.boolean(), { maxLength: 60 }), (crashBeforeStore) => {
        const stored: number[] = [];
        for (const crashed of crashBeforeStore) {
          const number = nextNoticeNumber(2026, stored.length === 0 ? 0 : Math.max(...stored));
          if (!crashed) stored.push(parseNoticeNumber(number).sequence);
        }
        expect(stored).toEqual(stored.map((_, i) => i + 1));
      }),
    );
  });
});
