/**
 * Bounded, order-independent store of records, one per key (e.g. one completion per task: the
 * latest trace of the task). It keeps at most `capacity` records: the highest by a total order
 * (e.g. the latest by time). Records with distinct ids need no key map: see LatestRecords.
 * Because "the top N of a union" equals "the top N of (top N of one part) ∪ the other part",
 * feeding records in any order, or in several batches, leaves the same set.
 *
 * Trimming is lazy (when 2·capacity are held, and on read), so adding costs O(log N)
 * amortised; memory is at most 2·capacity records.
 */
export class KeepHighest<T> {
  private readonly byId = new Map<string, T>();
  private everTrimmed = false;

  /**
   * @param capacity how many records to keep, an integer ≥ 1.
   * @param idOf key of a record: of the records with the same key, the highest is kept.
   * @param compare total order, ascending (lowest first); must break ties (e.g. by id).
   * @throws RangeError when capacity is not an integer ≥ 1.
   */
  constructor(
    readonly capacity: number,
    private readonly idOf: (item: T) => string,
    private readonly compare: (a: T, b: T) => number,
  ) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new RangeError(`capacity must be an integer ≥ 1: ${capacity}`);
  }

  /** Adds a record; for an id already held, the higher of the two versions stays. */
  add(item: T): void {
    const id = this.idOf(item);
    const held = this.byId.get(id);
    if (held !== undefined) {
      if (this.compare(item, held) > 0) this.byId.set(id, item);
      return;
    }
    this.byId.set(id, item);
    if (this.byId.size >= 2 * this.capacity) this.sorted();
  }

  /** The kept records, lowest first (at most `capacity`). */
  sorted(): T[] {
    const all = [...this.byId.values()].sort(this.compare);
    if (all.length <= this.capacity) return all;
    const cut = all.length - this.capacity;
    for (let i = 0; i < cut; i++) this.byId.delete(this.idOf(all[i]!));
    this.everTrimmed = true;
    return all.slice(cut);
  }

  /** Whether more than `capacity` distinct records were ever seen (so the oldest were let go). */
  get truncated(): boolean {
    return this.everTrimmed || this.byId.size > this.capacity;
  }

  get size(): number {
    return Math.min(this.byId.size, this.capacity);
  }
}
