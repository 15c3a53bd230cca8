import type { DeliveryOutcome } from '@tracewatch/schema';

/** What one attempt on one channel came to (recorded as a DeliveryAttempt). */
export interface DeliveryResult {
  outcome: DeliveryOutcome;
  /** HTTP status or SMTP reply code; null when no answer came. */
  responseCode: number | null;
  error: string | null;
  durationMs: number;
  /** The receiver's Retry-After, when it gave one with a retry. */
  retryAfterMs?: number;
}

export const truncate = (s: string, max = 500) => (s.length > max ? `${s.slice(0, max - 1)}…` : s);
