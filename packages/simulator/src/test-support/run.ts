/** Runs a simulation into memory and indexes it the way the tests look at it. */
import type { Evaluation, ReportedMetric, TraceEvent } from '@tracewatch/schema';
import { simulate } from '../simulate.js';
import type { Label, SimulationOptions } from '../types.js';

const DAY_MS = 86_400_000;
const OFFSET_MS = 8 * 3_600_000;

export interface Run {
  events: TraceEvent[];
  evaluations: Evaluation[];
  metrics: ReportedMetric[];
  labels: Label[];
}

export function run(options: SimulationOptions): Run {
  const out: Run = { events: [], evaluations: [], metrics: [], labels: [] };
  for (const r of simulate(options)) {
    if (r.kind === 'event') out.events.push(r.event);
    else if (r.kind === 'evaluation') out.evaluations.push(r.evaluation);
    else if (r.kind === 'metric') out.metrics.push(r.metric);
    else out.labels.push(r.label);
  }
  return out;
}

/** Local (UTC+8) day number of an ISO instant. */
export const localDay = (iso: string): number => Math.floor((Date.parse(iso) + OFFSET_MS) / DAY_MS);

/** Day number of YYYY-MM-DD. */
export const dayNumber = (isoDay: string): number => Date.parse(`${isoDay}T00:00:00Z`) / DAY_MS;

/** Counts per key. */
export function countBy<T>(items: readonly T[], key: (t: T) => number | string): Map<number | string, number> {
  const m = new Map<number | string, number>();
  for (const t of items) {
    const k = key(t);
    m.set(k, (m.get(k) ?? 0) + 1);
  }
  return m;
}

/** Events inside a label's scope whose claimed day lies in the label's period. */
export function eventsOf(r: Run, label: Label): TraceEvent[] {
  const from = dayNumber(label.period.start);
  const to = dayNumber(label.period.end);
  return r.events.filter((e) => {
    const d = e.data;
    if (d.platformId !== label.scope.platformId) return false;
    if (label.scope.orgId !== undefined && d.orgId !== label.scope.orgId) return false;
    if (label.scope.actorId !== undefined && d.actorId !== label.scope.actorId) return false;
    const day = localDay(d.occurredAt);
    return day >= from && day <= to;
  });
}
