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
import type { Evaluation, ReportedMetric } from '@tracewatch/schema';
import { type Store, selectRows } from '@tracewatch/store';

const iso = (seconds: number) => new Date(seconds * 1000).toISOString();
const optional = (s: string) => (s === '' ? undefined : s);
const optionalMs = (seconds: number | null) => (seconds === null ? undefined : seconds * 1000);
const optionalNumber = (x: number | null) => (x === null ? undefined : x);

/** Columns in the order of TRACE_COLUMNS_SQL; instants as unix seconds (18.16 and current alike). */
type TraceRow = [
  string, // event_id
  string, // platform_id
  string, // org_id
  string, // actor_id
  string, // actor_role
  string, // action
  number, // occurred, epoch ms
  number, // recorded, epoch ms
  string, // task_id
  number | null, // assigned_at, s
  number | null, // deadline, s
  number | null, // value
  number | null, // value_denominator
  number | null, // duration_ms
  string, // content_hash
  string, // simhash
];

const TRACE_COLUMNS_SQL = `event_id, platform_id, org_id, actor_id, actor_role, action,
  toUInt64(occurred_at) * 1000 + occurred_ms, toUInt64(recorded_at) * 1000 + recorded_ms, task_id,
  if(isNull(assigned_at), NULL, toUInt64(assigned_at)), if(isNull(deadline), NULL, toUInt64(deadline)),
  value, value_denominator, duration_ms, content_hash, simhash`;

export function traceRowToRecord(r: TraceRow): TraceRecord {
  return {
    id: r[0],
    platformId: r[1],
    orgId: r[2],
    actorId: r[3],
    actorRole: r[4] as TraceRecord['actorRole'],
    action: r[5],
    occurredAt: Number(r[6]),
    recordedAt: Number(r[7]),
    taskId: optional(r[8]),
    assignedAt: optionalMs(r[9] === null ? null : Number(r[9])),
    deadline: optionalMs(r[10] === null ? null : Number(r[10])),
    value: optionalNumber(r[11]),
    valueDenominator: optionalNumber(r[12]),
    durationMs: optionalNumber(r[13]),
    contentHash: optional(r[14]),
    simhash: optional(r[15]),
  };
}

/**
 * Streams every stored trace event as a record, in batches (memory stays bounded by one
 * response chunk). Replayed rows are not collapsed here (no FINAL, which costs a merge on read):
 * the engine drops replays by id, as it does for a file.
 *
 * @returns the number of rows read.
 */
export async function readStoredRecords(
  store: Store,
  onBatch: (records: TraceRecord[]) => void,
  signal?: AbortSignal,
): Promise<number> {
  const rs = await store.client.query({
    query: `SELECT ${TRACE_COLUMNS_SQL} FROM ${store.database}.trace_events`,
    format: 'JSONCompactEachRow',
    clickhouse_settings: { readonly: '1', output_format_json_quote_64bit_integers: 0 } as never,
    abort_signal: signal,
  });
  let rows = 0;
  for await (const chunk of rs.stream()) {
    const records = (chunk as Array<{ json<T>(): T }>).map((row) => traceRowToRecord(row.json<TraceRow>()));
    rows += records.length;
    onBatch(records);
  }
  return rows;
}

interface EvaluationRow {
  evaluation_id: string;
  name: string;
  kind: Evaluation['kind'];
  platform_id: string;
  org_id: string;
  start_at: number;
  end_at: number;
  announced_at: number | null;
}

/** The evaluation calendar as stored (latest version of each id). */
export async function readEvaluations(store: Store): Promise<Evaluation[]> {
  const rows = await selectRows<EvaluationRow>(
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

interface MetricRow {
  metric_id: string;
  platform_id: string;
  org_id: string;
  metric: string;
  period_start: string;
  period_end: string;
  value: number;
  reported_at: number;
}

/** Every reported metric as stored (latest version of each). */
export async function readReportedMetrics(store: Store): Promise<ReportedMetric[]> {
  const rows = await selectRows<MetricRow>(
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
