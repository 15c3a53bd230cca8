/**
 * One delivery attempt as the notifier makes it: send on one channel, record the attempt in
 * ClickHouse, and say what comes next (try again at a time, or stop: delivered or failed).
 * The attempt is recorded before the caller marks anything, so a crash after the send leaves
 * at most one unrecorded attempt, which the retry repeats with the same message id.
 */
import type { DeliveryAttempt, DeliveryChannel } from '@tracewatch/schema';
import type { Store } from '@tracewatch/store';
import { recordAttempt } from './attempts.js';
import type { EmailChannel, EmailMessage } from './email.js';
import type { DeliveryResult } from './result.js';
import { nextAttemptAt, type RetryPolicy, respectRetryAfter } from './retry-policy.js';
import type { WebhookChannel, WebhookRequest } from './webhook.js';

export type DeliveryTarget =
  | { channel: 'webhook'; via: WebhookChannel; request: Omit<WebhookRequest, 'messageId' | 'atMs'> }
  | { channel: 'email'; via: EmailChannel; message: Omit<EmailMessage, 'messageId'> };

export interface AttemptJob {
  noticeId: string;
  ownerId: string;
  messageId: string;
  /** 1 for the first attempt on this channel. */
  attempt: number;
  /** When the first attempt on this channel was made (null: this is it). */
  firstAttemptAt: Date | null;
}

export interface AttemptOutcome {
  attempt: DeliveryAttempt;
  result: DeliveryResult;
  /** delivered / failed: stop; retry: try again at `nextAt`. */
  state: 'delivered' | 'failed' | 'retry';
  nextAt: Date | null;
  /** Why a retryable result ended as failed: the horizon was reached. */
  gaveUp: boolean;
}

export async function attemptDelivery(
  store: Store,
  job: AttemptJob,
  target: DeliveryTarget,
  policy: RetryPolicy,
  options: { now?: () => number; random?: () => number } = {},
): Promise<AttemptOutcome> {
  const now = options.now ?? Date.now;
  const startedAt = now();
  const result =
    target.channel === 'webhook'
      ? await target.via.send({ ...target.request, messageId: job.messageId, atMs: startedAt })
      : await target.via.send({ ...target.message, messageId: job.messageId });
  const attempt: DeliveryAttempt = {
    noticeId: job.noticeId,
    messageId: job.messageId,
    ownerId: job.ownerId,
    channel: target.channel satisfies DeliveryChannel,
    attempt: job.attempt,
    outcome: result.outcome,
    responseCode: result.responseCode,
    error: result.error,
    durationMs: result.durationMs,
    at: new Date(startedAt).toISOString(),
  };
  await recordAttempt(store, attempt);
  if (result.outcome !== 'retry') return { attempt, result, state: result.outcome, nextAt: null, gaveUp: false };
  const first = job.firstAttemptAt ?? new Date(startedAt);
  const planned = nextAttemptAt(policy, first, job.attempt, options.random);
  const nextAt = planned && respectRetryAfter(planned, now(), result.retryAfterMs);
  if (!nextAt || nextAt.getTime() - first.getTime() > policy.horizonMs)
    return { attempt, result, state: 'failed', nextAt: null, gaveUp: true };
  return { attempt, result, state: 'retry', nextAt, gaveUp: false };
}
