/**
 * Bounded history for streaming detectors, without breaking order independence.
 *
 * A detector keeps only the last `retentionDays` days before the latest day it has seen. A record
 * older than that on arrival is dropped; at evaluation every day older than the *final* cutoff is
 * ignored. The cutoff only moves forward, so a record dropped on arrival would have been ignored
 * at evaluation anyway: any arrival order (or split into batches) gives the same outcomes.
 */
export class RetentionWindow {
  private latest = Number.NEGATIVE_INFINITY;

  constructor(readonly retentionDays: number) {}

  /** Registers a day (of a record's recording time); returns whether `day` is still retained. */
  admit(day: number, latestCandidate = day): boolean {
    if (latestCandidate > this.latest) this.latest = latestCandidate;
    return day >= this.cutoff();
  }

  /** First retained day (−Infinity before any record). */
  cutoff(): number {
    return this.latest - this.retentionDays;
  }
}

/** Deletes the keys (days) of a map below `cutoff`. */
export function pruneDays<T>(days: Map<number, T>, cutoff: number): void {
  for (const day of days.keys()) if (day < cutoff) days.delete(day);
}

/** Key of a unit: platform and org (ids never contain NUL). */
export function orgKeyOf(platformId: string, orgId: string): string {
  return `${platformId}\u0000${orgId}`;
}

/** Smallest and largest key of a day map; null when empty. */
export function dayRange(days: ReadonlyMap<number, unknown>): { first: number; last: number } | null {
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  for (const day of days.keys()) {
    if (day < first) first = day;
    if (day > last) last = day;
  }
  return first <= last ? { first, last } : null;
}
