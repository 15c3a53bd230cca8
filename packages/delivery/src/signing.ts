/**
 * Standard Webhooks 1.0, symmetric scheme: `webhook-signature` is `v1,` + base64
 * HMAC-SHA256 over `{webhook-id}.{webhook-timestamp}.{body}`, keyed with the bytes that the
 * base64 after `whsec_` encodes. Written on node:crypto (a few lines) rather than taking the
 * reference library as a runtime dependency; the tests check every signature against the
 * reference library (`standardwebhooks`), both ways.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { messageIdSchema, webhookSecretSchema } from '@tracewatch/schema';

const PREFIX = 'whsec_';

/** A new secret: 32 random bytes (the spec asks for 24..64). */
export function generateWebhookSecret(): string {
  return `${PREFIX}${randomBytes(32).toString('base64')}`;
}

function secretKey(secret: string): Buffer {
  webhookSecretSchema.parse(secret);
  return Buffer.from(secret.slice(PREFIX.length), 'base64');
}

function signWithKey(key: Buffer, messageId: string, timestampSeconds: number, body: string): string {
  const mac = createHmac('sha256', key).update(`${messageId}.${timestampSeconds}.`).update(body).digest('base64');
  return `v1,${mac}`;
}

/** The `webhook-signature` value of one request. Ids with dots and non-integer times are refused. */
export function signWebhook(secret: string, messageId: string, timestampSeconds: number, body: string): string {
  messageIdSchema.parse(messageId);
  if (!Number.isSafeInteger(timestampSeconds) || timestampSeconds < 0)
    throw new RangeError(`webhook-timestamp must be whole unix seconds, got ${timestampSeconds}`);
  return signWithKey(secretKey(secret), messageId, timestampSeconds, body);
}

export interface WebhookHeaders {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
}

/** The three Standard Webhooks headers for one attempt (the timestamp is the attempt's, not the notice's). */
export function webhookHeaders(secret: string, messageId: string, atMs: number, body: string): WebhookHeaders {
  const timestamp = Math.floor(atMs / 1000);
  return {
    'webhook-id': messageId,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': signWebhook(secret, messageId, timestamp, body),
  };
}

/** Default tolerance between a request's timestamp and the receiver's clock, as the reference library's. */
export const WEBHOOK_TOLERANCE_SECONDS = 5 * 60;

export type VerifyResult = { ok: true } | { ok: false; reason: string };

/**
 * What a receiver does (for owners who want it in TypeScript, and for the console's docs):
 * the headers present, the timestamp within the tolerance, one of the space-separated `v1`
 * signatures equal in constant time.
 */
export function verifyWebhook(
  secret: string,
  headers: Record<string, string | string[] | undefined>,
  body: string,
  nowMs = Date.now(),
  toleranceSeconds = WEBHOOK_TOLERANCE_SECONDS,
): VerifyResult {
  const one = (name: string) => {
    const v = headers[name];
    return Array.isArray(v) ? v[0] : v;
  };
  const id = one('webhook-id');
  const ts = one('webhook-timestamp');
  const signatures = one('webhook-signature');
  if (!id || !ts || !signatures)
    return { ok: false, reason: 'missing webhook-id, webhook-timestamp or webhook-signature' };
  if (!/^\d{1,12}$/.test(ts)) return { ok: false, reason: 'webhook-timestamp is not unix seconds' };
  const skew = Math.abs(nowMs / 1000 - Number(ts));
  if (skew > toleranceSeconds) return { ok: false, reason: `webhook-timestamp is ${Math.round(skew)} s away from now` };
  const expected = Buffer.from(signWithKey(secretKey(secret), id, Number(ts), body).slice(3), 'base64');
  for (const candidate of signatures.split(' ')) {
    const [version, value] = candidate.split(',', 2);
    if (version !== 'v1' || !value) continue;
    const given = Buffer.from(value, 'base64');
    if (given.length === expected.length && timingSafeEqual(given, expected)) return { ok: true };
  }
  return { ok: false, reason: 'no v1 signature matches' };
}
