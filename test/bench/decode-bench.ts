/**
 * bench:decode — per-event CPU of turning trace-event messages into TSV rows, in this process
 * (no Kafka, no ClickHouse).
 *
 *   npm run bench:decode [-- --events 200000 --batch 1000]
 *
 * Builds N realistic events (~250 bytes, as bench:ingest sends), packs them into batches as
 * the consumer does (values back to back plus lengths), and times, best of 5:
 *   (a) the old path: decodeTraceEventStrict (zod alone) + traceEventToRow per message, toTsv
 *       per batch;
 *   (b) encodeBatch (fast check, zod only for what it does not accept, direct RowBinary rows);
 * and, for scale, (c) decodeTraceEvent (fast path) + traceEventToRow + toTsv and (d) the
 * floor: JSON.parse of each message. Prints µs/event and events/s; asserts nothing.
 */
import {
  decodeTraceEvent,
  decodeTraceEventStrict,
  encodeBatch,
  TRACE_EVENT_COLUMNS,
  type TraceEventRow,
  toTsv,
  traceEventToRow,
} from '@tracewatch/schema';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const N = arg('events', 200_000);
const BATCH = arg('batch', 1_000);
const ROUNDS = 5;

/** A valid event of about 250 bytes, spread over 200 orgs and 5,000 actors (as bench:ingest). */
function benchEvent(i: number): string {
  const occurred = Date.UTC(2026, 2, 2) + i * 37;
  return JSON.stringify({
    specversion: '1.0',
    id: `bdecode-${i}`,
    source: 'platform/zwfw',
    type: 'gov.trace.v1',
    time: new Date(occurred + 1500).toISOString(),
    data: {
      platformId: 'zwfw',
      orgId: `org-${String(i % 200).padStart(3, '0')}`,
      actorId: `a-${i % 5000}`,
      actorRole: 'staff',
      action: 'form.submit',
      occurredAt: new Date(occurred).toISOString(),
      value: i % 1000,
    },
  });
}

interface Packed {
  data: Uint8Array;
  lengths: Int32Array;
  /** Each message as its own Buffer view, as kafkajs hands them out. */
  messages: Buffer[];
}

function packBatches(): Packed[] {
  const batches: Packed[] = [];
  for (let start = 0; start < N; start += BATCH) {
    const values = [];
    for (let i = start; i < Math.min(N, start + BATCH); i++) values.push(Buffer.from(benchEvent(i)));
    const data = Buffer.concat(values);
    const lengths = Int32Array.from(values, (v) => v.byteLength);
    const messages: Buffer[] = [];
    let at = 0;
    for (const v of values) {
      messages.push(data.subarray(at, at + v.byteLength));
      at += v.byteLength;
    }
    batches.push({ data, lengths, messages });
  }
  return batches;
}

const batches = packBatches();
const bytes = batches.reduce((n, b) => n + b.data.byteLength, 0);
const now = Date.UTC(2026, 2, 2) + N * 37 + 60_000;
const opts = { now };

/** Runs fn over every batch ROUNDS times; the best round's ms, and a checksum so nothing is optimised away. */
function time(fn: (b: Packed) => number): { ms: number; check: number } {
  let best = Number.POSITIVE_INFINITY;
  let check = 0;
  for (let round = 0; round < ROUNDS; round++) {
    const started = performance.now();
    check = 0;
    for (const b of batches) check += fn(b);
    best = Math.min(best, performance.now() - started);
  }
  return { ms: best, check };
}

function rowsPath(decode: typeof decodeTraceEvent) {
  return (b: Packed) => {
    const rows: TraceEventRow[] = [];
    for (const m of b.messages) {
      const d = decode(m, opts);
      if (d.ok) rows.push(traceEventToRow(d.value, now));
    }
    return Buffer.from(toTsv(rows, TRACE_EVENT_COLUMNS)).byteLength; // bytes, as sent to ClickHouse
  };
}

const results: [string, { ms: number; check: number }][] = [
  ['(a) zod decode + toRow + toTsv', time(rowsPath(decodeTraceEventStrict))],
  ['(b) encodeBatch', time((b) => encodeBatch('trace-event', b.data, b.lengths, opts).data.byteLength)],
  ['(c) fast decode + toRow + toTsv', time(rowsPath(decodeTraceEvent))],
  [
    '(d) JSON.parse only (floor)',
    time((b) => {
      let n = 0;
      for (const m of b.messages) n += JSON.parse(m.toString('utf8')) === null ? 0 : 1;
      return n;
    }),
  ],
];

const [a, encoded] = [results[0]![1], results[1]![1]];
if (a.check !== encoded.check) throw new Error(`the paths disagree: ${a.check} vs ${encoded.check} TSV characters`);

console.log(
  `bench:decode — ${N.toLocaleString('en')} events (${Math.round(bytes / N)} bytes avg), batches of ${BATCH}, ` +
    `best of ${ROUNDS}, node ${process.version}`,
);
for (const [name, r] of results) {
  const us = (r.ms * 1000) / N;
  console.log(
    `  ${name.padEnd(34)} ${us.toFixed(3).padStart(7)} µs/event  ${Math.round(N / (r.ms / 1000))
      .toLocaleString('en')
      .padStart(11)} events/s`,
  );
}
console.log(`  speed-up (a)/(b): ${(a.ms / encoded.ms).toFixed(2)}×`);
