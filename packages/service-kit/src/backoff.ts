/** Exponential backoff with full jitter: attempt 0 → up to `baseMs`, doubling, capped. */
export function backoffDelay(attempt: number, baseMs = 200, maxMs = 10_000, random = Math.random): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.min(attempt, 30));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

export const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal?.aborted) return resolve();
    // The listener is removed when the timer fires: a long retry loop must not pile them up.
    const onAbort = () => {
      clearTimeout(t);
      resolve();
    };
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });

/** Thrown by retryUntilDone when the signal aborted before the step succeeded. */
export class StoppedBeforeDone extends Error {
  override name = 'StoppedBeforeDone';
}

/**
 * Retries `step` with backoff until it succeeds, logging each failure; throws
 * StoppedBeforeDone once `signal` aborts (a service stopping while its dependency is down).
 */
export async function retryUntilDone<T>(
  what: string,
  log: { warn: (obj: object, msg: string) => void },
  signal: AbortSignal,
  step: () => Promise<T>,
): Promise<T> {
  for (let attempt = 0; !signal.aborted; attempt++) {
    try {
      return await step();
    } catch (err) {
      log.warn({ err: (err as Error).message, attempt }, `${what} failed; retrying`);
      await sleep(backoffDelay(attempt, 500, 10_000), signal);
    }
  }
  throw new StoppedBeforeDone(what);
}
