import { describe, expect, it } from 'vitest';
import { RetryAborted, retry } from './retry.js';

describe('retry', () => {
  it('returns the first success after transient failures, with growing waits', async () => {
    const delays: number[] = [];
    let calls = 0;
    const value = await retry(
      async () => {
        calls++;
        if (calls < 4) throw new Error('unavailable');
        return 'ok';
      },
      { baseMs: 1, maxMs: 8, onRetry: (_e, _a, d) => delays.push(d) },
    );
    expect(value).toBe('ok');
    expect(calls).toBe(4);
    expect(delays).toHaveLength(3);
    // full jitter over the upper half of 1, 2, 4 ms
    expect(delays.every((d, i) => d >= 2 ** i / 2 && d <= 2 ** i)).toBe(true);
  });

  it('throws a permanent error at once', async () => {
    let calls = 0;
    const permanent = new Error('record too large');
    await expect(
      retry(
        async () => {
          calls++;
          throw permanent;
        },
        { baseMs: 1, isTransient: (e) => e !== permanent },
      ),
    ).rejects.toBe(permanent);
    expect(calls).toBe(1);
  });

  it('gives up after maxAttempts with the last error', async () => {
    let calls = 0;
    await expect(
      retry(
        async () => {
          calls++;
          throw new Error(`try ${calls}`);
        },
        { baseMs: 1, maxMs: 1, maxAttempts: 3 },
      ),
    ).rejects.toThrow('try 3');
    expect(calls).toBe(3);
  });

  it('stops waiting when aborted and says so', async () => {
    const abort = new AbortController();
    const pending = retry(
      async () => {
        throw new Error('down');
      },
      { signal: abort.signal, baseMs: 60_000, maxMs: 60_000, what: 'ClickHouse migrations' },
    );
    setTimeout(() => abort.abort(), 5);
    await expect(pending).rejects.toBeInstanceOf(RetryAborted);
    await expect(pending).rejects.toThrow('ClickHouse migrations');
  });
});
