import type { Evaluation } from './evaluation.js';
import { isoInstantMs } from './iso-time.js';
import type { ReportedMetric } from './reported-metric.js';
import type { TraceEvent } from './trace-event.js';
import { tsvField } from './tsv.js';

/**
 * The one place that maps schemas to ClickHouse rows (JSONEachRow). Instants are sent as
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

/*
 * Direct TSV lines: the same bytes as `toTsv([xToRow(v, ms)], X_COLUMNS)` (rows.test.ts checks
 * that by property test), without the row object and the per-field type dispatch. Only free
 * strings go through tsvField: ids, hashes, enums, action and metric names and calendar days
 * are validated to characters TSV never escapes. Instants use isoInstantMs, which equals
 * Date.parse on every string the schemas accept. The ingest time goes through tsvField so a
 * non-finite one throws the same RangeError as toTsv.
 */

const NULL = '\\N';
const optNumber = (v: number | undefined) => (v === undefined ? NULL : String(v));
const optInstant = (iso: string | undefined) => (iso === undefined ? NULL : String(seconds(isoInstantMs(iso))));

export function traceEventTsv(e: TraceEvent, ingestedAtMs: number): string {
  const d = e.data;
  const occurred = isoInstantMs(d.occurredAt);
  const recorded = isoInstantMs(e.time);
  const occurredS = seconds(occurred);
  const recordedS = seconds(recorded);
  return (
    `${e.id}\t${tsvField(e.source)}\t${d.platformId}\t${d.orgId}\t${d.actorId}\t${d.actorRole}\t${d.action}` +
    `\t${occurredS}\t${occurred - occurredS * 1000}\t${recordedS}\t${recorded - recordedS * 1000}` +
    `\t${d.taskId ?? ''}\t${optInstant(d.assignedAt)}\t${optInstant(d.deadline)}` +
    `\t${optNumber(d.value)}\t${optNumber(d.valueDenominator)}\t${optNumber(d.durationMs)}` +
    `\t${d.contentHash ?? ''}\t${d.simhash ?? ''}\t${d.sessionHash ?? ''}\t${d.deviceHash ?? ''}` +
    `\t${tsvField(seconds(ingestedAtMs))}\n`
  );
}

export function evaluationTsv(e: Evaluation, ingestedAtMs: number): string {
  return (
    `${e.id}\t${tsvField(e.name)}\t${e.kind}\t${e.platformId ?? ''}\t${e.orgId ?? ''}` +
    `\t${seconds(isoInstantMs(e.start))}\t${seconds(isoInstantMs(e.end))}\t${optInstant(e.announcedAt)}` +
    `\t${tsvField(seconds(ingestedAtMs))}\n`
  );
}

export function reportedMetricTsv(m: ReportedMetric, ingestedAtMs: number): string {
  return (
    `${m.id}\t${m.platformId}\t${m.orgId}\t${m.metric}\t${m.periodStart}\t${m.periodEnd}` +
    `\t${m.value}\t${seconds(isoInstantMs(m.reportedAt))}\t${tsvField(seconds(ingestedAtMs))}\n`
  );
}
