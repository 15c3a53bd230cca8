/**
 * A service's periodic work, one turn at a time: a tick while a turn still runs queues behind
 * it instead of overlapping it, and a failed turn is reported and the next one tries again.
 * `settled()` waits for the turns queued so far (for shutdown).
 */
export function serialTurns(
  turn: () => Promise<void>,
  outcome: { succeeded: () => void; failed: (err: Error) => void },
): { tick: () => void; settled: () => Promise<void> } {
  let queue: Promise<void> = Promise.resolve();
  return {
    tick: () => {
      queue = queue.then(turn).then(outcome.succeeded, outcome.failed);
    },
    settled: () => queue,
  };
}
