/**
 * The notifier's work, given a store, the delivery channels and the time (the service passes the
 * clock; tests pass any instant):
 *
 * - compose: per owner, what changed on its platforms since its last notice becomes notices
 *   (critical at once, the rest in the digest of the owner's current slot), each numbered and
 *   STORED before anything is sent (the outbox);
 * - deliver: every stored notice to each channel the owner has, retried with the policy's
 *   backoff and jitter up to its horizon under one message id, every attempt recorded, the
 *   outcome marked once (delivered, or failed);
 * - escalate: the notices whose deadline passed without an answer.
 *
 * One writer: the service runs one Notifier at a time (the member of its consumer group that
 * holds partition 0 of the alerts topic), so numbers are the year's highest stored + 1 without
 * gaps or repeats, and no delivery is marked by two processes.
 */
import { randomBytes } from 'node:crypto';
import {
  composeEmail,
  type DeliveryResult,
  type EmailMessage,
  messageIdFor,
  nextAttemptAt,
  type RetryPolicy,
  recordAttempt,
  respectRetryAfter,
  type WebhookRequest,
} from '@tracewatch/delivery';
import type { DeliveryChannel, Notice, NoticeDelivery, RecipientConfigV1 } from '@tracewatch/schema';
import type { Store } from '@tracewatch/store';
import { composeNotice } from './compose.js';
import { chunkEntries, digestSlot, planOwnerNotices } from './grouping.js';
import { nextNoticeNumber, noticeYear, parseNoticeNumber } from './numbering.js';
import {
  highestSequence,
  lastDigestAt,
  latestNumberOf,
  loadDeliveries,
  loadNoticesSince,
  loadNotified,
  loadReceivedAlerts,
  overdueNotices,
  storeNotice,
  writeDelivery,
} from './repository.js';
import { renderNotice } from './templates.js';

export interface NoticeChannels {
  webhook: { send(request: WebhookRequest): Promise<DeliveryResult> };
  /** Absent when no SMTP server is configured: e-mail deliveries wait (and say so). */
  email?: { send(message: EmailMessage): Promise<DeliveryResult> } | undefined;
}

export interface NotifierLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

/** What the service counts (metrics). */
export interface NotifierEvents {
  created?(notice: Notice): void;
  attempted?(channel: DeliveryChannel, outcome: DeliveryResult['outcome'], seconds: number): void;
  failed?(notice: Notice, channel: DeliveryChannel, error: string): void;
}

export interface NotifierOptions {
  store: Store;
  channels: NoticeChannels;
  policy: RetryPolicy;
  consoleUrl: string;
  /** Local time of the numbering year (minutes east of UTC; Beijing = 480). */
  yearUtcOffsetMinutes: number;
  /** Deliveries in flight at once. */
  maxConcurrentDeliveries: number;
  /** How far back a start looks for notices still to deliver. */
  recoverWindowMs: number;
  log: NotifierLog;
  events?: NotifierEvents;
  random?: () => number;
}

interface QueuedDelivery {
  notice: Notice;
  channel: DeliveryChannel;
  messageId: string;
  attempts: number;
  firstAttemptMs: number | null;
  nextAttemptMs: number;
}

const key = (noticeId: string, channel: DeliveryChannel) => `${noticeId}|${channel}`;

/** The channels an owner's configuration has. */
export const channelsOf = (r: Pick<RecipientConfigV1, 'webhook' | 'email'>): DeliveryChannel[] => [
  ...(r.webhook ? (['webhook'] as const) : []),
  ...(r.email ? (['email'] as const) : []),
];

export class Notifier {
  private readonly queue = new Map<string, QueuedDelivery>();
  private readonly inFlight = new Map<string, Promise<void>>();
  /** The next free sequence per year (from the store; forgotten after any failed store). */
  private readonly nextSequence = new Map<number, number>();

  constructor(private readonly opts: NotifierOptions) {}

  /** Rebuilds the delivery queue from the store: every recent notice whose channels are not marked yet. */
  async recover(owners: readonly RecipientConfigV1[], nowMs: number): Promise<void> {
    this.queue.clear();
    this.nextSequence.clear();
    const notices = await loadNoticesSince(this.opts.store, nowMs - this.opts.recoverWindowMs);
    const states = new Map(
      (
        await loadDeliveries(
          this.opts.store,
          notices.map((n) => n.id),
        )
      ).map((d) => [key(d.noticeId, d.channel), d]),
    );
    const byOwner = new Map(owners.map((o) => [o.ownerId, o]));
    for (const notice of notices) {
      const owner = byOwner.get(notice.ownerId);
      for (const channel of owner ? channelsOf(owner) : []) {
        const state = states.get(key(notice.id, channel));
        if (state && state.state !== 'pending') continue;
        this.enqueue(notice, channel, state, nowMs);
      }
    }
  }

  private enqueue(notice: Notice, channel: DeliveryChannel, state: NoticeDelivery | undefined, nowMs: number) {
    this.queue.set(key(notice.id, channel), {
      notice,
      channel,
      messageId: messageIdFor(notice.id, notice.ownerId),
      attempts: state?.attempts ?? 0,
      firstAttemptMs: state?.firstAttemptAt ? Date.parse(state.firstAttemptAt) : null,
      nextAttemptMs: state?.nextAttemptAt ? Date.parse(state.nextAttemptAt) : nowMs,
    });
  }

  private async takeNumber(nowMs: number): Promise<string> {
    const year = noticeYear(nowMs, this.opts.yearUtcOffsetMinutes);
    let next = this.nextSequence.get(year);
    if (next === undefined) next = (await highestSequence(this.opts.store, year)) + 1;
    this.nextSequence.set(year, next);
    return nextNoticeNumber(year, next - 1);
  }

  /**
   * Composes and stores the notices due at `nowMs` for these owners, and queues their
   * deliveries. A notice is stored (items, then the notice row) before it is queued.
   */
  async compose(owners: readonly RecipientConfigV1[], nowMs: number): Promise<Notice[]> {
    if (owners.length === 0) return [];
    const { store } = this.opts;
    const digests = await lastDigestAt(store);
    const created: Notice[] = [];
    for (const owner of owners) {
      const [received, notified] = await Promise.all([
        loadReceivedAlerts(store, owner.platformIds),
        loadNotified(store, owner.ownerId),
      ]);
      const last = digests.get(owner.ownerId);
      const plans = planOwnerNotices({
        owner,
        received,
        notified,
        lastSlotMs: last === undefined ? undefined : digestSlot(owner.digest, last),
        nowMs,
      });
      let previousNumber = plans.length > 0 ? await latestNumberOf(store, owner.ownerId) : null;
      for (const plan of plans) {
        for (const entries of chunkEntries(plan.entries, 1000)) {
          const number = await this.takeNumber(nowMs);
          const notice = composeNotice(
            { ...plan, entries },
            {
              id: `ntc-${randomBytes(9).toString('hex')}`,
              number,
              createdAtMs: nowMs,
              previousNumber,
              consoleUrl: this.opts.consoleUrl,
              answerDays: owner.answerDays,
            },
          );
          try {
            await storeNotice(store, notice);
          } catch (err) {
            // Stored or not, nobody knows: the next number is read from the store again.
            this.nextSequence.clear();
            throw err;
          }
          const { year, sequence } = parseNoticeNumber(number);
          this.nextSequence.set(year, sequence + 1);
          previousNumber = number;
          created.push(notice);
          this.opts.events?.created?.(notice);
          for (const channel of channelsOf(owner)) this.enqueue(notice, channel, undefined, nowMs);
        }
      }
    }
    return created;
  }

  /**
   * Starts the deliveries due at `nowMs` (up to the concurrency bound) and returns at once; each
   * one records its attempt and its new state when it settles. `owners` gives the channels'
   * current addresses and secrets.
   */
  deliverDue(owners: ReadonlyMap<string, RecipientConfigV1>, nowMs: number): number {
    let started = 0;
    for (const [k, q] of this.queue) {
      if (this.inFlight.size >= this.opts.maxConcurrentDeliveries) break;
      if (this.inFlight.has(k) || q.nextAttemptMs > nowMs) continue;
      const owner = owners.get(q.notice.ownerId);
      if (!owner || !channelsOf(owner).includes(q.channel)) {
        this.opts.log.warn(
          { notice: q.notice.number, owner: q.notice.ownerId, channel: q.channel },
          'the owner has this channel no longer: the delivery is dropped',
        );
        this.queue.delete(k);
        continue;
      }
      const job = this.attempt(q, owner, nowMs)
        .catch((err: Error) => {
          // The store refused the attempt's record or state: try again soon (same message id).
          this.opts.log.warn(
            { notice: q.notice.number, channel: q.channel, err: err.message },
            'delivery bookkeeping failed',
          );
          const current = this.queue.get(k);
          if (current) current.nextAttemptMs = nowMs + 5_000;
        })
        .finally(() => this.inFlight.delete(k));
      this.inFlight.set(k, job);
      started++;
    }
    return started;
  }

  private async attempt(q: QueuedDelivery, owner: RecipientConfigV1, nowMs: number): Promise<void> {
    const rendered = renderNotice(q.notice, owner.languages);
    const attempt = q.attempts + 1;
    let result: DeliveryResult;
    if (q.channel === 'webhook' && owner.webhook) {
      result = await this.opts.channels.webhook.send({
        url: owner.webhook.url,
        secret: owner.webhook.secret,
        messageId: q.messageId,
        body: rendered.json,
        // webhook-timestamp is the real sending time: receivers check it against their clocks.
        atMs: Date.now(),
      });
    } else if (q.channel === 'email' && owner.email && this.opts.channels.email) {
      result = await this.opts.channels.email.send(composeEmail(rendered.parts, owner.email.to, q.messageId));
    } else {
      result = { outcome: 'retry', responseCode: null, error: 'no SMTP server configured (SMTP_HOST)', durationMs: 0 };
    }
    this.opts.events?.attempted?.(q.channel, result.outcome, result.durationMs / 1000);
    const at = new Date(nowMs).toISOString();
    await recordAttempt(this.opts.store, {
      noticeId: q.notice.id,
      messageId: q.messageId,
      ownerId: q.notice.ownerId,
      channel: q.channel,
      attempt,
      outcome: result.outcome,
      responseCode: result.responseCode,
      error: result.error,
      durationMs: result.durationMs,
      at,
    });
    const firstAttemptMs = q.firstAttemptMs ?? nowMs;
    let state: NoticeDelivery['state'] = result.outcome === 'delivered' ? 'delivered' : 'failed';
    let next: Date | null = null;
    let error = result.error ?? '';
    if (result.outcome === 'retry') {
      const planned = nextAttemptAt(this.opts.policy, new Date(firstAttemptMs), attempt, this.opts.random);
      if (planned) {
        state = 'pending';
        next = respectRetryAfter(planned, nowMs, result.retryAfterMs);
      } else error = `past the retry horizon after ${attempt} attempts: ${error}`;
    }
    await writeDelivery(this.opts.store, {
      noticeId: q.notice.id,
      channel: q.channel,
      messageId: q.messageId,
      state,
      attempts: attempt,
      firstAttemptAt: new Date(firstAttemptMs).toISOString(),
      lastError: error,
      nextAttemptAt: next?.toISOString() ?? null,
      updatedAt: at,
    });
    const k = key(q.notice.id, q.channel);
    if (state === 'pending' && next) {
      this.queue.set(k, { ...q, attempts: attempt, firstAttemptMs, nextAttemptMs: next.getTime() });
      return;
    }
    this.queue.delete(k);
    if (state === 'failed') {
      this.opts.log.warn(
        { notice: q.notice.number, owner: q.notice.ownerId, channel: q.channel, error },
        'delivery failed',
      );
      this.opts.events?.failed?.(q.notice, q.channel, error);
    }
  }

  /** Settles when every delivery in flight has (stop, tests). */
  async drain(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight.values()]);
  }

  /** Deliveries not marked yet: how many, how many are retries, since when the oldest notice waits. */
  queueStats(nowMs: number): { pending: number; retrying: number; oldestUndeliveredSeconds: number } {
    let retrying = 0;
    let oldest = nowMs;
    for (const q of this.queue.values()) {
      if (q.attempts > 0) retrying++;
      oldest = Math.min(oldest, Date.parse(q.notice.createdAt));
    }
    return { pending: this.queue.size, retrying, oldestUndeliveredSeconds: (nowMs - oldest) / 1000 };
  }

  /** Notices unanswered past their deadline at `nowMs` (escalation). */
  overdue(nowMs: number): Promise<Notice[]> {
    return overdueNotices(this.opts.store, new Date(nowMs));
  }
}
