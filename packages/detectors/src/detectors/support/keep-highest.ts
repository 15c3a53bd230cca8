/**
 * Bounded, order-independent store of records. It keeps one record per id (a replayed event
 * counts once) and at most `capacity` records: the highest by a total order (e.g. the latest
 * by time). Because "the top N of a union" equals "the top N of (top N of one part) ∪ the
 * other part", feeding records in any order, or in several batches, leaves the same set.
 *
 * Trimming is lazy (when 2·capacity are held, and on read), so adding costs O(log N)
 * amortised; memory is at most 2·capacity records.
 */
export class KeepHighest<T> {
  private readonly byId = new Map<string, T>();
  private everTrimmed = false;

  /**
   * @param capacity how many records to keep, an integer ≥ 1.
   * @param idOf identity of a record: records with the same id are the same record.
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

/** A record ordered by time: ascending occurredAt, ties broken by id. */
export interface Timed {
  id: string;
  t: number;
}

/** Ascending (time, id): used to keep the latest records of a scope. */
export function byTimeThenId(a: Timed, b: Timed): number {
  return a.t - b.t || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** A KeepHighest that keeps the latest `capacity` records by (time, id). */
export function keepLatest<T extends Timed>(capacity: number): KeepHighest<T> {
  return new KeepHighest<T>(capacity, (item) => item.id, byTimeThenId);
}
