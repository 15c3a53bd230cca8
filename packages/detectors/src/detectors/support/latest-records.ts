/**
 * Bounded, order-independent stores of the latest records of a scope, for detectors fed by the
 * DetectionEngine — which drops replays, so every record arrives once and needs no id map.
 *
 * Both keep at most `capacity` records: the highest by (time, id). Because "the top N of a
 * union" equals "the top N of (top N of one part) ∪ the other part", feeding records in any
 * order, or in several batches, leaves the same set. Trimming is lazy (when 2·capacity are
 * held, and on read), so adding is O(1) amortised; memory is at most 2·capacity entries.
 */

/** A record ordered by time: ascending occurredAt, ties broken by id. */
export interface Timed {
  id: string;
  t: number;
}

/** Ascending (time, id): used to keep the latest records of a scope. */
export function byTimeThenId(a: Timed, b: Timed): number {
  return a.t - b.t || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

function checkCapacity(capacity: number): void {
  if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`capacity must be an integer ≥ 1: ${capacity}`);
}

/** The latest `capacity` records by (time, id). Records must have distinct ids. */
export class LatestRecords<T extends Timed> {
  private items: T[] = [];
  private everTrimmed = false;

  /** @throws RangeError when capacity is not an integer ≥ 1. */
  constructor(readonly capacity: number) {
    checkCapacity(capacity);
  }

  add(item: T): void {
    this.items.push(item);
    if (this.items.length >= 2 * this.capacity) this.sorted();
  }

  /** The kept records, oldest first (at most `capacity`); do not modify the array. */
  sorted(): readonly T[] {
    const items = this.items.sort(byTimeThenId);
    if (items.length > this.capacity) {
      this.items = items.slice(items.length - this.capacity);
      this.everTrimmed = true;
    }
    return this.items;
  }

  /** Whether more than `capacity` records were ever seen (so the oldest were let go). */
  get truncated(): boolean {
    return this.everTrimmed || this.items.length > this.capacity;
  }

  get size(): number {
    return Math.min(this.items.length, this.capacity);
  }
}

/**
 * The latest `capacity` instants (epoch ms) of a scope, in one array of numbers: for a
 * detector that reads only the times, 8 bytes per record instead of an object. (A plain array,
 * not a Float64Array: most scopes hold a few dozen instants, and a typed array's own objects
 * cost ~200 bytes each, more than the instants.) Which of two records with the same time is
 * kept cannot change the kept times, so ids are not needed.
 */
export class LatestTimes {
  private times: number[] = [];
  private everTrimmed = false;

  /** @throws RangeError when capacity is not an integer ≥ 1. */
  constructor(readonly capacity: number) {
    checkCapacity(capacity);
  }

  add(t: number): void {
    this.times.push(t);
    if (this.times.length >= 2 * this.capacity) this.trim();
  }

  /** The kept instants, ascending (at most `capacity`; a copy). */
  sorted(): number[] {
    this.trim();
    return this.times.slice();
  }

  /** Whether more than `capacity` instants were ever seen (so the oldest were let go). */
  get truncated(): boolean {
    return this.everTrimmed || this.times.length > this.capacity;
  }

  get size(): number {
    return Math.min(this.times.length, this.capacity);
  }

  /** Sorts and keeps the latest `capacity`. */
  private trim(): void {
    this.times.sort((a, b) => a - b);
    if (this.times.length > this.capacity) {
      this.times = this.times.slice(this.times.length - this.capacity);
      this.everTrimmed = true;
    }
  }
}
