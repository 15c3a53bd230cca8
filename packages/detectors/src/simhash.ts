/**
 * 64-bit SimHash (Charikar, "Similarity estimation techniques from rounding algorithms",
 * STOC 2002; used for near-duplicate web pages by Manku, Jain & Das Sarma, WWW 2007).
 *
 * Each feature of the text is hashed to 64 bits (FNV-1a 64 over its UTF-8 bytes); for every
 * bit position the feature's weight (its number of occurrences) is added when the bit is 1
 * and subtracted when it is 0; the result has a 1 where the sum is positive. Texts that share
 * most features get hashes a few bits apart, so Hamming distance ≤ 3 marks near-duplicates.
 *
 * Features: the text is NFKC-normalised and lower-cased; runs of Han characters give their
 * overlapping character bigrams (a lone character is its own feature), since Chinese has no
 * spaces; other runs of letters and digits are whole words. Punctuation and spaces are ignored.
 */

const FNV64_OFFSET = 0xcbf29ce484222325n;
const FNV64_PRIME = 0x100000001b3n;
const MASK64 = (1n << 64n) - 1n;
const encoder = new TextEncoder();

/**
 * FNV-1a 64-bit hash of a string's UTF-8 bytes (Fowler, Noll, Vo; IETF draft-eastlake-fnv).
 *
 * @returns the hash as an unsigned 64-bit BigInt ('' gives the offset basis 0xcbf29ce484222325).
 */
export function fnv1a64(text: string): bigint {
  let h = FNV64_OFFSET;
  for (const byte of encoder.encode(text)) {
    h ^= BigInt(byte);
    h = (h * FNV64_PRIME) & MASK64;
  }
  return h;
}

const TOKEN = /(\p{Script=Han}+)|((?:(?!\p{Script=Han})[\p{L}\p{N}])+)/gu;

/**
 * The weighted features SimHash uses (see the module comment).
 *
 * @returns feature → number of occurrences; empty for a text with no letters or digits.
 */
export function simhashFeatures(text: string): Map<string, number> {
  const features = new Map<string, number>();
  const add = (feature: string) => features.set(feature, (features.get(feature) ?? 0) + 1);
  for (const match of text.normalize('NFKC').toLowerCase().matchAll(TOKEN)) {
    const han = match[1];
    if (han === undefined) {
      add(match[0]);
      continue;
    }
    const chars = [...han];
    if (chars.length === 1) add(chars[0]!);
    for (let i = 0; i + 1 < chars.length; i++) add(chars[i]! + chars[i + 1]!);
  }
  return features;
}

/**
 * 64-bit SimHash of a text.
 *
 * @param text any text; a text without letters or digits has no features and gives
 *   '0000000000000000'. A single-feature text gives that feature's FNV-1a 64 hash. Where
 *   features' weighted votes tie, the bit is 0.
 * @returns 16 lower-case hex digits (bit 63 first), the format of TraceRecord.simhash.
 */
export function simhash(text: string): string {
  const votes = new Array<number>(64).fill(0);
  for (const [feature, weight] of simhashFeatures(text)) {
    let h = fnv1a64(feature);
    for (let bit = 0; bit < 64; bit++) {
      votes[bit]! += (h & 1n) === 1n ? weight : -weight;
      h >>= 1n;
    }
  }
  let result = 0n;
  for (let bit = 63; bit >= 0; bit--) result = (result << 1n) | (votes[bit]! > 0 ? 1n : 0n);
  return result.toString(16).padStart(16, '0');
}

const HEX64 = /^[0-9a-fA-F]{16}$/;

/** Number of 1 bits of a 32-bit unsigned integer (SWAR bit count). */
export function popcount32(x: number): number {
  let v = x - ((x >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24) & 0xff;
}

/**
 * Hamming distance (number of differing bits) between two 64-bit hashes in hex.
 *
 * @param a 16 hex digits (either case).
 * @param b 16 hex digits.
 * @returns an integer in 0..64.
 * @throws RangeError when either argument is not exactly 16 hex digits.
 */
export function hammingDistance(a: string, b: string): number {
  if (!HEX64.test(a) || !HEX64.test(b)) throw new RangeError(`not 64-bit hex hashes: '${a}', '${b}'`);
  const high = (Number.parseInt(a.slice(0, 8), 16) ^ Number.parseInt(b.slice(0, 8), 16)) >>> 0;
  const low = (Number.parseInt(a.slice(8), 16) ^ Number.parseInt(b.slice(8), 16)) >>> 0;
  return popcount32(high) + popcount32(low);
}

/**
 * The four 16-bit bands of a 64-bit hash (4 hex digits each, lower-cased). Two hashes within
 * Hamming distance 3 differ in at most three bands, so they share at least one band exactly
 * (pigeonhole): bucketing by band finds every such pair without comparing all pairs.
 *
 * @throws RangeError when the argument is not 16 hex digits.
 */
export function simhashBands(hash: string): [string, string, string, string] {
  if (!HEX64.test(hash)) throw new RangeError(`not a 64-bit hex hash: '${hash}'`);
  const h = hash.toLowerCase();
  return [h.slice(0, 4), h.slice(4, 8), h.slice(8, 12), h.slice(12, 16)];
}
