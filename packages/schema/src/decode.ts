import type { z } from 'zod';
import { MAX_CLOCK_SKEW_MS, MAX_MESSAGE_BYTES } from './common.js';
import { type Evaluation, evaluationSchema } from './evaluation.js';
import { type ReportedMetric, reportedMetricSchema } from './reported-metric.js';
import { type TraceEvent, traceEventSchema } from './trace-event.js';

/** Why a message was refused; `stage` says which check refused it. */
export interface Rejection {
  ok: false;
  stage: 'size' | 'json' | 'schema' | 'clock';
  reason: string;
}
export type Decoded<T> = { ok: true; value: T } | Rejection;

export interface DecodeOptions {
  /** The receiver's clock, in ms; claimed times beyond it plus the skew are refused. */
  now: number;
  maxBytes?: number;
}

function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((i) => `${i.path.length > 0 ? i.path.join('.') : '(root)'}: ${i.message}`)
    .join('; ');
}

function decodeWith<T>(schema: z.ZodType<T>, bytes: Uint8Array | string | null, opts: DecodeOptions): Decoded<T> {
  if (bytes === null) return { ok: false, stage: 'json', reason: 'empty message (null value)' };
  const size = typeof bytes === 'string' ? Buffer.byteLength(bytes) : bytes.byteLength;
  const maxBytes = opts.maxBytes ?? MAX_MESSAGE_BYTES;
  if (size > maxBytes)
    return { ok: false, stage: 'size', reason: `message is ${size} bytes, the limit is ${maxBytes}` };
  let json: unknown;
  try {
    json = JSON.parse(
      typeof bytes === 'string' ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, size).toString('utf8'),
    );
  } catch (err) {
    return { ok: false, stage: 'json', reason: `not JSON: ${(err as Error).message}` };
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) return { ok: false, stage: 'schema', reason: describeIssues(parsed.error) };
  return { ok: true, value: parsed.data };
}

function futureCheck(label: string, iso: string, now: number): Rejection | undefined {
  if (Date.parse(iso) > now + MAX_CLOCK_SKEW_MS) {
    return {
      ok: false,
      stage: 'clock',
      reason: `${label} ${iso} is in the future (receiver clock ${new Date(now).toISOString()})`,
    };
  }
  return undefined;
}

/** Decodes and validates one trace event message. Never throws. */
export function decodeTraceEvent(bytes: Uint8Array | string | null, opts: DecodeOptions): Decoded<TraceEvent> {
  const d = decodeWith(traceEventSchema, bytes, opts);
  if (!d.ok) return d;
  return futureCheck('time', d.value.time, opts.now) ?? d;
}

export function decodeEvaluation(bytes: Uint8Array | string | null, opts: DecodeOptions): Decoded<Evaluation> {
  return decodeWith(evaluationSchema, bytes, opts);
}

export function decodeReportedMetric(bytes: Uint8Array | string | null, opts: DecodeOptions): Decoded<ReportedMetric> {
  const d = decodeWith(reportedMetricSchema, bytes, opts);
  if (!d.ok) return d;
  return futureCheck('reportedAt', d.value.reportedAt, opts.now) ?? d;
}
