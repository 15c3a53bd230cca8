/**
 * metric inflation — a KPI a unit reported that is larger than its own traces support.
 *
 * Test (per reported metric: org, metric, period): R = the reported value (ctx.metrics; when
 * one org reported the same metric and period more than once, the latest report counts),
 * C = the number of traces of the mapped actions by that org with occurredAt inside the period
 * (local days, both ends inclusive). Mapping (option metricActions), by default:
 *   cases.handled → case.close, visits.recorded → visit.record, forms.filed → form.submit
 * (one trace per unit of the metric; deployments name their own). Score rule 'metric:<name>':
 * finding when R > 1.2·C and R − C > 2·√C + 5 (DETECTION.md) — 20 % slack for work recorded
 * elsewhere, and an excess beyond Poisson noise (2 standard deviations of a count C) plus 5 so
 * tiny counts cannot fire. The Poisson tail P(X ≥ R | λ = C) is reported as a statistic
 * (poissonP) for reference; it is not the finding's p-value, since traces are not a random
 * sample of the work.
 * Judged only when the period has ended and lies inside the span of days for which this
 * detector holds the platform's traces (a period the data do not cover would read as C = 0).
 * Metrics without a mapping are not tested.
 *
 * Memory: per org, mapped action and local day one count of traces (exact: the engine drops
 * replays, so every record is a distinct trace). Days older than 400 (option retentionDays)
 * before the latest day seen are dropped (a period reaching back past them is then not
 * covered, so not judged).
 */
import type { ReportedMetric } from '@tracewatch/schema';
import { pruneDays, RetentionWindow } from '../retention.js';
import { poissonSf } from '../stats/index.js';
import { DEFAULT_UTC_OFFSET_MINUTES, isoToDayNumber, localDayNumber } from '../time.js';
import type { Detector, EvaluateContext, Scope, TestOutcome, TraceRecord } from '../types.js';
import { num, prob } from './support/format.js';
import { latestReports } from './support/latest-reports.js';
import { endedElsePending } from './support/periods.js';

export interface MetricInflationOptions {
  /** Metric name → the actions whose traces count one unit of it. */
  metricActions: Record<string, readonly string[]>;
  /** Finding needs R > ratio · C … */
  minRatio: number;
  /** … and R − C > sigmas·√C + margin. */
  sigmas: number;
  margin: number;
  /**
   * Days of history kept before the latest day seen; older records are dropped, which bounds
   * memory over time (400: a year of months plus their baselines, as in the other detectors).
   */
  retentionDays: number;
  /** Local time as minutes east of UTC (480: Asia/Shanghai, UTC+8 without daylight saving since 1991). */
  utcOffsetMinutes: number;
}

export const DEFAULT_METRIC_INFLATION_OPTIONS: MetricInflationOptions = {
  metricActions: {
    'cases.handled': ['case.close'],
    'visits.recorded': ['visit.record'],
    'forms.filed': ['form.submit'],
  },
  minRatio: 1.2,
  sigmas: 2,
  margin: 5,
  retentionDays: 400,
  utcOffsetMinutes: DEFAULT_UTC_OFFSET_MINUTES,
};

/**
 * Whether a reported value exceeds what the traces support.
 *
 * @param reported R ≥ 0.
 * @param counted C ≥ 0.
 * @returns R > ratio·C and R − C > sigmas·√C + margin.
 */
export function isInflated(reported: number, counted: number, ratio = 1.2, sigmas = 2, margin = 5): boolean {
  return reported > ratio * counted && reported - counted > sigmas * Math.sqrt(counted) + margin;
}

const DETECTOR = 'metric-inflation' as const;

export function createMetricInflationDetector(options: Partial<MetricInflationOptions> = {}): Detector {
  const opts = { ...DEFAULT_METRIC_INFLATION_OPTIONS, ...options };
  const mappedActions = new Set(Object.values(opts.metricActions).flat());
  /** platform → org → action → local day → traces */
  const counts = new Map<string, Map<string, Map<string, Map<number, number>>>>();
  /** platform → first and last day of its traces, and whether older ones were dropped */
  const coverage = new Map<string, { first: number; last: number; reachesBack: boolean }>();
  const retention = new RetentionWindow(opts.retentionDays);

  function observe(record: TraceRecord): void {
    const day = localDayNumber(record.occurredAt, opts.utcOffsetMinutes);
    let span = coverage.get(record.platformId);
    if (span === undefined) {
      span = { first: day, last: day, reachesBack: false };
      coverage.set(record.platformId, span);
    }
    if (!retention.admit(day)) {
      span.reachesBack = true;
      return;
    }
    if (day < span.first) span.first = day;
    if (day > span.last) span.last = day;
    if (!mappedActions.has(record.action)) return;
    let orgs = counts.get(record.platformId);
    if (orgs === undefined) {
      orgs = new Map();
      counts.set(record.platformId, orgs);
    }
    let actions = orgs.get(record.orgId);
    if (actions === undefined) {
      actions = new Map();
      orgs.set(record.orgId, actions);
    }
    let days = actions.get(record.action);
    if (days === undefined) {
      days = new Map();
      actions.set(record.action, days);
    }
    days.set(day, (days.get(day) ?? 0) + 1);
  }

  function evaluate(ctx: EvaluateContext): TestOutcome[] {
    const outcomes: TestOutcome[] = [];
    const cutoff = retention.cutoff();
    for (const orgs of counts.values()) {
      for (const actions of orgs.values()) for (const days of actions.values()) pruneDays(days, cutoff);
    }
    for (const m of latestReports(ctx.metrics)) {
      const actions = opts.metricActions[m.metric];
      if (actions === undefined) continue;
      const period = { start: m.periodStart, end: m.periodEnd };
      const scope: Scope = { kind: 'org', platformId: m.platformId, orgId: m.orgId };
      if (!endedElsePending(ctx, DETECTOR, scope, period, opts.utcOffsetMinutes)) continue;
      const first = isoToDayNumber(m.periodStart);
      const last = isoToDayNumber(m.periodEnd);
      // Covered from the first trace, or from the cutoff when older traces were seen (kept or
      // dropped): the same whatever the order of arrival, and never reaching past the cutoff.
      const span = coverage.get(m.platformId);
      if (span === undefined) continue;
      const coveredFrom = span.reachesBack || span.first < cutoff ? cutoff : span.first;
      if (coveredFrom > first || span.last < last) continue;
      const orgActions = counts.get(m.platformId)?.get(m.orgId);
      let counted = 0;
      for (const action of actions) {
        const days = orgActions?.get(action);
        if (days === undefined) continue;
        for (let day = first; day <= last; day++) counted += days.get(day) ?? 0;
      }
      outcomes.push(outcome(m, period, actions, counted));
    }
    return outcomes;
  }

  function outcome(
    m: ReportedMetric,
    period: TestOutcome['period'],
    actions: readonly string[],
    counted: number,
  ): TestOutcome {
    const reported = m.value;
    const excess = reported - counted;
    const poissonP = poissonSf(Math.ceil(reported), counted);
    const allowed = Math.max(opts.minRatio * counted, counted + opts.sigmas * Math.sqrt(counted) + opts.margin);
    const scope: Scope = { kind: 'org', platformId: m.platformId, orgId: m.orgId };
    const actionList = actions.join(', ');
    return {
      detector: DETECTOR,
      rule: `metric:${m.metric}`,
      scope,
      period,
      pValue: null,
      qThreshold: 1,
      effectMet: isInflated(reported, counted, opts.minRatio, opts.sigmas, opts.margin),
      score: reported / Math.max(counted, 1),
      statistics: { reported, counted, excess, ratio: counted > 0 ? reported / counted : reported, allowed, poissonP },
      evidence: {
        metric: m.metric,
        actions: [...actions],
        metricId: m.id,
        reportedAt: m.reportedAt,
      },
      explain: () => ({
        'zh-CN':
          `上报数与留痕数核对：单位 ${m.orgId} 上报 ${period.start} 至 ${period.end} 的“${m.metric}”为 ${num(reported)}，` +
          `同期平台留痕（${actionList}）只有 ${num(counted)} 条，多出 ${num(excess)}。` +
          `按留痕数，上报值不应超过约 ${num(allowed)}（留痕数的 ${opts.minRatio} 倍，且超出部分不大于 ${opts.sigmas}√C + ${opts.margin}）；` +
          `若上报值只是随机波动，达到该值的泊松概率为 ${prob(poissonP)}。`,
        en:
          `Reported versus traced: org ${m.orgId} reported '${m.metric}' = ${num(reported)} for ${period.start} to ${period.end}, ` +
          `while the platform holds ${num(counted)} traces of ${actionList} in that period, ${num(excess)} fewer. The traces ` +
          `support a value up to about ${num(allowed)} (${opts.minRatio}× the count, and an excess within ${opts.sigmas}√C + ` +
          `${opts.margin}); the Poisson chance of reaching the reported value by chance is ${prob(poissonP)}.`,
      }),
    };
  }

  return { name: DETECTOR, observe, evaluate };
}
