import type { Evaluation } from './evaluation.js';
import { isoInstantMs } from './iso-time.js';
import type { ReportedMetric } from './reported-metric.js';
import { calendarDayNumber, type RowBinaryType, type RowBinaryWriter } from './rowbinary.js';
import type { TraceEvent } from './trace-event.js';

/**
 * The one place that maps schemas to ClickHouse rows (objects, and RowBinary for inserts). Instants are sent as
 * unix seconds plus a millisecond column, which every ClickHouse since 18.16 reads the same
 * way, with no DateTime64 and no string parsing settings.
 */
export interface TraceEventRow {
  event_id: string;
  source: string;
  platform_id: string;
  org_id: string;
  actor_id: string;
  actor_role: string;
  action: string;
  occurred_at: number;
  occurred_ms: number;
  recorded_at: number;
  recorded_ms: number;
  task_id: string;
  assigned_at: number | null;
  deadline: number | null;
  value: number | null;
  value_denominator: number | null;
  duration_ms: number | null;
  content_hash: string;
  simhash: string;
  session_hash: string;
  device_hash: string;
  ingested_at: number;
}

/** The columns of trace_events, in table order (001_trace_events.sql). */
export const TRACE_EVENT_COLUMNS: readonly (keyof TraceEventRow)[] = [
  'event_id',
  'source',
  'platform_id',
  'org_id',
  'actor_id',
  'actor_role',
  'action',
  'occurred_at',
  'occurred_ms',
  'recorded_at',
  'recorded_ms',
  'task_id',
  'assigned_at',
  'deadline',
  'value',
  'value_denominator',
  'duration_ms',
  'content_hash',
  'simhash',
  'session_hash',
  'device_hash',
  'ingested_at',
];

export interface EvaluationRow {
  evaluation_id: string;
  name: string;
  kind: string;
  platform_id: string;
  org_id: string;
  start_at: number;
  end_at: number;
  announced_at: number | null;
  ingested_at: number;
}

/** The columns of evaluations, in table order (002_evaluations_and_metrics.sql). */
export const EVALUATION_COLUMNS: readonly (keyof EvaluationRow)[] = [
  'evaluation_id',
  'name',
  'kind',
  'platform_id',
  'org_id',
  'start_at',
  'end_at',
  'announced_at',
  'ingested_at',
];

export interface ReportedMetricRow {
  metric_id: string;
  platform_id: string;
  org_id: string;
  metric: string;
  period_start: string;
  period_end: string;
  value: number;
  reported_at: number;
  ingested_at: number;
}

/** The columns of reported_metrics, in table order (002_evaluations_and_metrics.sql). */
export const REPORTED_METRIC_COLUMNS: readonly (keyof ReportedMetricRow)[] = [
  'metric_id',
  'platform_id',
  'org_id',
  'metric',
  'period_start',
  'period_end',
  'value',
  'reported_at',
  'ingested_at',
];

const seconds = (ms: number) => Math.floor(ms / 1000);
const millis = (ms: number) => ms - seconds(ms) * 1000;
const optSeconds = (iso: string | undefined) => (iso === undefined ? null : seconds(Date.parse(iso)));

export function traceEventToRow(e: TraceEvent, ingestedAtMs: number): TraceEventRow {
  const occurred = Date.parse(e.data.occurredAt);
  const recorded = Date.parse(e.time);
  const d = e.data;
  return {
    event_id: e.id,
    source: e.source,
    platform_id: d.platformId,
    org_id: d.orgId,
    actor_id: d.actorId,
    actor_role: d.actorRole,
    action: d.action,
    occurred_at: seconds(occurred),
    occurred_ms: millis(occurred),
    recorded_at: seconds(recorded),
    recorded_ms: millis(recorded),
    task_id: d.taskId ?? '',
    assigned_at: optSeconds(d.assignedAt),
    deadline: optSeconds(d.deadline),
    value: d.value ?? null,
    value_denominator: d.valueDenominator ?? null,
    duration_ms: d.durationMs ?? null,
    content_hash: d.contentHash ?? '',
    simhash: d.simhash ?? '',
    session_hash: d.sessionHash ?? '',
    device_hash: d.deviceHash ?? '',
    ingested_at: seconds(ingestedAtMs),
  };
}

export function evaluationToRow(e: Evaluation, ingestedAtMs: number): EvaluationRow {
  return {
    evaluation_id: e.id,
    name: e.name,
    kind: e.kind,
    platform_id: e.platformId ?? '',
    org_id: e.orgId ?? '',
    start_at: seconds(Date.parse(e.start)),
    end_at: seconds(Date.parse(e.end)),
    announced_at: optSeconds(e.announcedAt),
    ingested_at: seconds(ingestedAtMs),
  };
}

export function reportedMetricToRow(m: ReportedMetric, ingestedAtMs: number): ReportedMetricRow {
  return {
    metric_id: m.id,
    platform_id: m.platformId,
    org_id: m.orgId,
    metric: m.metric,
    period_start: m.periodStart,
    period_end: m.periodEnd,
    value: m.value,
    reported_at: seconds(Date.parse(m.reportedAt)),
    ingested_at: seconds(ingestedAtMs),
  };
}

/** The column types of trace_events, in table order (001_trace_events.sql; rows.test.ts checks them). */
export const TRACE_EVENT_TYPES: readonly RowBinaryType[] = [
  'String',
  'String',
  'String',
  'String',
  'String',
  'String',
  'String',
  'DateTime',
  'UInt16',
  'DateTime',
  'UInt16',
  'String',
  'Nullable(DateTime)',
  'Nullable(DateTime)',
  'Nullable(Float64)',
  'Nullable(Float64)',
  'Nullable(UInt32)',
  'String',
  'String',
  'String',
  'String',
  'DateTime',
];

/** The column types of evaluations, in table order. */
export const EVALUATION_TYPES: readonly RowBinaryType[] = [
  'String',
  'String',
  'String',
  'String',
  'String',
  'DateTime',
  'DateTime',
  'Nullable(DateTime)',
  'DateTime',
];

/** The column types of reported_metrics, in table order. */
export const REPORTED_METRIC_TYPES: readonly RowBinaryType[] = [
  'String',
  'String',
  'String',
  'String',
  'Date',
  'Date',
  'Float64',
  'DateTime',
  'DateTime',
];

/*
 * Direct RowBinary rows: the same bytes as `toRowBinary([xToRow(v, ms)], X_COLUMNS, X_TYPES)`
 * (rows.test.ts checks that by property test), without the row object and the per-field type
 * dispatch. Ids, hashes, enums, action and metric names are validated to ASCII; only free
 * strings (source, evaluation name) are encoded as UTF-8. Instants use isoInstantMs, which
 * equals Date.parse on every string the schemas accept. A value no column can hold throws
 * UnstorableValueError (the row is then refused, never altered).
 */

function optInstant(w: RowBinaryWriter, iso: string | undefined, what: string): void {
  if (iso === undefined) w.null();
  else {
    w.notNull();
    w.dateTime(seconds(isoInstantMs(iso)), what);
  }
}
function optFloat(w: RowBinaryWriter, x: number | undefined): void {
  if (x === undefined) w.null();
  else {
    w.notNull();
    w.float64(x);
  }
}

export function traceEventRowBinary(w: RowBinaryWriter, e: TraceEvent, ingestedAtMs: number): void {
  const d = e.data;
  const occurred = isoInstantMs(d.occurredAt);
  const recorded = isoInstantMs(e.time);
  const occurredS = seconds(occurred);
  const recordedS = seconds(recorded);
  w.ascii(e.id);
  w.string(e.source);
  w.ascii(d.platformId);
  w.ascii(d.orgId);
  w.ascii(d.actorId);
  w.ascii(d.actorRole);
  w.ascii(d.action);
  w.dateTime(occurredS, 'occurred_at');
  w.uint16(occurred - occurredS * 1000);
  w.dateTime(recordedS, 'recorded_at');
  w.uint16(recorded - recordedS * 1000);
  w.ascii(d.taskId ?? '');
  optInstant(w, d.assignedAt, 'assigned_at');
  optInstant(w, d.deadline, 'deadline');
  optFloat(w, d.value);
  optFloat(w, d.valueDenominator);
  if (d.durationMs === undefined) w.null();
  else {
    w.notNull();
    w.uint32(d.durationMs);
  }
  w.ascii(d.contentHash ?? '');
  w.ascii(d.simhash ?? '');
  w.ascii(d.sessionHash ?? '');
  w.ascii(d.deviceHash ?? '');
  w.dateTime(seconds(ingestedAtMs), 'ingested_at');
}

export function evaluationRowBinary(w: RowBinaryWriter, e: Evaluation, ingestedAtMs: number): void {
  w.ascii(e.id);
  w.string(e.name);
  w.ascii(e.kind);
  w.ascii(e.platformId ?? '');
  w.ascii(e.orgId ?? '');
  w.dateTime(seconds(isoInstantMs(e.start)), 'start_at');
  w.dateTime(seconds(isoInstantMs(e.end)), 'end_at');
  optInstant(w, e.announcedAt, 'announced_at');
  w.dateTime(seconds(ingestedAtMs), 'ingested_at');
}

export function reportedMetricRowBinary(w: RowBinaryWriter, m: ReportedMetric, ingestedAtMs: number): void {
  w.ascii(m.id);
  w.ascii(m.platformId);
  w.ascii(m.orgId);
  w.ascii(m.metric);
  w.date(calendarDayNumber(m.periodStart), `period_start ${m.periodStart}`);
  w.date(calendarDayNumber(m.periodEnd), `period_end ${m.periodEnd}`);
  w.float64(m.value);
  w.dateTime(seconds(isoInstantMs(m.reportedAt)), 'reported_at');
  w.dateTime(seconds(ingestedAtMs), 'ingested_at');
}
