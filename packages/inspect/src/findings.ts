/**
 * Suspicious periods of an org or a platform: the findings stored by packages/alerts whose
 * periods meet the range, grouped into periods where they overlap or touch. Read from the
 * alerts table (the alerts library's rows and parser; no second copy of the alert shape).
 */
import { platformFilter, type Scope } from '@tracewatch/access';
import { ALERT_TABLES, alertFromRow } from '@tracewatch/alerts';
import { ALERT_STATES, type Alert, localizedSchema, SEVERITIES } from '@tracewatch/schema';
import { type Store, selectRows, sqlNumber, sqlString, sqlStringList } from '@tracewatch/store';
import { z } from 'zod';
import { type DayRange, dayNumber, type Target } from './range.js';
import { testName } from './tests.js';

/** At most this many findings per answer; more sets `truncated` (narrow the range). */
export const MAX_FINDINGS = 2000;
/** What counts as suspicious by default: not dismissed by an operator, not withdrawn by the system. */
export const SUSPICIOUS_STATES = ['open', 'acknowledged', 'confirmed', 'resolved'] as const;
/** Reads of ReplacingMergeTree with FINAL: no condition may move before the merge (18.16). */
export const FINAL_SETTINGS = { optimize_move_to_prewhere: 0 };

export const findingOutSchema = z.object({
  fingerprint: z.string(),
  state: z.enum(ALERT_STATES),
  severity: z.enum(SEVERITIES),
  detector: z.string(),
  rule: z.string(),
  test: localizedSchema.describe("the detector's test, named for a reader"),
  scope: z.object({
    kind: z.enum(['platform', 'org', 'actor']),
    platformId: z.string(),
    orgId: z.string().nullable(),
    actorId: z.string().nullable(),
  }),
  period: z.object({ start: z.string(), end: z.string() }),
  statistics: z.record(z.string(), z.number()),
  pValue: z.number().nullable(),
  qValue: z.number().nullable(),
  score: z.number(),
  explanation: localizedSchema,
  evidence: z
    .record(z.string(), z.unknown())
    .describe('the numbers and series behind the test, as the detector gave them'),
  corroboratedBy: z.array(z.string()),
  firstSeenAt: z.string(),
  lastSeenAt: z.string(),
  version: z.number(),
});
export type FindingOut = z.infer<typeof findingOutSchema>;

export const suspiciousPeriodSchema = z.object({
  start: z.string().describe('first day (inclusive)'),
  end: z.string().describe('last day (inclusive)'),
  severity: z.enum(SEVERITIES).describe('the highest severity of its findings'),
  detectors: z.array(z.string()),
  findings: z.array(findingOutSchema),
});
export type SuspiciousPeriod = z.infer<typeof suspiciousPeriodSchema>;

export const findingStateFilter = z
  .enum(ALERT_STATES)
  .optional()
  .describe(`only findings in this state (default: ${SUSPICIOUS_STATES.join(', ')})`);

export function toFindingOut(alert: Alert): FindingOut {
  const f = alert.finding;
  return {
    fingerprint: alert.fingerprint,
    state: alert.state,
    severity: f.severity,
    detector: f.detector,
    rule: f.rule,
    test: testName(f.detector),
    scope: {
      kind: f.scope.kind,
      platformId: f.scope.platformId,
      orgId: f.scope.orgId ?? null,
      actorId: f.scope.actorId ?? null,
    },
    period: f.period,
    statistics: f.statistics,
    pValue: f.pValue,
    qValue: f.qValue,
    score: f.score,
    explanation: f.explanation,
    evidence: f.evidence,
    corroboratedBy: f.corroboratedBy,
    firstSeenAt: alert.firstSeenAt,
    lastSeenAt: alert.lastSeenAt,
    version: alert.version,
  };
}

/** Findings of the target whose period meets the range's days, in the scope. */
export function findingsSql(
  database: string,
  scope: Scope,
  target: Target,
  range: Pick<DayRange, 'from' | 'to'>,
  state?: Alert['state'],
): string {
  const where = [
    platformFilter(scope, 'platform_id'),
    `period_end >= toDate(${sqlString(range.from)})`,
    `period_start < toDate(${sqlString(range.to)})`,
    `state IN ${sqlStringList(state ? [state] : [...SUSPICIOUS_STATES])}`,
  ];
  if (target.platformId !== undefined) where.push(`platform_id = ${sqlString(target.platformId)}`);
  if (target.orgId !== undefined) where.push(`org_id = ${sqlString(target.orgId)}`);
  return `SELECT alert FROM ${database}.${ALERT_TABLES.alerts} FINAL WHERE ${where.join(' AND ')}
ORDER BY period_start, period_end, fingerprint LIMIT ${sqlNumber(MAX_FINDINGS + 1)}`;
}

const severityRank = (s: FindingOut['severity']) => SEVERITIES.indexOf(s);

/**
 * Findings grouped into periods: a finding joins the current period when it starts on or
 * before the day after the period's last day (overlapping or back to back: one stretch).
 * Within a period, the strongest first (severity, then q / p, then score).
 */
export function mergePeriods(findings: readonly FindingOut[]): SuspiciousPeriod[] {
  const sorted = [...findings].sort(
    (a, b) => a.period.start.localeCompare(b.period.start) || a.period.end.localeCompare(b.period.end),
  );
  const periods: SuspiciousPeriod[] = [];
  for (const f of sorted) {
    const last = periods[periods.length - 1];
    if (last && dayNumber(f.period.start) <= dayNumber(last.end) + 1) {
      if (f.period.end > last.end) last.end = f.period.end;
      last.findings.push(f);
    } else
      periods.push({ start: f.period.start, end: f.period.end, severity: f.severity, detectors: [], findings: [f] });
  }
  const strength = (f: FindingOut) => f.qValue ?? f.pValue ?? 1;
  for (const p of periods) {
    p.findings.sort(
      (a, b) => severityRank(b.severity) - severityRank(a.severity) || strength(a) - strength(b) || b.score - a.score,
    );
    p.severity = p.findings.some((f) => f.severity === 'critical') ? 'critical' : 'warning';
    p.detectors = [...new Set(p.findings.map((f) => f.detector))].sort();
  }
  return periods;
}

export interface PeriodsAnswer {
  periods: SuspiciousPeriod[];
  findings: number;
  truncated: boolean;
}

export async function suspiciousPeriods(
  store: Store,
  scope: Scope,
  target: Target,
  range: Pick<DayRange, 'from' | 'to'>,
  state?: Alert['state'],
): Promise<PeriodsAnswer> {
  const rows = await selectRows<{ alert: string }>(
    store,
    findingsSql(store.database, scope, target, range, state),
    FINAL_SETTINGS,
  );
  const truncated = rows.length > MAX_FINDINGS;
  const findings = rows.slice(0, MAX_FINDINGS).map((r) => toFindingOut(alertFromRow(r)));
  return { periods: mergePeriods(findings), findings: findings.length, truncated };
}

/** One finding by fingerprint, if it lies in the scope (outside it: as if it did not exist). */
export async function findingInScope(store: Store, scope: Scope, fingerprint: string): Promise<FindingOut | undefined> {
  const rows = await selectRows<{ alert: string }>(
    store,
    `SELECT alert FROM ${store.database}.${ALERT_TABLES.alerts} FINAL
WHERE fingerprint = ${sqlString(fingerprint)} AND ${platformFilter(scope, 'platform_id')}`,
    FINAL_SETTINGS,
  );
  return rows[0] && toFindingOut(alertFromRow(rows[0]));
}

export const FINDINGS_CSV_HEADER = [
  'period_start',
  'period_end',
  'fingerprint',
  'state',
  'severity',
  'detector',
  'rule',
  'platform_id',
  'org_id',
  'actor_id',
  'finding_start',
  'finding_end',
  'p_value',
  'q_value',
  'score',
  'statistics',
  'explanation_zh',
  'explanation_en',
] as const;

/** One line per finding, with the period it falls in; statistics as name=value pairs. */
export function findingsCsvRows(periods: readonly SuspiciousPeriod[]): Array<Array<string | number | null>> {
  return periods.flatMap((p) =>
    p.findings.map((f) => [
      p.start,
      p.end,
      f.fingerprint,
      f.state,
      f.severity,
      f.detector,
      f.rule,
      f.scope.platformId,
      f.scope.orgId,
      f.scope.actorId,
      f.period.start,
      f.period.end,
      f.pValue,
      f.qValue,
      f.score,
      Object.entries(f.statistics)
        .map(([k, v]) => `${k}=${v}`)
        .join(' '),
      f.explanation['zh-CN'],
      f.explanation.en,
    ]),
  );
}
