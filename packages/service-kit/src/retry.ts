import { backoffDelay, sleep } from './backoff.js';

export interface RetryOptions {
  /** Stops retrying: the pending wait ends and retry rejects with the last error. */
  signal?: AbortSignal;
  /** Whether a failure may pass by itself (a server down, a timeout); others are rethrown at once. */
  isTransient?: (err: unknown) => boolean;
  /** Backoff of the first retry, doubling up to maxMs, with jitter (see backoffDelay). */
  baseMs?: number;
  maxMs?: number;
  /** Attempts in all, the first included (default: until it succeeds or the signal aborts). */
  maxAttempts?: number;
  /** Called before each wait: for logs and metrics. */
  onRetry?: (err: unknown, attempt: number, delayMs: number) => void;
  random?: () => number;
}

/**
 * Runs `step` until it succeeds, waiting with exponential backoff and jitter between
 * transient failures. `step` gets the attempt number (0 first), so it can redo its whole
 * work from the current state rather than replay a stale request.
 */
export async function retry<T>(step: (attempt: number) => Promise<T>, opts: RetryOptions = {}): Promise<T> {
  const { signal, isTransient = () => true, baseMs = 200, maxMs = 10_000, maxAttempts = Infinity } = opts;
  for (let attempt = 0; ; attempt++) {
    try {
      return await step(attempt);
    } catch (err) {
      if (!isTransient(err) || attempt + 1 >= maxAttempts || signal?.aborted) throw err;
      const delayMs = backoffDelay(attempt, baseMs, maxMs, opts.random);
      opts.onRetry?.(err, attempt, delayMs);
      await sleep(delayMs, signal);
      if (signal?.aborted) throw err;
    }
  }
}
