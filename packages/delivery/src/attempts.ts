/** Every delivery attempt, in ClickHouse (table delivery_attempts, migration 031). */
import { createHash } from 'node:crypto';
import { type DeliveryAttempt, deliveryAttemptSchema } from '@tracewatch/schema';
import { type Store, selectRows, sqlString } from '@tracewatch/store';
import { z } from 'zod';

const attemptRowSchema = z.object({
  notice_id: z.string(),
  message_id: z.string(),
  owner_id: z.string(),
  channel: z.string(),
  attempt: z.coerce.number(),
  outcome: z.string(),
  response_code: z.coerce.number().nullable(),
  error: z.string().nullable(),
  duration_ms: z.coerce.number(),
  at_ms: z.coerce.number(),
});

/** Stores one attempt (validated first). Writing the same attempt again leaves one row for readers. */
export async function recordAttempt(store: Store, attempt: DeliveryAttempt): Promise<void> {
  const a = deliveryAttemptSchema.parse(attempt);
  const atMs = Date.parse(a.at);
  const at = Math.floor(atMs / 1000);
  await store.client.insert({
    table: `${store.database}.delivery_attempts`,
    values: [
      {
        notice_id: a.noticeId,
        message_id: a.messageId,
        owner_id: a.ownerId,
        channel: a.channel,
        attempt: a.attempt,
        outcome: a.outcome,
        response_code: a.responseCode,
        error: a.error,
        duration_ms: a.durationMs,
        at,
        at_ms: atMs - at * 1000,
        version: atMs,
      },
    ],
    format: 'JSONEachRow',
  });
}

export interface AttemptFilter {
  noticeId?: string;
  ownerId?: string;
  messageId?: string;
  channel?: DeliveryAttempt['channel'];
}

/** Attempts matching every given field, in the order they were made. */
export async function readAttempts(store: Store, filter: AttemptFilter = {}): Promise<DeliveryAttempt[]> {
  const where: string[] = ['1'];
  if (filter.noticeId !== undefined) where.push(`notice_id = ${sqlString(filter.noticeId)}`);
  if (filter.ownerId !== undefined) where.push(`owner_id = ${sqlString(filter.ownerId)}`);
  if (filter.messageId !== undefined) where.push(`message_id = ${sqlString(filter.messageId)}`);
  if (filter.channel !== undefined) where.push(`channel = ${sqlString(filter.channel)}`);
  const rows = await selectRows<unknown>(
    store,
    `SELECT notice_id, message_id, owner_id, channel, attempt, outcome, response_code, error, duration_ms,
            toUnixTimestamp(at) * 1000 + at_ms AS at_ms
     FROM ${store.database}.delivery_attempts FINAL
     WHERE ${where.join(' AND ')}
     ORDER BY at_ms, owner_id, notice_id, channel, attempt`,
  );
  return rows.map((raw) => {
    const r = attemptRowSchema.parse(raw);
    return deliveryAttemptSchema.parse({
      noticeId: r.notice_id,
      messageId: r.message_id,
      ownerId: r.owner_id,
      channel: r.channel,
      attempt: r.attempt,
      outcome: r.outcome,
      responseCode: r.response_code,
      error: r.error,
      durationMs: r.duration_ms,
      at: new Date(r.at_ms).toISOString(),
    });
  });
}

/**
 * The id receivers deduplicate by for one notice to one owner: stable across retries and
 * restarts (derived, not stored), without dots.
 */
export function messageIdFor(noticeId: string, ownerId: string): string {
  return `msg_${createHash('sha256').update(`${ownerId}\n${noticeId}`).digest('hex').slice(0, 32)}`;
}
