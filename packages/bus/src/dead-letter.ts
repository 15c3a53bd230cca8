import { createHash } from 'node:crypto';
import type { IHeaders, KafkaMessage, Message } from 'kafkajs';

/** Headers a dead-lettered message gains; its key and value stay the original bytes. */
export const DLQ_HEADERS = {
  reason: 'tw-dlq-reason',
  stage: 'tw-dlq-stage',
  sourceTopic: 'tw-dlq-source-topic',
  sourcePartition: 'tw-dlq-source-partition',
  sourceOffset: 'tw-dlq-source-offset',
  time: 'tw-dlq-time',
  /** Only on a reduced dead letter (see reducedDeadLetter): why the full record was not sent. */
  reduced: 'tw-dlq-reduced',
  originalBytes: 'tw-dlq-original-bytes',
  originalSha256: 'tw-dlq-original-sha256',
  /** A reduced letter's original headers, as JSON [name, value base64 or null][] (cut at 4 KB). */
  originalHeaders: 'tw-dlq-original-headers',
} as const;

/** What a reduced dead letter keeps of the original value: its first bytes. */
export const REDUCED_VALUE_BYTES = 1024;

export interface DeadLetter {
  topic: string;
  partition: number;
  /** The original message (from kafkajs, or unpacked from a packed batch). */
  message: Pick<KafkaMessage, 'key' | 'value' | 'headers' | 'offset'>;
  stage: string;
  reason: string;
}

type HeaderValue = Buffer | string | null;

/** A header set as an own property, whatever its name (`__proto__` included). */
function defineHeader(headers: IHeaders, name: string, value: IHeaders[string]): void {
  Object.defineProperty(headers, name, { value, writable: true, enumerable: true, configurable: true });
}

/** Every (name, value) pair of a header set, values of a repeated name in their order. */
export function headerPairs(headers: IHeaders | undefined): Array<[string, HeaderValue]> {
  const pairs: Array<[string, HeaderValue]> = [];
  if (!headers) return pairs;
  for (const name of Object.keys(headers)) {
    const v = headers[name] as HeaderValue | HeaderValue[] | undefined;
    if (v === undefined) continue;
    for (const one of Array.isArray(v) ? v : [v]) pairs.push([name, one]);
  }
  return pairs;
}

/**
 * A header set rebuilt from pairs: own properties only (a name like `constructor` or
 * `__proto__` is a header like any other), a repeated name as an array in pair order.
 */
export function headersFromPairs(pairs: ReadonlyArray<readonly [string, HeaderValue]>): IHeaders {
  const headers: IHeaders = {};
  for (const [name, value] of pairs) {
    const v = value as Buffer | string; // kafkajs's types omit null, its encoder takes it
    if (!Object.hasOwn(headers, name)) defineHeader(headers, name, v);
    else {
      const had = headers[name]!;
      headers[name] = Array.isArray(had) ? [...had, v] : [had, v];
    }
  }
  return headers;
}

/**
 * Builds the DLQ record: original key, value and headers, plus why, where and when. The DLQ
 * headers come after the original ones (a producer may have set a header of the same name:
 * it is kept, and readers take the last value).
 */
export function deadLetterMessage(d: DeadLetter, nowMs: number): Message {
  const pairs = headerPairs(d.message.headers);
  pairs.push(
    [DLQ_HEADERS.reason, d.reason.slice(0, 2000)],
    [DLQ_HEADERS.stage, d.stage],
    [DLQ_HEADERS.sourceTopic, d.topic],
    [DLQ_HEADERS.sourcePartition, String(d.partition)],
    [DLQ_HEADERS.sourceOffset, d.message.offset],
    [DLQ_HEADERS.time, new Date(nowMs).toISOString()],
  );
  return { key: d.message.key, value: d.message.value, headers: headersFromPairs(pairs) };
}

const bytesOf = (v: Buffer | string | null | undefined): number =>
  v === null || v === undefined ? 0 : typeof v === 'string' ? Buffer.byteLength(v) : v.length;

/** A record's size as the broker counts it, to within a few bytes of framing. */
export function recordBytes(m: Message): number {
  let size = 32 + bytesOf(m.key as Buffer | string | null) + bytesOf(m.value);
  for (const [name, value] of headerPairs(m.headers)) size += 10 + Buffer.byteLength(name) + bytesOf(value);
  return size;
}

/**
 * Why kafkajs could never send this record as it is, or undefined. (kafkajs counts an
 * encoding error as retriable and retries it forever: it must be caught before the send.)
 */
export function unencodableReason(m: Message): string | undefined {
  const isBytes = (v: unknown) => v === null || v === undefined || typeof v === 'string' || Buffer.isBuffer(v);
  if (!isBytes(m.key)) return 'the key is neither bytes nor a string';
  if (!isBytes(m.value)) return 'the value is neither bytes nor a string';
  if (m.headers === undefined) return undefined;
  for (const name of Object.keys(m.headers)) {
    const v = m.headers[name];
    if (!(Array.isArray(v) ? v.every(isBytes) : isBytes(v))) return `header ${JSON.stringify(name)} is not bytes`;
  }
  return undefined;
}

/**
 * The bounded form of a dead letter that cannot be sent whole: the DLQ headers (the last of
 * each), the original value's size, SHA-256 and first KB, its key when small, and its original
 * headers described in one header (cut at 4 KB). Whatever the original held, this fits.
 */
export function reducedDeadLetter(m: Message, why: string): Message {
  const value = toBuffer(m.value);
  const dlqNames = new Set<string>(Object.values(DLQ_HEADERS));
  const original: Array<[string, string | null]> = [];
  const kept: Array<[string, HeaderValue]> = [];
  for (const [name, v] of headerPairs(m.headers)) {
    if (dlqNames.has(name)) kept.push([name, v]);
    else original.push([name, v === null ? null : toBuffer(v).toString('base64')]);
  }
  const last = new Map(kept); // the last value of each DLQ header
  const key = toBuffer(m.key as Buffer | string | null);
  const pairs: Array<[string, HeaderValue]> = [...last];
  pairs.push(
    [DLQ_HEADERS.reduced, why.slice(0, 1000)],
    [DLQ_HEADERS.originalBytes, String(value.length)],
    [DLQ_HEADERS.originalSha256, createHash('sha256').update(value).digest('hex')],
    [DLQ_HEADERS.originalHeaders, JSON.stringify(original).slice(0, 4096)],
  );
  return {
    key: key.length <= REDUCED_VALUE_BYTES && m.key !== null ? key : null,
    value: m.value === null ? null : value.subarray(0, REDUCED_VALUE_BYTES),
    headers: headersFromPairs(pairs),
  };
}

function toBuffer(v: Buffer | string | null | undefined): Buffer {
  if (v === null || v === undefined) return Buffer.alloc(0);
  return Buffer.isBuffer(v) ? v : Buffer.from(String(v));
}

/** Reads the DLQ headers back (for tests, tools and the console); the last value of each. */
export function readDeadLetterHeaders(message: KafkaMessage): Record<keyof typeof DLQ_HEADERS, string | undefined> {
  const h = message.headers ?? {};
  const get = (k: string) => {
    if (!Object.hasOwn(h, k)) return undefined;
    const v = h[k];
    if (v === undefined) return undefined;
    return (Array.isArray(v) ? v[v.length - 1] : v)?.toString();
  };
  const out = {} as Record<keyof typeof DLQ_HEADERS, string | undefined>;
  for (const [field, name] of Object.entries(DLQ_HEADERS)) out[field as keyof typeof DLQ_HEADERS] = get(name);
  return out;
}
