/**
 * Fast non-cryptographic string hashes for sampling, sketches and PRNG seeds. Not for
 * security: ids here are pseudonymous already, we only need well-spread, reproducible bits.
 */

/**
 * 64-bit hash of a string: cyrb53's (public domain, by bryc) two 32-bit multiply–xor lanes,
 * mixed at the end so near-identical ids ("evt-0001", "evt-0002") land far apart. Written into
 * `out` so a hot loop allocates nothing.
 *
 * @param text any string (UTF-16 code units are hashed; '' is fine).
 * @param out receives [high lane, low lane], each an unsigned 32-bit integer.
 * @param seed optional 32-bit seed for independent hash families.
 */
export function hash64Into(text: string, out: Uint32Array, seed = 0): void {
  let h1 = 0xdeadbeef ^ seed;
  let h2 = 0x41c6ce57 ^ seed;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ code, 2654435761);
    h2 = Math.imul(h2 ^ code, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
  h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
  h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  out[0] = h2;
  out[1] = h1;
}

const lanes = new Uint32Array(2);

/**
 * 53-bit hash of a string (cyrb53): hash64Into's lanes folded to 53 bits, so
 * `hash53(text) % 2^32` is the low lane and its high bits are the low 21 bits of the high one.
 *
 * @returns an integer in [0, 2^53).
 */
export function hash53(text: string, seed = 0): number {
  hash64Into(text, lanes, seed);
  return 4294967296 * (2097151 & lanes[0]!) + lanes[1]!;
}

/** 2^53: hash53 values divided by this lie in [0, 1). */
export const HASH53_RANGE = 2 ** 53;

/**
 * A 32-bit seed derived from a text (e.g. the scope of a test), so a Monte Carlo run is the
 * same every time the same scope is evaluated.
 *
 * @returns an unsigned 32-bit integer.
 */
export function seedFromText(text: string): number {
  return hash53(text) % 4294967296;
}
