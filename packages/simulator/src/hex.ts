/**
 * Random lower-case hex strings for the hashes a platform sends (content hash, SimHash,
 * session and device hashes). The simulator has no texts: a distinct text is a fresh random
 * hash, a reused text is the same hash, and a lightly edited text is a SimHash with a few
 * bits flipped.
 */
import { mixKey, type Rng } from './random.js';

const BYTE_HEX: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** 8 hex digits of a 32-bit unsigned integer. */
export function hex32(x: number): string {
  return (
    (BYTE_HEX[(x >>> 24) & 0xff] as string) +
    (BYTE_HEX[(x >>> 16) & 0xff] as string) +
    (BYTE_HEX[(x >>> 8) & 0xff] as string) +
    (BYTE_HEX[x & 0xff] as string)
  );
}

/** Random hex of 8·words digits. */
export function randomHex(rng: Rng, words: number): string {
  let s = '';
  for (let i = 0; i < words; i++) s += hex32(rng.nextUint32());
  return s;
}

/** A random 64-hex-digit content hash (stands for the sha-256 of a distinct text). */
export function randomContentHash(rng: Rng): string {
  return randomHex(rng, 8);
}

/** A random 16-hex-digit (64-bit) SimHash. */
export function randomSimhash(rng: Rng): string {
  return randomHex(rng, 2);
}

/** 16 hex digits determined by the key parts (stable ids such as a public user's device). */
export function keyedHex64(...keyParts: readonly number[]): string {
  const a = mixKey(...keyParts);
  return hex32(a) + hex32(mixKey(a, 0x5bd1e995));
}

/**
 * Flips `bits` distinct random bits of a 16-hex-digit SimHash: the Hamming distance to the
 * original is exactly `bits` (0 ≤ bits ≤ 64).
 */
export function flipSimhashBits(rng: Rng, simhash: string, bits: number): string {
  let hi = Number.parseInt(simhash.slice(0, 8), 16) >>> 0;
  let lo = Number.parseInt(simhash.slice(8, 16), 16) >>> 0;
  const positions = rng.sample(
    Array.from({ length: 64 }, (_, i) => i),
    bits,
  );
  for (const p of positions) {
    if (p < 32) lo = (lo ^ (1 << p)) >>> 0;
    else hi = (hi ^ (1 << (p - 32))) >>> 0;
  }
  return hex32(hi) + hex32(lo);
}
