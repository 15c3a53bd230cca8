/**
 * Replayed events are dropped once, here, before any detector sees them: at-least-once
 * delivery (a consumer restart, a re-sent export) hands the engine the same event twice, and
 * a replay must never count twice (DESIGN.md, Guarantees). Doing it once in the engine saves
 * every detector a per-event id map.
 *
 * An event's id is remembered as a 64-bit hash (hash64Into) in a table per local day of the
 * event's later time, max(occurredAt, recordedAt) — a replay is the same event, so it falls on
 * the same day and only that day's table is searched. Tables of days more than `windowDays`
 * before the latest such day seen are forgotten.
 *
 * Bounds and limits:
 * - memory: 11–23 bytes per event of the last `windowDays` days (Hash64Set), nothing else per
 *   event (5.3 M events: about 60–120 MB, against ~400 MB for a Set of the id strings);
 * - collisions: two different ids of the same day are taken for one when their 64-bit hashes
 *   agree; for n events in a day that happens with probability below n²/2^65 (a million events
 *   a day: 3·10^-8), and costs one event;
 * - a replay of an event more than `windowDays` days older than the latest day seen reaches
 *   the detectors again. The default window (430 days) is longer than every detector's
 *   retention (400 days), so each detector has dropped such an old event by its own retention
 *   unless its own latest day lags the stream's by more than the 30 days of slack;
 * - two events with the same id but different times are different events here (a producer
 *   bug: CloudEvents ids are unique), and both are fed.
 */

import { hash64Into } from './detectors/support/hash.js';
import { Hash64Set } from './detectors/support/hash64-set.js';
import { localDayNumber } from './time.js';
import type { TraceRecord } from './types.js';

/** Days of ids remembered by default: the detectors' retention (400) plus a month of slack. */
export const DEFAULT_REPLAY_WINDOW_DAYS = 430;

export class ReplayFilter {
  private readonly days = new Map<number, Hash64Set>();
  private latest = Number.NEGATIVE_INFINITY;
  private lastDay = Number.NaN;
  private lastSet: Hash64Set | undefined;
  private readonly hash = new Uint32Array(2);

  /**
   * @param windowDays days of ids kept before the latest day seen (an integer ≥ 0).
   * @param utcOffsetMinutes local time as minutes east of UTC (days are local days).
   * @throws RangeError when windowDays is not a non-negative integer.
   */
  constructor(
    readonly windowDays = DEFAULT_REPLAY_WINDOW_DAYS,
    readonly utcOffsetMinutes = 480,
  ) {
    if (!Number.isInteger(windowDays) || windowDays < 0)
      throw new RangeError(`replay window must be an integer ≥ 0: ${windowDays}`);
  }

  /** @returns true the first time an event is offered, false for a replay of it. */
  firstSeen(record: TraceRecord): boolean {
    const day = localDayNumber(Math.max(record.occurredAt, record.recordedAt), this.utcOffsetMinutes);
    if (day > this.latest) {
      this.latest = day;
      this.forgetBefore(day - this.windowDays);
    }
    if (day < this.latest - this.windowDays) return true; // too old to remember (module comment)
    let set = this.lastSet;
    if (day !== this.lastDay || set === undefined) {
      set = this.days.get(day);
      if (set === undefined) {
        // a day is usually about as busy as the one before: size its table alike
        set = new Hash64Set(this.lastSet?.size ?? 0);
        this.days.set(day, set);
      }
      this.lastDay = day;
      this.lastSet = set;
    }
    hash64Into(record.id, this.hash);
    return set.add(this.hash[0]!, this.hash[1]!);
  }

  /** Ids remembered now, and the bytes their tables hold. */
  get memory(): { ids: number; bytes: number } {
    let ids = 0;
    let bytes = 0;
    for (const set of this.days.values()) {
      ids += set.size;
      bytes += set.bytes;
    }
    return { ids, bytes };
  }

  private forgetBefore(cutoff: number): void {
    for (const day of this.days.keys()) {
      if (day < cutoff) this.days.delete(day);
    }
    if (this.lastDay < cutoff) this.lastSet = undefined;
  }
}
