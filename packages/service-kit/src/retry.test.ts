import { describe, expect, it } from 'vitest';
import { retry } from './retry.js';

class Transient extends Error {}

/** A step that fails with the given errors, in order, then returns 'done'. */
function failing(...errors: Error[]) {
  const attempts: number[] = [];
  const step = async (attempt: number) => {
    attempts.push(attempt);
    const err = errors.shift();
    if (err) throw err;
    return 'done';
  };
  return { step, attempts };
}

const fast = { baseMs: 1, maxMs: 2 };

describe('retry', () => {
  it('returns the first success and passes the attempt number', async () => {
    const { step, attempts } = failing(new Transient('a'), new Transient('b'));
    await expect(retry(step, fast)).resolves.toBe('done');
    expect(attempts).toEqual([0, 1, 2]);
  });

  it('rethrows a failure that is not transient at once', async () => {
    const permanent = new Error('bad request');
    const { step, attempts } = failing(new Transient('a'), permanent);
    await expect(retry(step, { ...fast, isTransient: (e) => e instanceof Transient })).rejects.toBe(permanent);
    expect(attempts).toEqual([0, 1]);
  });

  it('gives up after maxAttempts with the last error', async () => {
    const last = new Transient('third');
    const { step, attempts } = failing(new Transient('1'), new Transient('2'), last, new Transient('4'));
    await expect(retry(step, { ...fast, maxAttempts: 3 })).rejects.toBe(last);
    expect(attempts).toEqual([0, 1, 2]);
  });

  it('stops waiting when the signal aborts and rejects with the last error', async () => {
    const controller = new AbortController();
    const err = new Transient('down');
    let calls = 0;
    const run = retry(
      async () => {
        calls++;
        throw err;
      },
      { signal: controller.signal, baseMs: 60_000, maxMs: 60_000, onRetry: () => controller.abort() },
    );
    await expect(run).rejects.toBe(err);
    expect(calls).toBe(1);
  });

  it('backs off exponentially with jitter, capped, and reports each wait', async () => {
    const waits: Array<[number, number]> = [];
    const { step } = failing(...Array.from({ length: 6 }, (_, i) => new Transient(String(i))));
    await retry(step, {
      baseMs: 1,
      maxMs: 8,
      random: () => 1, // the top of each jitter range: 1, 2, 4, 8, 8, 8
      onRetry: (_err, attempt, delayMs) => waits.push([attempt, delayMs]),
    });
    expect(waits).toEqual([
      [0, 1],
      [1, 2],
      [2, 4],
      [3, 8],
      [4, 8],
      [5, 8],
    ]);
  });
});
