import { describe, expect, it } from 'vitest';
import {
  DEFAULT_RETRY_POLICY,
  nextAttemptAt,
  nominalDelayMs,
  type RetryPolicy,
  respectRetryAfter,
} from './retry-policy.js';

const first = new Date(Date.UTC(2026, 2, 1));
const policy: RetryPolicy = { initialDelayMs: 1000, multiplier: 2, maxDelayMs: 8000, horizonMs: 30_000, jitter: 0.5 };
const at = (n: number, r: number) => nextAttemptAt(policy, first, n, () => r)?.getTime() ?? null;

describe('nextAttemptAt', () => {
  it('without jitter draws the nominal schedule: 1, 2, 4, 8, 8 s apart, then null past the 30 s horizon', () => {
    const t0 = first.getTime();
    expect([1, 2, 3, 4, 5, 6].map((n) => at(n, 0))).toEqual([
      t0 + 1000,
      t0 + 3000,
      t0 + 7000,
      t0 + 15_000,
      t0 + 23_000,
      null,
    ]);
  });

  it('jitter moves each attempt earlier by at most jitter × its delay, never before the previous nominal time', () => {
    const t0 = first.getTime();
    expect(at(3, 1)).toBe(t0 + 7000 - 2000);
    for (let n = 1; n <= 5; n++)
      for (const r of [0, 0.3, 0.99, 1]) {
        const t = at(n, r)!;
        const previousNominal = n === 1 ? t0 : at(n - 1, 0)!;
        expect(t).toBeGreaterThanOrEqual(previousNominal);
        expect(t).toBeLessThanOrEqual(at(n, 0)!);
      }
  });

  it('whatever the draws, the plan grows with the attempt number and stays within the horizon', () => {
    for (let trial = 0; trial < 200; trial++) {
      let previous = first.getTime();
      for (let n = 1; ; n++) {
        const next = nextAttemptAt(DEFAULT_RETRY_POLICY, first, n)?.getTime();
        if (next === undefined) break;
        expect(next).toBeGreaterThanOrEqual(previous);
        expect(next - first.getTime()).toBeLessThanOrEqual(DEFAULT_RETRY_POLICY.horizonMs);
        previous = next;
      }
    }
  });

  it('the default schedule starts at 5 s and caps single delays at 10 h', () => {
    expect(nominalDelayMs(DEFAULT_RETRY_POLICY, 1)).toBe(5000);
    expect(nominalDelayMs(DEFAULT_RETRY_POLICY, 2)).toBe(30_000);
    expect(nominalDelayMs(DEFAULT_RETRY_POLICY, 20)).toBe(36_000_000);
  });

  it('refuses an attempt number below 1 or fractional', () => {
    expect(() => nextAttemptAt(policy, first, 0)).toThrow(/≥ 1/);
    expect(() => nextAttemptAt(policy, first, 1.5)).toThrow(/≥ 1/);
  });

  it('Retry-After pushes a retry later, never earlier', () => {
    const planned = new Date(first.getTime() + 1000);
    expect(respectRetryAfter(planned, first.getTime(), 5000).getTime()).toBe(first.getTime() + 5000);
    expect(respectRetryAfter(planned, first.getTime(), 10).getTime()).toBe(planned.getTime());
    expect(respectRetryAfter(planned, first.getTime(), undefined)).toBe(planned);
  });
});
