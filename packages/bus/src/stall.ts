/**
 * A consumer loop is stalled when it holds messages it has not finished for longer than
 * `timeoutMs` while nothing it depends on is known to be down: a live process that no longer
 * makes progress (a hung request, a lost promise). Waiting on an unavailable store is not a
 * stall: that is reported as not-ready instead, and the loop resumes by itself.
 */
export function isStalled(s: {
  inFlight: number;
  /** When work last completed (or the loop started), epoch ms. */
  lastProgressAt: number;
  dependenciesAvailable: boolean;
  now: number;
  timeoutMs: number;
}): boolean {
  return s.inFlight > 0 && s.dependenciesAvailable && s.now - s.lastProgressAt > s.timeoutMs;
}
