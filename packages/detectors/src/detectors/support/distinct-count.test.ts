import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DistinctCounter } from './distinct-count.js';
import { HASH53_RANGE, hash53 } from './hash.js';

describe('DistinctCounter', () => {
  it('exact up to k, duplicates ignored', () => {
    const c = new DistinctCounter(16);
    for (let i = 0; i < 16; i++) {
      c.add(`k${i}`);
      c.add(`k${i}`);
    }
    expect(c.count()).toBe(16);
    expect(c.exact).toBe(true);
    expect(new DistinctCounter(4).count()).toBe(0);
  });
  it('estimates beyond k within 4 standard errors (k = 256: se ≈ 1/√254 = 6.3 %)', () => {
    const c = new DistinctCounter(256);
    for (let i = 0; i < 20_000; i++) c.add(`actor-${i}`);
    expect(c.exact).toBe(false);
    expect(Math.abs(c.count() / 20_000 - 1)).toBeLessThan(4 * 0.063);
  });
  it('order does not matter (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 100 }), { maxLength: 80 }), (keys) => {
        const a = new DistinctCounter(8);
        const b = new DistinctCounter(8);
        for (const k of keys) a.add(String(k));
        for (const k of [...keys].reverse()) b.add(String(k));
        expect(a.count()).toBe(b.count());
        if (a.exact) expect(a.count()).toBe(new Set(keys).size);
      }),
    );
  });
  it('addHash counts the same as add; equals the k smallest hashes of a plain set (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 300 }), { maxLength: 200 }),
        fc.integer({ min: 2, max: 9 }),
        (keys, k) => {
          const byKey = new DistinctCounter(k);
          const byHash = new DistinctCounter(k);
          for (const key of keys) {
            byKey.add(`a${key}`);
            byHash.addHash(hash53(`a${key}`));
          }
          // reference: the k smallest distinct hashes; (k − 1)/U_(k) beyond k
          const hashes = [...new Set(keys.map((key) => hash53(`a${key}`)))].sort((a, b) => a - b);
          const expected =
            hashes.length <= k ? hashes.length : Math.round((k - 1) / ((hashes[k - 1]! + 1) / HASH53_RANGE));
          expect(byHash.count()).toBe(expected);
          expect(byKey.count()).toBe(expected);
          expect(byHash.exact).toBe(hashes.length <= k);
        },
      ),
      { numRuns: 200 },
    );
  });
});
