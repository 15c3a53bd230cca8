/**
 * What the detector service reads from ClickHouse: the stored trace events (to rebuild its
 * state on start), the evaluation calendar and the reported metrics (the whole of both, at every
 * evaluation: small tables, and every instance then judges with the same calendar).
 *
 * Rows are mapped back to what the detectors read from a file, field for field
 * (packages/schema rows.ts is the other direction). Optional fields stored as '' or NULL are
 * absent again. Two limits of the table, which `tracewatch analyze` on the original file does
 * not have: assignedAt, deadline and evaluation times are stored to the second.
 */
import type { TraceRecord } from '@tracewatch/detectors';
import type { Evaluation, EvaluationRow, ReportedMetric, ReportedMetricRow } from '@tracewatch/schema';
import { type Store, selectRows } from '@tracewatch/store';

const iso = (seconds: number) => new Date(seconds * 1000).toISOString();

const TSV_ESCAPES: Record<string, string> = {
  t: '\t',
  n: '\n',
  r: '\r',
  '0': '\0',
  b: '\b',
  f: '\f',
  '\\': '\\',
  "'": "'",
};

/** One TabSeparated field as ClickHouse escapes it (backslash escapes); ids and hashes rarely have any. */
export function unescapeTsv(field: string): string {
  if (!field.includes('\\')) return field;
  return field.replace(/\\(.)/g, (_, c: string) => TSV_ESCAPES[c] ?? c);
}

/**
 * Columns read for the rebuild, as TabSeparated fields (18.16 has no compact JSON format; TSV
 * is also the cheapest to read): instants as epoch ms / unix seconds, NULL as \N.
 */
const TRACE_COLUMNS_SQL = `event_id, platform_id, org_id, actor_id, actor_role, action,
  toUInt64(occurred_at) * 1000 + occurred_ms, toUInt64(recorded_at) * 1000 + recorded_ms, task_id,
  if(isNull(assigned_at), NULL, toUInt64(assigned_at)), if(isNull(deadline), NULL, toUInt64(deadline)),
  value, value_denominator, duration_ms, content_hash, simhash`;
const TRACE_FIELDS = 16;

const TAB = 9;
const NEWLINE = 10;
const BACKSLASH = 92;

/**
 * Strings that recur across records (platform, org, actor, role, action) shared rather than one
 * copy per record: records the detectors keep hold them. Bounded: cleared when it grows large.
 */
class StringPool {
  private readonly strings = new Map<string, string>();
  share(s: string): string {
    const held = this.strings.get(s);
    if (held !== undefined) return held;
    if (this.strings.size >= 200_000) this.strings.clear();
    this.strings.set(s, s);
    return s;
  }
}

const pool = new StringPool();

/**
 * Whole TabSeparated lines of TRACE_COLUMNS_SQL (a chunk from readStoredChunks) as the records
 * the detectors read, field for field what a file gives `tracewatch analyze`.
 *
 * Parsed from the bytes: every string is decoded on its own (a string split out of a line
 * keeps the whole line alive while a detector holds it: +30 % of the rebuilt state's heap), and
 * no line string is made at all.
 *
 * @throws Error naming the line when a line has not 16 fields or does not end the chunk with a newline.
 */
export function traceChunkToRecords(chunk: Uint8Array): TraceRecord[] {
  const buf = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  const records: TraceRecord[] = [];
  const starts = new Int32Array(TRACE_FIELDS + 1);
  // the next backslash at or after the field being read (escapes and \N are its only uses)
  let backslash = -1;
  const hasBackslash = (start: number, end: number) => {
    if (backslash < start && backslash !== Number.MAX_SAFE_INTEGER) {
      backslash = buf.indexOf(BACKSLASH, start);
      if (backslash < 0) backslash = Number.MAX_SAFE_INTEGER;
    }
    return backslash < end;
  };
  const text = (i: number) => {
    const start = starts[i]!;
    const end = starts[i + 1]! - 1;
    const s = buf.toString('utf8', start, end);
    return hasBackslash(start, end) ? unescapeTsv(s) : s;
  };
  const isNull = (i: number) =>
    starts[i + 1]! - 1 - starts[i]! === 2 && buf[starts[i]!] === BACKSLASH && buf[starts[i]! + 1] === 78; /* N */
  const number = (i: number) => Number(buf.toString('latin1', starts[i]!, starts[i + 1]! - 1));
  const nullableNumber = (i: number) => (isNull(i) ? undefined : number(i));
  const optionalText = (i: number) => (starts[i + 1]! - 1 === starts[i]! ? undefined : text(i));
  for (let pos = 0; pos < buf.length; ) {
    const end = buf.indexOf(NEWLINE, pos);
    if (end < 0) throw new Error(`a trace_events chunk ends inside a line: ${buf.toString('utf8', pos, pos + 200)}`);
    let fields = 0;
    starts[0] = pos;
    for (
      let tab = buf.indexOf(TAB, pos);
      tab >= 0 && tab < end && fields < TRACE_FIELDS;
      tab = buf.indexOf(TAB, tab + 1)
    )
      starts[++fields] = tab + 1;
    if (fields !== TRACE_FIELDS - 1)
      throw new Error(
        `a trace_events row has ${fields + 1} fields, ${TRACE_FIELDS} expected: ${buf.toString('utf8', pos, Math.min(end, pos + 200))}`,
      );
    starts[TRACE_FIELDS] = end + 1;
    const assignedAt = nullableNumber(9);
    const deadline = nullableNumber(10);
    records.push({
      id: text(0),
      platformId: pool.share(text(1)),
      orgId: pool.share(text(2)),
      actorId: pool.share(text(3)),
      actorRole: pool.share(text(4)) as TraceRecord['actorRole'],
      action: pool.share(text(5)),
      occurredAt: number(6),
      recordedAt: number(7),
      taskId: optionalText(8),
      assignedAt: assignedAt === undefined ? undefined : assignedAt * 1000,
      deadline: deadline === undefined ? undefined : deadline * 1000,
      value: nullableNumber(11),
      valueDenominator: nullableNumber(12),
      durationMs: nullableNumber(13),
      contentHash: optionalText(14),
      simhash: optionalText(15),
    });
    pos = end + 1;
  }
  return records;
}

/**
 * Streams every stored trace event as TabSeparated bytes, in chunks of whole lines of about
 * `chunkBytes` (parse them with traceChunkToRecords; a chunk's buffer is its own, so it can be
 * transferred to another thread without a copy). Memory stays bounded by a chunk. Replayed
 * rows are not collapsed here (no FINAL, which costs a merge on read): the engine drops replays
 * by id, as it does for a file.
 *
 * @returns the number of rows read.
 */
export async function readStoredChunks(
  store: Store,
  onChunk: (chunk: Uint8Array<ArrayBuffer>, rows: number) => void | Promise<void>,
  { signal, chunkBytes = 1 << 20 }: { signal?: AbortSignal; chunkBytes?: number } = {},
): Promise<number> {
  const { stream } = await store.client.exec({
    query: `SELECT ${TRACE_COLUMNS_SQL} FROM ${store.database}.trace_events FORMAT TabSeparated`,
    clickhouse_settings: { readonly: '1' } as never,
    abort_signal: signal,
  });
  let held: Buffer[] = [];
  let heldBytes = 0;
  let rows = 0;
  const emit = async (last: boolean) => {
    const all = Buffer.concat(held, heldBytes);
    const end = last ? all.length : all.lastIndexOf(NEWLINE) + 1;
    held = end < all.length ? [Buffer.from(all.subarray(end))] : [];
    heldBytes = all.length - end;
    if (end === 0) return;
    const chunk = new Uint8Array(end);
    chunk.set(all.subarray(0, end));
    let lines = 0;
    for (let i = all.indexOf(NEWLINE); i >= 0 && i < end; i = all.indexOf(NEWLINE, i + 1)) lines++;
    rows += lines;
    await onChunk(chunk, lines);
  };
  for await (const piece of stream as AsyncIterable<Buffer>) {
    held.push(piece);
    heldBytes += piece.length;
    if (heldBytes >= chunkBytes) await emit(false);
  }
  if (heldBytes > 0) await emit(true);
  return rows;
}

type StoredEvaluation = Omit<EvaluationRow, 'ingested_at' | 'kind'> & { kind: Evaluation['kind'] };

/** The evaluation calendar as stored (latest version of each id). */
export async function readEvaluations(store: Store): Promise<Evaluation[]> {
  const rows = await selectRows<StoredEvaluation>(
    store,
    `SELECT evaluation_id, name, kind, platform_id, org_id, toUInt32(start_at) AS start_at, toUInt32(end_at) AS end_at,
       if(isNull(announced_at), NULL, toUInt32(announced_at)) AS announced_at
     FROM ${store.database}.evaluations FINAL ORDER BY evaluation_id`,
  );
  return rows.map((r) => {
    const e: Evaluation = {
      id: r.evaluation_id,
      name: r.name,
      kind: r.kind,
      start: iso(r.start_at),
      end: iso(r.end_at),
    };
    if (r.platform_id !== '') e.platformId = r.platform_id;
    if (r.org_id !== '') e.orgId = r.org_id;
    if (r.announced_at !== null) e.announcedAt = iso(r.announced_at);
    return e;
  });
}

type StoredMetric = Omit<ReportedMetricRow, 'ingested_at'>;

/** Every reported metric as stored (latest version of each). */
export async function readReportedMetrics(store: Store): Promise<ReportedMetric[]> {
  const rows = await selectRows<StoredMetric>(
    store,
    `SELECT metric_id, platform_id, org_id, metric, toString(period_start) AS period_start, toString(period_end) AS period_end,
       value, toUInt32(reported_at) AS reported_at
     FROM ${store.database}.reported_metrics FINAL ORDER BY metric_id`,
  );
  return rows.map((r) => ({
    id: r.metric_id,
    platformId: r.platform_id,
    orgId: r.org_id,
    metric: r.metric,
    periodStart: r.period_start,
    periodEnd: r.period_end,
    value: r.value,
    reportedAt: iso(r.reported_at),
  }));
}
