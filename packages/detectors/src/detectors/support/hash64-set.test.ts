import { describe, expect, it } from 'vitest';
import { Hash64Set } from './hash64-set.js';
import { mulberry32 } from './prng.js';

describe('Hash64Set', () => {
  it('adds once, answers false for a member, keeps every member through growth', () => {
    const set = new Hash64Set();
    const random = mulberry32(9);
    const members = Array.from({ length: 5000 }, () => [
      Math.floor(random() * 2 ** 32),
      Math.floor(random() * 2 ** 32),
    ]);
    for (const [hi, lo] of members) expect(set.add(hi!, lo!)).toBe(true);
    expect(set.size).toBe(5000);
    for (const [hi, lo] of members) expect(set.add(hi!, lo!)).toBe(false);
    expect(set.size).toBe(5000);
    // ≤ 70 % full, table a power of two: 5000 / 0.7 = 7143 → 8192 slots of 8 bytes
    expect(set.bytes).toBe(8192 * 8);
  });
  it('pairs differing in one half are different members; (0, 0) is stored as (0, 1)', () => {
    const set = new Hash64Set();
    expect(set.add(1, 2)).toBe(true);
    expect(set.add(2, 1)).toBe(true);
    expect(set.add(1, 3)).toBe(true);
    expect(set.add(0, 0)).toBe(true);
    expect(set.add(0, 1)).toBe(false); // the documented shared slot
    expect(set.add(0, 2)).toBe(true);
    expect(set.size).toBe(5);
  });
  it('sized for the expected members, it holds them without growing', () => {
    // 1000 / 0.7 = 1429 → 2048 slots
    const set = new Hash64Set(1000);
    expect(set.bytes).toBe(2048 * 8);
    for (let i = 0; i < 1000; i++) set.add(i, i * 7919);
    expect(set.bytes).toBe(2048 * 8);
    expect(new Hash64Set().bytes).toBe(16 * 8);
  });
});
