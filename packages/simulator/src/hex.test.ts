import { describe, expect, it } from 'vitest';
import { flipSimhashBits, hex32, keyedHex64, randomContentHash, randomSimhash } from './hex.js';
import { Rng } from './random.js';

const hamming = (a: string, b: string) => {
  let bits = 0;
  for (let i = 0; i < a.length; i++) {
    let x = Number.parseInt(a[i]!, 16) ^ Number.parseInt(b[i]!, 16);
    for (; x > 0; x >>= 1) bits += x & 1;
  }
  return bits;
};

describe('hex hashes', () => {
  it('formats 32-bit words', () => {
    expect(hex32(0xdeadbeef)).toBe('deadbeef');
    expect(hex32(1)).toBe('00000001');
    expect(hex32(0)).toBe('00000000');
  });

  it('draws lower-case hex of the right length, distinct per draw', () => {
    const rng = new Rng(1);
    const a = randomContentHash(rng);
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(randomContentHash(rng)).not.toBe(a);
    expect(randomSimhash(rng)).toMatch(/^[0-9a-f]{16}$/);
    expect(keyedHex64(1, 2)).toBe(keyedHex64(1, 2));
    expect(keyedHex64(1, 2)).not.toBe(keyedHex64(1, 3));
    expect(keyedHex64(1, 2)).toMatch(/^[0-9a-f]{16}$/);
  });

  it('flips exactly the asked number of SimHash bits', () => {
    const rng = new Rng(2);
    const base = randomSimhash(rng);
    for (const bits of [0, 1, 2, 3, 17, 64]) {
      const near = flipSimhashBits(rng, base, bits);
      expect(near).toMatch(/^[0-9a-f]{16}$/);
      expect(hamming(base, near)).toBe(bits);
    }
  });
});
