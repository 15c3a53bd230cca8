import { describe, expect, it } from 'vitest';
import { HASH53_RANGE, hash53, hash64Into, seedFromText } from './hash.js';

describe('hash53 / seedFromText', () => {
  it('deterministic, in range, seed changes the family', () => {
    expect(hash53('evt-1')).toBe(hash53('evt-1'));
    expect(hash53('evt-1')).not.toBe(hash53('evt-2'));
    expect(hash53('evt-1', 1)).not.toBe(hash53('evt-1'));
    const s = seedFromText('org-1|2026-03');
    expect(Number.isInteger(s) && s >= 0 && s < 2 ** 32).toBe(true);
  });
  it('sequential ids spread evenly: mean of 4000 scaled hashes within 4 standard errors of ½', () => {
    // a uniform on [0,1) has sd √(1/12) = 0.2887; the mean of 4000 has se 0.2887/√4000 = 0.00456
    let sum = 0;
    for (let i = 0; i < 4000; i++) sum += hash53(`evt-${i}`) / HASH53_RANGE;
    expect(Math.abs(sum / 4000 - 0.5)).toBeLessThan(4 * 0.00456);
  });
  it('hash64Into: the two 32-bit lanes hash53 folds to 53 bits', () => {
    const out = new Uint32Array(2);
    for (const text of ['', 'evt-1', 'sim-7-123456', '事件-42']) {
      hash64Into(text, out);
      // hash53 = 2^32 · (high lane & (2^21 − 1)) + low lane
      expect(4294967296 * (out[0]! & 0x1fffff) + out[1]!).toBe(hash53(text));
    }
    hash64Into('evt-1', out);
    const first = [...out];
    hash64Into('evt-2', out);
    expect([...out]).not.toEqual(first);
  });
});
