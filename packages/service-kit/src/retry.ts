import { backoffDelay, sleep } from './backoff.js';

/** Thrown by `retry` when its signal aborts before the step succeeded. */
export class RetryAborted extends Error {
  override name = 'RetryAborted';
  constructor(what: string) {
    super(`${what}: stopped before it succeeded`);
  }
}

export interface RetryOptions {
  /** Stops retrying (rejects with RetryAborted) once aborted; the sleep between tries ends too. */
  signal?: AbortSignal;
  /** Whether an error is worth another try (a dependency unavailable). Default: every error. */
  isTransient?: (error: unknown) => boolean;
  /** Named in logs and in RetryAborted. */
  what?: string;
  /** Called before each wait, e.g. to log the failure. */
  onRetry?: (error: unknown, attempt: number, delayMs: number) => void;
  /** Backoff of the first retry and the cap (full jitter over the upper half; see backoffDelay). */
  baseMs?: number;
  maxMs?: number;
  /** Tries in all before the last error is thrown (default: unbounded). */
  maxAttempts?: number;
}

/**
 * Runs `step` until it succeeds, waiting with exponential backoff and jitter between tries.
 * Errors that are not transient are thrown at once; so is the last error after maxAttempts.
 * The one retry loop of the project: services, writers and clients use it rather than their own.
 *
 * @throws RetryAborted when `signal` aborts first; the step's own error when it is permanent.
 */
export async function retry<T>(step: (attempt: number) => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const { signal, isTransient = () => true, what = 'operation', baseMs = 200, maxMs = 10_000 } = options;
  const maxAttempts = options.maxAttempts ?? Number.POSITIVE_INFINITY;
  for (let attempt = 0; ; attempt++) {
    if (signal?.aborted) throw new RetryAborted(what);
    try {
      return await step(attempt);
    } catch (error) {
      if (signal?.aborted) throw new RetryAborted(what);
      if (!isTransient(error) || attempt + 1 >= maxAttempts) throw error;
      const delayMs = backoffDelay(attempt, baseMs, maxMs);
      options.onRetry?.(error, attempt, delayMs);
      await sleep(delayMs, signal);
    }
  }
}
