import type { z } from 'zod';
import { MAX_MESSAGE_BYTES } from './common.js';
import {
  type Decoded,
  type DecodeOptions,
  type FastCheck,
  futureCheck,
  NULL_MESSAGE,
  parseAndValidate,
  sizeRejection,
  textRejection,
  utf8Rejection,
} from './decode-core.js';
import { type Evaluation, evaluationSchema } from './evaluation.js';
import { isEvaluationFast, isReportedMetricFast, isTraceEventFast } from './prevalidate.js';
import { type ReportedMetric, reportedMetricSchema } from './reported-metric.js';
import { type TraceEvent, traceEventSchema } from './trace-event.js';

export type { Decoded, DecodeOptions, Rejection } from './decode-core.js';

function decodeWith<T>(
  schema: z.ZodType<T>,
  fast: FastCheck<T> | undefined,
  bytes: Uint8Array | string | null,
  opts: DecodeOptions,
): Decoded<T> {
  if (bytes === null) return { ...NULL_MESSAGE };
  const size = typeof bytes === 'string' ? Buffer.byteLength(bytes) : bytes.byteLength;
  const tooBig = sizeRejection(size, opts.maxBytes ?? MAX_MESSAGE_BYTES);
  if (tooBig) return tooBig;
  if (typeof bytes === 'string') return textRejection(bytes) ?? parseAndValidate(schema, fast, bytes);
  const view = Buffer.from(bytes.buffer, bytes.byteOffset, size);
  return utf8Rejection(view) ?? parseAndValidate(schema, fast, view.toString('utf8'));
}

/** Decodes and validates one trace event message. Never throws. */
export function decodeTraceEvent(bytes: Uint8Array | string | null, opts: DecodeOptions): Decoded<TraceEvent> {
  const d = decodeWith(traceEventSchema, isTraceEventFast, bytes, opts);
  if (!d.ok) return d;
  return futureCheck('time', d.value.time, opts.now) ?? d;
}

export function decodeEvaluation(bytes: Uint8Array | string | null, opts: DecodeOptions): Decoded<Evaluation> {
  return decodeWith(evaluationSchema, isEvaluationFast, bytes, opts);
}

export function decodeReportedMetric(bytes: Uint8Array | string | null, opts: DecodeOptions): Decoded<ReportedMetric> {
  const d = decodeWith(reportedMetricSchema, isReportedMetricFast, bytes, opts);
  if (!d.ok) return d;
  return futureCheck('reportedAt', d.value.reportedAt, opts.now) ?? d;
}

/*
 * The same decoders with zod alone, no fast path: the reference the fast path is tested
 * against, and the baseline of bench:decode. Same decisions, slower.
 */

export function decodeTraceEventStrict(bytes: Uint8Array | string | null, opts: DecodeOptions): Decoded<TraceEvent> {
  const d = decodeWith(traceEventSchema, undefined, bytes, opts);
  if (!d.ok) return d;
  return futureCheck('time', d.value.time, opts.now) ?? d;
}

export function decodeEvaluationStrict(bytes: Uint8Array | string | null, opts: DecodeOptions): Decoded<Evaluation> {
  return decodeWith(evaluationSchema, undefined, bytes, opts);
}

export function decodeReportedMetricStrict(
  bytes: Uint8Array | string | null,
  opts: DecodeOptions,
): Decoded<ReportedMetric> {
  const d = decodeWith(reportedMetricSchema, undefined, bytes, opts);
  if (!d.ok) return d;
  return futureCheck('reportedAt', d.value.reportedAt, opts.now) ?? d;
}
