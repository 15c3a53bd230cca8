/**
 * When to try a delivery again: exponential backoff with jitter, up to a horizon measured
 * from the first attempt (after it, the notice is marked failed and raised to operations).
 * Pure: the clock and the random source are inputs.
 */
import { z } from 'zod';

export const retryPolicySchema = z
  .strictObject({
    /** Delay after the first attempt, before jitter. */
    initialDelayMs: z.number().int().min(1),
    /** Each further delay is the previous one times this. */
    multiplier: z.number().min(1).max(100),
    /** No single delay grows past this. */
    maxDelayMs: z.number().int().min(1),
    /** No attempt is planned later than this after the first one. */
    horizonMs: z.number().int().min(1),
    /** Share of each delay that is random (0 = none, 1 = full jitter). */
    jitter: z.number().min(0).max(1),
  })
  .refine((p) => p.maxDelayMs >= p.initialDelayMs, { path: ['maxDelayMs'], message: 'must be ≥ initialDelayMs' });
export type RetryPolicy = z.infer<typeof retryPolicySchema>;

/**
 * Near the Standard Webhooks example schedule (5 s, 5 min, 30 min, 2 h, 5 h, 10 h, …): 5 s
 * growing ×6 to at most 10 h apart, for two days.
 */
export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  initialDelayMs: 5_000,
  multiplier: 6,
  maxDelayMs: 10 * 3_600_000,
  horizonMs: 48 * 3_600_000,
  jitter: 0.2,
};

/** The delay before attempt n + 1, before jitter (n ≥ 1 attempts made). */
export function nominalDelayMs(policy: RetryPolicy, attemptsMade: number): number {
  return Math.min(policy.maxDelayMs, policy.initialDelayMs * policy.multiplier ** Math.min(attemptsMade - 1, 60));
}

/**
 * When to make attempt `attemptNumber + 1`, given that `attemptNumber` attempts (≥ 1) were made
 * and the first was at `firstAttemptAt`; null once that lies past the horizon. The nominal
 * schedule is first + d1 + … + dn; jitter moves the planned time earlier by up to `jitter`·dn
 * (never before the previous nominal time), so the plan grows with n whatever the random
 * draws, and a restart that recomputes it from the recorded attempts never retries sooner
 * than the schedule allows.
 */
export function nextAttemptAt(
  policy: RetryPolicy,
  firstAttemptAt: Date,
  attemptNumber: number,
  random: () => number = Math.random,
): Date | null {
  if (!Number.isInteger(attemptNumber) || attemptNumber < 1)
    throw new RangeError(`attemptNumber counts the attempts made (≥ 1), got ${attemptNumber}`);
  let nominal = 0;
  for (let n = 1; n <= attemptNumber; n++) {
    nominal += nominalDelayMs(policy, n);
    if (nominal > policy.horizonMs) return null;
  }
  const last = nominalDelayMs(policy, attemptNumber);
  const r = Math.min(Math.max(random(), 0), 1);
  return new Date(firstAttemptAt.getTime() + nominal - Math.round(policy.jitter * last * r));
}

/** The later of the planned retry and what the receiver asked for (Retry-After). */
export function respectRetryAfter(planned: Date, nowMs: number, retryAfterMs: number | undefined): Date {
  if (retryAfterMs === undefined) return planned;
  return new Date(Math.max(planned.getTime(), nowMs + retryAfterMs));
}
