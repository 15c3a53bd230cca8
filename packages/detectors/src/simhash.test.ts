import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fnv1a64, hammingDistance, popcount32, simhash, simhashBands, simhashFeatures } from './simhash.js';

describe('fnv1a64', () => {
  it('matches the published FNV-1a 64 test vectors', () => {
    // From the FNV reference test suite (Fowler/Noll/Vo): "" → offset basis, "a", "foobar".
    expect(fnv1a64('').toString(16)).toBe('cbf29ce484222325');
    expect(fnv1a64('a').toString(16)).toBe('af63dc4c8601ec8c');
    expect(fnv1a64('foobar').toString(16)).toBe('85944171f73967e8');
  });
});

describe('simhashFeatures', () => {
  it('words for Latin text, character bigrams for Han runs, counts as weights', () => {
    expect([...simhashFeatures('Visit, visit; 走访居民 ok')]).toEqual([
      ['visit', 2],
      ['走访', 1],
      ['访居', 1],
      ['居民', 1],
      ['ok', 1],
    ]);
    expect(simhashFeatures(' ,。!').size).toBe(0);
    expect([...simhashFeatures('好')]).toEqual([['好', 1]]);
  });
});

describe('simhash', () => {
  it('a single feature gives exactly its FNV-1a hash (case and punctuation ignored)', () => {
    expect(simhash('foobar')).toBe('85944171f73967e8');
    expect(simhash('  FooBar!')).toBe('85944171f73967e8');
  });
  it('the heavier feature wins every bit: "a a b" = fnv("a")', () => {
    // votes per bit: ±2 from "a", ±1 from "b", so the sign is always that of "a".
    expect(simhash('a a b')).toBe(fnv1a64('a').toString(16));
  });
  it('tied votes give 0: "a b" = fnv("a") AND fnv("b")', () => {
    // where the bits agree the sum is ±2; where they differ it is 0, which gives bit 0.
    // af63dc4c8601ec8c & af63df4c8601f1a5 = af63dc4c8601e084
    expect(simhash('a b')).toBe((fnv1a64('a') & fnv1a64('b')).toString(16).padStart(16, '0'));
    expect(simhash('a b')).toBe('af63dc4c8601e084');
  });
  it('no features → all zeros; identical texts → identical hashes', () => {
    expect(simhash('')).toBe('0000000000000000');
    expect(simhash('……')).toBe('0000000000000000');
    const text = '今天走访辖区内三户困难群众，了解生活情况，登记诉求两项，已转交相关科室办理。';
    expect(simhash(text)).toBe(simhash(`${text}`));
    expect(simhash(text)).toMatch(/^[0-9a-f]{16}$/);
  });
  it('punctuation-only edits give the same hash; a one-word edit moves a few bits; other text ~half', () => {
    const base =
      '今天走访辖区内三户困难群众，了解生活情况，登记诉求两项，已转交相关科室办理，并约定下周回访，确认诉求办理进度，做好记录存档。';
    const other =
      '组织社区志愿者开展垃圾分类宣传活动，发放宣传册一百余份，现场解答居民疑问，活动气氛热烈，居民参与积极性高。';
    expect(simhash(base.replaceAll('，', ' '))).toBe(simhash(base));
    // 三户 → 四户 swaps 2 of 48 weighted bigrams (46 distinct; 诉求 and 办理 occur twice):
    // cos θ = 50/52 = 0.962, so each bit differs with probability θ/π ≈ 0.089 (Charikar) —
    // about 5.7 of 64 bits expected; unrelated texts differ in about 32.
    const near = hammingDistance(simhash(base), simhash(base.replace('三户', '四户')));
    const far = hammingDistance(simhash(base), simhash(other));
    expect(near).toBeGreaterThan(0);
    expect(near).toBeLessThanOrEqual(10);
    expect(far).toBeGreaterThan(20);
  });
  it('always 16 hex digits (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (text) => {
        expect(simhash(text)).toMatch(/^[0-9a-f]{16}$/);
      }),
      { numRuns: 200 },
    );
  });
});

describe('hammingDistance', () => {
  it('known pairs', () => {
    expect(hammingDistance('0000000000000000', '0000000000000000')).toBe(0);
    expect(hammingDistance('0000000000000000', 'ffffffffffffffff')).toBe(64);
    expect(hammingDistance('0000000000000001', '0000000000000003')).toBe(1); // 01 ^ 11 = 10
    expect(hammingDistance('8000000000000000', '0000000000000001')).toBe(2); // top and bottom bit
    expect(hammingDistance('00000000f0000000', '0000000000000000')).toBe(4); // 0xf0000000 has 4 ones
    expect(hammingDistance('AAAAAAAAAAAAAAAA', '5555555555555555')).toBe(64); // 1010… vs 0101…
    expect(hammingDistance('0123456789abcdef', '0123456789ABCDEF')).toBe(0);
  });
  it('rejects anything that is not 16 hex digits', () => {
    expect(() => hammingDistance('123', '0000000000000000')).toThrow(RangeError);
    expect(() => hammingDistance('000000000000000g', '0000000000000000')).toThrow(RangeError);
  });
  it('is a metric: symmetric, zero on itself, triangle inequality (property)', () => {
    const hex = fc.stringMatching(/^[0-9a-f]{16}$/);
    fc.assert(
      fc.property(hex, hex, hex, (a, b, c) => {
        expect(hammingDistance(a, a)).toBe(0);
        expect(hammingDistance(a, b)).toBe(hammingDistance(b, a));
        expect(hammingDistance(a, c)).toBeLessThanOrEqual(hammingDistance(a, b) + hammingDistance(b, c));
      }),
      { numRuns: 200 },
    );
  });
});

describe('popcount32', () => {
  it('counts bits of 32-bit values', () => {
    expect([0, 1, 0xff, 0x80000000, 0xffffffff, 0x55555555].map(popcount32)).toEqual([0, 1, 8, 1, 32, 16]);
  });
});

describe('simhashBands', () => {
  it('splits into four 16-bit bands; hashes within distance 3 share a band', () => {
    expect(simhashBands('0123456789ABCDEF')).toEqual(['0123', '4567', '89ab', 'cdef']);
    // flip one bit in each of three bands: the fourth band stays equal
    const a = '0123456789abcdef';
    const b = '1123c56789abcdee';
    expect(hammingDistance(a, b)).toBe(3);
    const shared = simhashBands(a).filter((band, i) => band === simhashBands(b)[i]);
    expect(shared).toEqual(['89ab']);
  });
});
