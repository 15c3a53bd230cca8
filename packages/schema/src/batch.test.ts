import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { COLUMNS_BY_KIND, type EncodedBatch, encodeBatch, type RecordKind } from './batch.js';
import { MAX_CLOCK_SKEW_MS } from './common.js';
import {
  type Decoded,
  type DecodeOptions,
  decodeEvaluation,
  decodeReportedMetric,
  decodeTraceEvent,
} from './decode.js';
import { toRowBinary, UnstorableValueError } from './rowbinary.js';
import {
  EVALUATION_TYPES,
  evaluationToRow,
  REPORTED_METRIC_TYPES,
  reportedMetricToRow,
  TRACE_EVENT_TYPES,
  traceEventToRow,
} from './rows.js';
import {
  validEvaluationArb,
  validReportedMetricArb,
  validTraceEventArb,
  withField,
  wrongTypeArb,
} from './testing/arbitraries.js';
import { sampleTraceEvent } from './testing/samples.js';

const NOW = Date.parse('2026-03-10T12:00:00Z');
const utf8 = new TextEncoder();

/** Packs messages as a consumer would: values back to back, -1 for null. */
function pack(messages: readonly (Uint8Array | string | null)[], shared = false) {
  const bytes = messages.map((m) => (typeof m === 'string' ? utf8.encode(m) : m));
  const total = bytes.reduce((n, b) => n + (b?.byteLength ?? 0), 0);
  const data = new Uint8Array(shared ? new SharedArrayBuffer(total + 3) : new ArrayBuffer(total + 3), 3, total);
  const lengths = new Int32Array(bytes.length);
  let at = 0;
  bytes.forEach((b, i) => {
    if (b === null) {
      lengths[i] = -1;
    } else {
      data.set(b, at);
      at += b.byteLength;
      lengths[i] = b.byteLength;
    }
  });
  return { data, lengths, bytes };
}

const DECODERS: Record<RecordKind, (b: Uint8Array | null, o: DecodeOptions) => Decoded<never>> = {
  'trace-event': decodeTraceEvent as never,
  evaluation: decodeEvaluation as never,
  'reported-metric': decodeReportedMetric as never,
};
const TO_ROW: Record<RecordKind, (v: never, ms: number) => object> = {
  'trace-event': traceEventToRow,
  evaluation: evaluationToRow,
  'reported-metric': reportedMetricToRow,
};

const TYPES = {
  'trace-event': TRACE_EVENT_TYPES,
  evaluation: EVALUATION_TYPES,
  'reported-metric': REPORTED_METRIC_TYPES,
};

/** What the per-message path makes of the same messages, one row at a time. */
function reference(kind: RecordKind, bytes: readonly (Uint8Array | null)[], opts: DecodeOptions): EncodedBatch {
  const rows: Buffer[] = [];
  const rowIndex: number[] = [];
  const rejections: EncodedBatch['rejections'] = [];
  bytes.forEach((b, index) => {
    const d = DECODERS[kind](b, opts);
    if (!d.ok) {
      rejections.push({ index, stage: d.stage, reason: d.reason });
      return;
    }
    try {
      rows.push(Buffer.from(toRowBinary([TO_ROW[kind](d.value, opts.now)], COLUMNS_BY_KIND[kind], TYPES[kind]).data));
      rowIndex.push(index);
    } catch (err) {
      if (!(err instanceof UnstorableValueError)) throw err;
      rejections.push({ index, stage: 'store', reason: `the store cannot hold this record: ${err.message}` });
    }
  });
  let end = 0;
  return {
    data: new Uint8Array(Buffer.concat(rows)),
    rows: rows.length,
    rowEnds: Int32Array.from(rows, (r) => (end += r.length)),
    rowIndex: Int32Array.from(rowIndex),
    rejections,
  };
}

/** A valid event whose source needs escaping in TSV. */
const event = (id: string, data: Record<string, unknown> = {}) =>
  sampleTraceEvent({ id, source: 'platform/评估\t😀' }, data);

describe('encodeBatch', () => {
  it('encodes the valid messages and says why each other one was refused', () => {
    const big = JSON.stringify({ ...event('e-big'), subject: 'x'.repeat(300) });
    const future = new Date(NOW + MAX_CLOCK_SKEW_MS + 60_000).toISOString();
    const messages = [
      JSON.stringify(event('e-0')),
      '{not json',
      null,
      JSON.stringify(event('e-3', { actorRole: 'admin' })),
      big,
      JSON.stringify(event('e-5', { value: 3.5 })),
      '',
      JSON.stringify({ ...event('e-7', { occurredAt: future }), time: future }),
      `\ufeff${JSON.stringify(event('e-8'))}`, // a BOM: decode* keeps it, so JSON.parse refuses
    ];
    const { data, lengths, bytes } = pack(messages);
    const opts = { now: NOW, maxBytes: 400 };
    const out = encodeBatch('trace-event', data, lengths, opts);

    expect(out.rows).toBe(2);
    expect([...out.rowIndex]).toEqual([0, 5]);
    expect(out.rowIndex.buffer.byteLength).toBe(8); // its own buffer, ready to transfer
    expect(out.rowEnds).toHaveLength(2);
    expect(out.rowEnds[1]).toBe(out.data.byteLength);
    const source = Buffer.from('platform/评估\t😀');
    expect(Buffer.from(out.data.subarray(0, 5 + source.length))).toEqual(
      Buffer.concat([Buffer.from([3]), Buffer.from('e-0'), Buffer.from([source.length]), source]),
    );
    expect(out.rejections.map((r) => [r.index, r.stage])).toEqual([
      [1, 'json'],
      [2, 'json'],
      [3, 'schema'],
      [4, 'size'],
      [6, 'json'],
      [7, 'clock'],
      [8, 'json'],
    ]);
    expect(out.rejections[1]!.reason).toBe('empty message (null value)');
    expect(out.rejections[2]!.reason).toContain('data.actorRole');
    expect(out).toEqual(reference('trace-event', bytes, opts));
  });

  it('reads values out of shared memory, and handles every kind', () => {
    const ev = {
      id: 'ev-1',
      name: '季度考核\n',
      kind: 'assessment',
      start: '2026-03-31T00:00:00+08:00',
      end: '2026-04-02T00:00:00+08:00',
    };
    const m = {
      id: 'm-1',
      platformId: 'zwfw',
      orgId: 'org-1',
      metric: 'cases.handled',
      periodStart: '2026-02-01',
      periodEnd: '2026-02-28',
      value: 412,
      reportedAt: '2026-03-01T09:00:00+08:00',
    };
    const cases: [RecordKind, unknown[]][] = [
      ['trace-event', [event('e-1'), event('e-2', { durationMs: -1 })]],
      ['evaluation', [ev, { ...ev, end: '2026-03-01T00:00:00Z' }]],
      ['reported-metric', [m, { ...m, reportedAt: '2026-04-01T00:00:00Z' }]],
    ];
    for (const [kind, values] of cases) {
      const { data, lengths, bytes } = pack(
        values.map((v) => JSON.stringify(v)),
        true,
      );
      const out = encodeBatch(kind, data, lengths, { now: NOW });
      expect(out.rows).toBe(1);
      expect(out).toEqual(reference(kind, bytes, { now: NOW }));
    }
  });

  it('gives an empty batch for no messages', () => {
    const out = encodeBatch('evaluation', new Uint8Array(0), new Int32Array(0), { now: NOW });
    expect(out).toEqual({
      data: new Uint8Array(0),
      rows: 0,
      rowEnds: new Int32Array(0),
      rowIndex: new Int32Array(0),
      rejections: [],
    });
  });

  it('refuses lengths that do not describe the data (a caller bug), before decoding anything', () => {
    expect(() => encodeBatch('trace-event', new Uint8Array(4), Int32Array.of(3, 2), { now: NOW })).toThrow(RangeError);
    expect(() => encodeBatch('trace-event', new Uint8Array(4), Int32Array.of(-2), { now: NOW })).toThrow(RangeError);
  });

  const messageArb = (valid: fc.Arbitrary<object>, fields: string[]) =>
    fc.oneof(
      { weight: 4, arbitrary: valid.map((v) => JSON.stringify(v)) },
      {
        weight: 2,
        arbitrary: fc
          .tuple(valid, fc.constantFrom(...fields), wrongTypeArb)
          .map(([v, f, x]) => JSON.stringify(withField(v, f, x))),
      },
      { weight: 1, arbitrary: fc.constant(null) },
      { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
      { weight: 1, arbitrary: fc.uint8Array({ maxLength: 60 }) },
      { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify(v) ?? 'null') },
    );

  it.each([
    ['trace-event', validTraceEventArb, ['id', 'time', 'data.occurredAt', 'data.value', 'data.deadline']],
    ['evaluation', validEvaluationArb, ['id', 'name', 'start', 'end']],
    ['reported-metric', validReportedMetricArb, ['metric', 'periodEnd', 'value', 'reportedAt']],
  ] as const)('%s: equals the per-message decoder on any mix of messages', (kind, valid, fields) => {
    fc.assert(
      fc.property(
        fc.array(messageArb(valid, [...fields]), { maxLength: 30 }),
        fc.constantFrom(undefined, 200, 16 * 1024),
        fc.boolean(),
        (messages, maxBytes, shared) => {
          const { data, lengths, bytes } = pack(messages, shared);
          const opts = { now: NOW, maxBytes };
          expect(encodeBatch(kind, data, lengths, opts)).toEqual(reference(kind, bytes, opts));
        },
      ),
      { numRuns: 1_000 },
    );
  });

  it('never throws on arbitrary bytes and framings', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 400 }),
        fc.array(fc.integer({ min: -1, max: 40 }), { maxLength: 20 }),
        fc.constantFrom<RecordKind>('trace-event', 'evaluation', 'reported-metric'),
        (data, sizes, kind) => {
          // cut the random lengths down to what the data holds
          let left = data.byteLength;
          const lengths = Int32Array.from(sizes, (n) => {
            const take = Math.min(n, left);
            left -= Math.max(take, 0);
            return take;
          });
          const out = encodeBatch(kind, data, lengths, { now: NOW });
          expect(out.rows + out.rejections.length).toBe(lengths.length);
        },
      ),
      { numRuns: 5_000 },
    );
  });
});
