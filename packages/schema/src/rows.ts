import type { Evaluation } from './evaluation.js';
import type { ReportedMetric } from './reported-metric.js';
import type { TraceEvent } from './trace-event.js';

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
