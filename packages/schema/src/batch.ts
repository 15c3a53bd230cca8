/**
 * A whole batch of messages of one kind to TSV lines in one call: the entry point of the
 * decode worker threads. Each message gets exactly the decision the per-message decoder
 * (decodeTraceEvent, ...) gives it, with the same stage and reason.
 */
import type { z } from 'zod';
import { MAX_MESSAGE_BYTES } from './common.js';
import {
  type Decoded,
  type DecodeOptions,
  type FastCheck,
  futureCheck,
  NULL_MESSAGE,
  parseAndValidate,
  type Rejection,
  sizeRejection,
  utf8Rejection,
} from './decode-core.js';
import { type Evaluation, evaluationSchema } from './evaluation.js';
import { isEvaluationFast, isReportedMetricFast, isTraceEventFast } from './prevalidate.js';
import { type ReportedMetric, reportedMetricSchema } from './reported-metric.js';
import {
  EVALUATION_COLUMNS,
  evaluationTsv,
  REPORTED_METRIC_COLUMNS,
  reportedMetricTsv,
  TRACE_EVENT_COLUMNS,
  traceEventTsv,
} from './rows.js';
import { type TraceEvent, traceEventSchema } from './trace-event.js';

export type RecordKind = 'trace-event' | 'evaluation' | 'reported-metric';

export interface BatchRejection {
  index: number;
  stage: Rejection['stage'];
  reason: string;
}

export interface EncodedBatch {
  /** The accepted rows as TSV lines (UTF-8), in message order; its buffer is its own. */
  tsv: Uint8Array;
  /** Number of lines in tsv. */
  rows: number;
  /** rowIndex[k] is the index of the message that produced line k (its own buffer, exactly `rows` long). */
  rowIndex: Int32Array;
  rejections: BatchRejection[];
}

/** The table columns each kind's TSV lines fill, in order. */
export const COLUMNS_BY_KIND: Record<RecordKind, readonly string[]> = {
  'trace-event': TRACE_EVENT_COLUMNS,
  evaluation: EVALUATION_COLUMNS,
  'reported-metric': REPORTED_METRIC_COLUMNS,
};

interface KindCodec<T> {
  schema: z.ZodType<T>;
  fast: FastCheck<T>;
  /** The clock check decode* applies after the schema, if any. */
  clock: (value: T, now: number) => Rejection | undefined;
  tsv: (value: T, ingestedAtMs: number) => string;
}

const TRACE_EVENT: KindCodec<TraceEvent> = {
  schema: traceEventSchema,
  fast: isTraceEventFast,
  clock: (e, now) => futureCheck('time', e.time, now),
  tsv: traceEventTsv,
};
const EVALUATION: KindCodec<Evaluation> = {
  schema: evaluationSchema,
  fast: isEvaluationFast,
  clock: () => undefined,
  tsv: evaluationTsv,
};
const REPORTED_METRIC: KindCodec<ReportedMetric> = {
  schema: reportedMetricSchema,
  fast: isReportedMetricFast,
  clock: (m, now) => futureCheck('reportedAt', m.reportedAt, now),
  tsv: reportedMetricTsv,
};

/**
 * Decodes and encodes a batch. Messages are packed back to back in `data`; lengths[i] is
 * message i's byte length, -1 for a null value (which takes no bytes). Rows are stamped with
 * opts.now as their ingest time, as the per-message route does. Never throws for any bytes;
 * throws a RangeError only if `lengths` does not describe `data` (a caller bug).
 */
export function encodeBatch(
  kind: RecordKind,
  data: Uint8Array,
  lengths: Int32Array,
  opts: DecodeOptions,
): EncodedBatch {
  checkFraming(data, lengths);
  switch (kind) {
    case 'trace-event':
      return encodeWith(TRACE_EVENT, data, lengths, opts);
    case 'evaluation':
      return encodeWith(EVALUATION, data, lengths, opts);
    case 'reported-metric':
      return encodeWith(REPORTED_METRIC, data, lengths, opts);
    default:
      throw new RangeError(`unknown record kind: ${String(kind)}`);
  }
}

function encodeWith<T>(codec: KindCodec<T>, data: Uint8Array, lengths: Int32Array, opts: DecodeOptions): EncodedBatch {
  const maxBytes = opts.maxBytes ?? MAX_MESSAGE_BYTES;
  // One Buffer view over the whole batch (no copy, also over a SharedArrayBuffer); each
  // message is decoded from its byte range. Buffer rather than TextDecoder: TextDecoder drops
  // a leading BOM, which Buffer (and so decode*) keeps, and JSON.parse then refuses.
  const buf = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const rowIndex = new Int32Array(lengths.length);
  const rejections: BatchRejection[] = [];
  // Lines go straight into bytes: a batch-long string would survive young GCs as a rope and
  // then need one more pass to encode. TSV is about as long as the JSON it comes from.
  let out: Buffer = Buffer.allocUnsafeSlow(Math.max(1024, data.byteLength));
  let used = 0;
  let rows = 0;
  let offset = 0;
  for (let i = 0; i < lengths.length; i++) {
    const size = lengths[i]!;
    const d = size === -1 ? NULL_MESSAGE : decodeRange(codec, buf, offset, size, maxBytes, opts.now);
    if (size > 0) offset += size;
    if (d.ok) {
      const line = codec.tsv(d.value, opts.now);
      if (used + 3 * line.length > out.length) out = grow(out, used, used + 3 * line.length);
      used += out.write(line, used, 'utf8');
      rowIndex[rows++] = i;
    } else {
      rejections.push({ index: i, stage: d.stage, reason: d.reason });
    }
  }
  return { tsv: new Uint8Array(out.buffer, out.byteOffset, used), rows, rowIndex: rowIndex.slice(0, rows), rejections };
}

/** A larger copy of the first `used` bytes (UTF-8 takes at most 3 bytes per UTF-16 unit). */
function grow(out: Buffer, used: number, needed: number): Buffer {
  const bigger = Buffer.allocUnsafeSlow(Math.max(needed, 2 * out.length));
  out.copy(bigger, 0, 0, used);
  return bigger;
}

/** What decode* does with one message's bytes: size limit, JSON, schema, clock. */
function decodeRange<T>(
  codec: KindCodec<T>,
  buf: Buffer,
  start: number,
  size: number,
  maxBytes: number,
  now: number,
): Decoded<T> {
  const refused = sizeRejection(size, maxBytes) ?? utf8Rejection(buf.subarray(start, start + size));
  if (refused) return refused;
  const d = parseAndValidate(codec.schema, codec.fast, buf.toString('utf8', start, start + size));
  if (!d.ok) return d;
  return codec.clock(d.value, now) ?? d;
}

function checkFraming(data: Uint8Array, lengths: Int32Array): void {
  let total = 0;
  for (let i = 0; i < lengths.length; i++) {
    const n = lengths[i]!;
    if (n < -1) throw new RangeError(`lengths[${i}] is ${n}; a length is ≥ 0, or -1 for a null value`);
    if (n > 0) total += n;
  }
  if (total > data.byteLength)
    throw new RangeError(`lengths add up to ${total} bytes but data holds ${data.byteLength}`);
}
