/**
 * Stream time. The detector service judges windows as of a watermark taken from the events'
 * recording times, never from the wall clock, so replayed or compressed-time traffic gives the
 * same findings as live traffic (DESIGN.md, Parity).
 *
 * Per partition the latest recording time seen is kept. A partition still behind its end (lag
 * > 0) may yet deliver earlier events, so it holds the watermark back: the watermark is the
 * smallest latest-time over the partitions that are behind, or, when every partition has
 * caught up, the largest latest-time over all of them (what `tracewatch analyze` takes as
 * asOf for a file). Then the allowed lateness is subtracted: events recorded up to that long
 * out of order still count in the windows they belong to.
 */
export class Watermark {
  private readonly latest = new Map<number, number>();
  private readonly behind = new Set<number>();

  /** @param allowedLatenessMs how late (by recording time) an event may arrive and still count. */
  constructor(readonly allowedLatenessMs: number) {
    if (!(allowedLatenessMs >= 0)) throw new RangeError('allowedLatenessMs must be ≥ 0');
  }

  /** An event of `partition` recorded at `recordedAt` (epoch ms) was consumed. */
  observe(partition: number, recordedAt: number): void {
    const seen = this.latest.get(partition);
    if (seen === undefined || recordedAt > seen) this.latest.set(partition, recordedAt);
  }

  /** Whether `partition` has messages left to read (its lag after the last batch). */
  setBehind(partition: number, behind: boolean): void {
    if (behind) this.behind.add(partition);
    else this.behind.delete(partition);
  }

  /** Every partition has been read to its end. */
  get caughtUp(): boolean {
    return this.behind.size === 0;
  }

  /** The latest recording time consumed from any partition (null before any event). */
  get latestRecordedAt(): number | null {
    let max: number | null = null;
    for (const t of this.latest.values()) if (max === null || t > max) max = t;
    return max;
  }

  /**
   * Epoch ms up to which the data is taken as complete; null while unknown (no event yet, or
   * a partition that is behind has delivered nothing yet).
   */
  get value(): number | null {
    let time: number | null;
    if (this.behind.size === 0) time = this.latestRecordedAt;
    else {
      time = null;
      for (const p of this.behind) {
        const t = this.latest.get(p);
        if (t === undefined) return null;
        if (time === null || t < time) time = t;
      }
    }
    return time === null ? null : time - this.allowedLatenessMs;
  }
}
