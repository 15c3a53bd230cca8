import { HASH53_RANGE, hash53 } from './hash.js';

const EMPTY = -1;

/**
 * Distinct count of keys in bounded memory: the k-minimum-values sketch (Bar-Yossef et al.
 * 2002; Beyer et al. 2007). It keeps the k smallest 53-bit hashes of the keys seen; while
 * fewer than k distinct keys were seen the count is exact, beyond that it is estimated as
 * (k − 1) / U_(k), where U_(k) is the k-th smallest hash scaled to (0, 1], unbiased with
 * relative standard error about 1/√(k − 2) (3 % at k = 1024).
 *
 * Adding the same key twice changes nothing, and the result does not depend on the order
 * of the keys (the k smallest hashes of a union are the k smallest of the parts' sketches).
 *
 * The hashes live in an open-addressing Float64Array (no boxed number per key); once the
 * sketch has been trimmed, a hash above the k-th smallest kept cannot be among the final k
 * smallest and is not stored at all.
 */
export class DistinctCounter {
  private table = new Float64Array(16).fill(EMPTY);
  private held = 0;
  /** After a trim: the largest hash kept; larger ones can never count. */
  private ceiling = Number.POSITIVE_INFINITY;
  private everTrimmed = false;

  /** @param k sketch size, an integer ≥ 2 (memory: at most 2k hashes, in a table of ≤ 4k slots). */
  constructor(readonly k: number) {
    if (!Number.isInteger(k) || k < 2) throw new RangeError(`sketch size must be an integer ≥ 2: ${k}`);
  }

  add(key: string): void {
    this.addHash(hash53(key));
  }

  /**
   * Adds a key by its hash53 (for callers that hash each key once and add it many times).
   *
   * @param hash an integer in [0, 2^53).
   */
  addHash(hash: number): void {
    if (hash > this.ceiling) return;
    const mask = this.table.length - 1;
    let i = (hash >>> 0) & mask;
    for (;;) {
      const held = this.table[i]!;
      if (held === hash) return;
      if (held === EMPTY) break;
      i = (i + 1) & mask;
    }
    this.table[i] = hash;
    this.held++;
    if (this.held >= 2 * this.k) this.trim();
    else if (2 * this.held > this.table.length) this.rebuild(this.hashes(), 2 * this.table.length);
  }

  /** Whether the count is exact (fewer than or exactly k distinct keys seen). */
  get exact(): boolean {
    return !this.everTrimmed && this.held <= this.k;
  }

  /**
   * @returns the number of distinct keys: exact up to k, estimated (rounded) above; 0 when empty.
   */
  count(): number {
    const kept = this.trim();
    if (this.exact) return kept.length;
    const kth = kept[kept.length - 1]!;
    return Math.round((this.k - 1) / ((kth + 1) / HASH53_RANGE));
  }

  private hashes(): Float64Array {
    const out = new Float64Array(this.held);
    let n = 0;
    for (const h of this.table) if (h !== EMPTY) out[n++] = h;
    return out;
  }

  private rebuild(hashes: Float64Array, size: number): void {
    this.table = new Float64Array(size).fill(EMPTY);
    const mask = size - 1;
    for (const h of hashes) {
      let i = (h >>> 0) & mask;
      while (this.table[i] !== EMPTY) i = (i + 1) & mask;
      this.table[i] = h;
    }
    this.held = hashes.length;
  }

  /** Keeps the k smallest hashes; returns the kept ones, ascending. */
  private trim(): Float64Array {
    const sorted = this.hashes().sort();
    if (sorted.length <= this.k) return sorted;
    const kept = sorted.slice(0, this.k);
    let size = 16;
    while (size < 2 * this.k) size *= 2;
    this.rebuild(kept, size);
    this.ceiling = kept[this.k - 1]!;
    this.everTrimmed = true;
    return kept;
  }
}
