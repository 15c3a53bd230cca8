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
import { RowBinaryWriter, UnstorableValueError } from './rowbinary.js';
import {
  EVALUATION_COLUMNS,
  evaluationRowBinary,
  REPORTED_METRIC_COLUMNS,
  reportedMetricRowBinary,
  TRACE_EVENT_COLUMNS,
  traceEventRowBinary,
} from './rows.js';
import { type TraceEvent, traceEventSchema } from './trace-event.js';

export type RecordKind = 'trace-event' | 'evaluation' | 'reported-metric';

export interface BatchRejection {
  index: number;
  /** 'store': valid, but a value no column can hold (e.g. a day before 1970 in a Date column). */
  stage: Rejection['stage'] | 'store';
  reason: string;
}

export interface EncodedBatch {
  /** The accepted rows in RowBinary (see rowbinary.ts), in message order; its buffer is its own. */
  data: Uint8Array;
  /** Number of rows in data. */
  rows: number;
  /** rowEnds[k] is the byte offset in data where row k ends (its own buffer, exactly `rows` long). */
  rowEnds: Int32Array;
  /** rowIndex[k] is the index of the message that produced row k (its own buffer, exactly `rows` long). */
  rowIndex: Int32Array;
  rejections: BatchRejection[];
}

/** The table columns each kind's rows fill, in order. */
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
  encode: (w: RowBinaryWriter, value: T, ingestedAtMs: number) => void;
}

const TRACE_EVENT: KindCodec<TraceEvent> = {
  schema: traceEventSchema,
  fast: isTraceEventFast,
  clock: (e, now) => futureCheck('time', e.time, now),
  encode: traceEventRowBinary,
};
const EVALUATION: KindCodec<Evaluation> = {
  schema: evaluationSchema,
  fast: isEvaluationFast,
  clock: () => undefined,
  encode: evaluationRowBinary,
};
const REPORTED_METRIC: KindCodec<ReportedMetric> = {
  schema: reportedMetricSchema,
  fast: isReportedMetricFast,
  clock: (m, now) => futureCheck('reportedAt', m.reportedAt, now),
  encode: reportedMetricRowBinary,
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
  // Rows go straight into bytes, about as long as the JSON they come from.
  const out = new RowBinaryWriter(data.byteLength, lengths.length);
  let offset = 0;
  for (let i = 0; i < lengths.length; i++) {
    const size = lengths[i]!;
    const d = size === -1 ? NULL_MESSAGE : decodeRange(codec, buf, offset, size, maxBytes, opts.now);
    if (size > 0) offset += size;
    if (!d.ok) {
      rejections.push({ index: i, stage: d.stage, reason: d.reason });
      continue;
    }
    try {
      codec.encode(out, d.value, opts.now);
    } catch (err) {
      if (!(err instanceof UnstorableValueError)) throw err;
      out.discardRow();
      rejections.push({ index: i, stage: 'store', reason: `the store cannot hold this record: ${err.message}` });
      continue;
    }
    rowIndex[out.rows] = i;
    out.endRow();
  }
  const { data: rowData, rowEnds } = out.finish();
  return { data: rowData, rows: rowEnds.length, rowEnds, rowIndex: rowIndex.slice(0, rowEnds.length), rejections };
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
