/**
 * A set of 64-bit hashes (two unsigned 32-bit halves) in one typed array: open addressing with
 * linear probing, 8 bytes a slot, 35–70 % full (so 11–23 bytes per member).
 * A JS Set of id strings costs ~80 bytes per member plus the strings it keeps alive.
 *
 * The all-zero hash marks an empty slot, so a member (0, 0) is stored as (0, 1): two inputs
 * that differ only there share a slot — one more chance in 2^64 of a collision.
 */
export class Hash64Set {
  private slots: Uint32Array;
  private mask: number;
  private count = 0;

  /** @param expected members expected (sizes the table so it need not grow until then). */
  constructor(expected = 0) {
    let size = 16;
    while (size * 7 < expected * 10) size *= 2;
    this.slots = new Uint32Array(2 * size);
    this.mask = size - 1;
  }

  /** Number of members. */
  get size(): number {
    return this.count;
  }

  /** Bytes held by the table. */
  get bytes(): number {
    return this.slots.byteLength;
  }

  /**
   * Adds a hash.
   *
   * @param high upper 32 bits (unsigned).
   * @param low lower 32 bits (unsigned).
   * @returns true when it was not a member before, false when it was.
   */
  add(high: number, low: number): boolean {
    const hi = high >>> 0;
    const lo = hi === 0 && low >>> 0 === 0 ? 1 : low >>> 0;
    const slots = this.slots;
    let i = lo & this.mask;
    for (;;) {
      const at = 2 * i;
      const h = slots[at]!;
      const l = slots[at + 1]!;
      if (h === 0 && l === 0) break;
      if (h === hi && l === lo) return false;
      i = (i + 1) & this.mask;
    }
    slots[2 * i] = hi;
    slots[2 * i + 1] = lo;
    this.count++;
    if (this.count * 10 > (this.mask + 1) * 7) this.grow();
    return true;
  }

  private grow(): void {
    const old = this.slots;
    this.slots = new Uint32Array(old.length * 2);
    this.mask = this.mask * 2 + 1;
    for (let at = 0; at < old.length; at += 2) {
      const hi = old[at]!;
      const lo = old[at + 1]!;
      if (hi === 0 && lo === 0) continue;
      let i = lo & this.mask;
      while (this.slots[2 * i] !== 0 || this.slots[2 * i + 1] !== 0) i = (i + 1) & this.mask;
      this.slots[2 * i] = hi;
      this.slots[2 * i + 1] = lo;
    }
  }
}
