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
const optional = (s: string) => (s === '' ? undefined : s);
const optionalMs = (seconds: number | null) => (seconds === null ? undefined : seconds * 1000);
const optionalNumber = (x: number | null) => (x === null ? undefined : x);

/**
 * Columns in the order of TRACE_COLUMNS_SQL, as TabSeparated fields (18.16 has no compact JSON
 * format; TSV is also the cheapest to read): instants as epoch ms / unix seconds, NULL as \N.
 */
type TraceRow = string[];

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

const nullable = (field: string) => (field === '\\N' ? null : Number(field));

const TRACE_COLUMNS_SQL = `event_id, platform_id, org_id, actor_id, actor_role, action,
  toUInt64(occurred_at) * 1000 + occurred_ms, toUInt64(recorded_at) * 1000 + recorded_ms, task_id,
  if(isNull(assigned_at), NULL, toUInt64(assigned_at)), if(isNull(deadline), NULL, toUInt64(deadline)),
  value, value_denominator, duration_ms, content_hash, simhash`;

/** One TabSeparated line of TRACE_COLUMNS_SQL as the record the detectors read. */
export function traceLineToRecord(line: string): TraceRecord {
  const r: TraceRow = line.split('\t');
  if (r.length !== 16) throw new Error(`a trace_events row has ${r.length} fields, 16 expected: ${line.slice(0, 200)}`);
  return {
    id: unescapeTsv(r[0]!),
    platformId: unescapeTsv(r[1]!),
    orgId: unescapeTsv(r[2]!),
    actorId: unescapeTsv(r[3]!),
    actorRole: r[4] as TraceRecord['actorRole'],
    action: unescapeTsv(r[5]!),
    occurredAt: Number(r[6]),
    recordedAt: Number(r[7]),
    taskId: optional(unescapeTsv(r[8]!)),
    assignedAt: optionalMs(nullable(r[9]!)),
    deadline: optionalMs(nullable(r[10]!)),
    value: optionalNumber(nullable(r[11]!)),
    valueDenominator: optionalNumber(nullable(r[12]!)),
    durationMs: optionalNumber(nullable(r[13]!)),
    contentHash: optional(unescapeTsv(r[14]!)),
    simhash: optional(unescapeTsv(r[15]!)),
  };
}

/**
 * Streams every stored trace event as a TabSeparated line (parse it with traceLineToRecord;
 * lines are cheap to hand to another thread), in chunks, so memory stays bounded by one
 * response chunk. Replayed rows are not collapsed here (no FINAL, which costs a merge on read):
 * the engine drops replays by id, as it does for a file.
 *
 * @returns the number of rows read.
 */
export async function readStoredLines(
  store: Store,
  onBatch: (lines: string[]) => void | Promise<void>,
  signal?: AbortSignal,
): Promise<number> {
  const rs = await store.client.query({
    query: `SELECT ${TRACE_COLUMNS_SQL} FROM ${store.database}.trace_events`,
    format: 'TabSeparated',
    clickhouse_settings: { readonly: '1' } as never,
    abort_signal: signal,
  });
  let rows = 0;
  for await (const chunk of rs.stream()) {
    const lines = (chunk as Array<{ text: string }>).map((row) => row.text);
    rows += lines.length;
    await onBatch(lines);
  }
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
