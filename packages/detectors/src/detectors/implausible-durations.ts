/**
 * implausible durations — forms filled faster than a person can, or in the same time every time.
 *
 * Rules, per calendar month (local days):
 * - 'under-floor:<action>' (org scope): every action with a floor (default form.submit: 10 s —
 *   reading and filling even a short form takes longer; a map in options) — of n durations, k
 *   are under the floor. H0: the org's share under the floor is at most a small tolerated
 *   share p0 = 1 % (autofill, a resubmitted draft, clock rounding). One-sided binomial test
 *   P(X ≥ k | n, p0). Finding when q ≤ 0.01, k ≥ 5 and k/n ≥ 5·p0. Minimum sample n ≥ 30.
 * - 'under-floor-actor:<action>' (actor scope): the same test on one actor's durations of the
 *   action in the month (n ≥ 20, option minActorRecords). One actor filling every form in a few
 *   seconds inside a unit of honest colleagues stays under the org's 5·p0 share (40 fast forms
 *   among 1,000 is 4 %) and is found here. Multiple testing: the runner's Benjamini–Hochberg over
 *   all the detector's p-values takes in every actor-month test (one family per detector and run),
 *   so testing thousands of actors raises the bar for each as it should. Finding when q ≤ 0.001
 *   (actorQThreshold) and the same effect rule (k ≥ 5, k/n ≥ 5·p0).
 * - 'identical-durations:<action>' (actor scope, score rule): coefficient of variation
 *   CV = s / x̄ (sample standard deviation over mean) of one actor's durations for one action;
 *   human fill times vary by tens of percent, a script replays one time. Fires when any 20
 *   consecutive durations (by time; option minActorRecords) have CV < 0.05 — the lowest such
 *   window is reported with the month's overall CV. A window, not the whole month: a script
 *   used for two weeks is diluted by the rest of the month's honest work (measured on the
 *   simulator: a 60 s ± 0.25 s script missed at month level). Scanning windows costs little
 *   false alarm: 20 honest fill times (CV ≈ 0.5) reaching CV < 0.05 is far beyond any plausible
 *   chance. All durations 0 give CV = 0 (identical).
 * Accounts with role 'system' are left out (automation is expected to be fast and even).
 *
 * Memory: at most 50,000 (option maxRecordsPerOrgMonth) latest records with a duration per org
 * and month (LatestRecords; replays are dropped by the engine before they get here). Months are
 * judged once they have ended. Records older than 400 days (option retentionDays) before the
 * latest day seen are dropped, and a month reaching back past that cutoff is no longer judged.
 */

import { RetentionWindow } from '../retention.js';
import { binomialSf } from '../stats/index.js';
import { DEFAULT_UTC_OFFSET_MINUTES, dayNumberToIso, isoToDayNumber, localDayNumber } from '../time.js';
import type { Detector, EvaluateContext, Period, Scope, TestOutcome, TraceRecord } from '../types.js';
import { num, pct, prob, qSuffix } from './support/format.js';
import { LatestRecords } from './support/latest-records.js';
import { endedElsePending, monthOfDay, monthPeriod, startsBefore } from './support/periods.js';
import { ScopeGroups } from './support/scope-groups.js';

export interface ImplausibleDurationsOptions {
  /** Fastest plausible duration per action, ms; actions not listed have no floor rule. */
  floorsMs: Record<string, number>;
  /** Tolerated share under the floor under H0. */
  toleratedShare: number;
  /** under-floor: minimum durations of the action in the org-month. */
  minRecords: number;
  /** under-floor effect: at least this many under the floor … */
  minUnderFloor: number;
  /** … and a share at least this multiple of the tolerated share. */
  minShareRatio: number;
  /** identical-durations: window of consecutive durations of one actor and action (and minimum sample). */
  minActorRecords: number;
  /** identical-durations fires below this coefficient of variation. */
  maxCoefficientOfVariation: number;
  /** q-value level for under-floor (0.01, as burst and backfill). */
  qThreshold: number;
  /**
   * q-value level for the actor-month tests (0.001): they are many (~20,000 actor-months a year
   * for 240 units), and under BH a detector's many true org findings lower the bar for every other
   * test of the family, so at 0.01 an honest actor's rare month passed (measured on bench:quality:
   * 23 of 84 values on multiples of 10, p = 1.3e-5, q = 0.0026); a tenth of the org level keeps
   * the actor tests as a safety net for one actor among honest colleagues.
   */
  actorQThreshold: number;
  /** Latest records kept per org and month (memory bound). */
  maxRecordsPerOrgMonth: number;
  /**
   * Days of history kept before the latest day seen; older records are dropped, which bounds
   * memory over time (400: a year of months plus their baselines, as in the other detectors).
   */
  retentionDays: number;
  /** Local time as minutes east of UTC (480: Asia/Shanghai, UTC+8 without daylight saving since 1991). */
  utcOffsetMinutes: number;
}

export const DEFAULT_IMPLAUSIBLE_DURATIONS_OPTIONS: ImplausibleDurationsOptions = {
  floorsMs: { 'form.submit': 10_000 },
  toleratedShare: 0.01,
  minRecords: 30,
  minUnderFloor: 5,
  minShareRatio: 5,
  minActorRecords: 20,
  maxCoefficientOfVariation: 0.05,
  qThreshold: 0.01,
  actorQThreshold: 0.001,
  maxRecordsPerOrgMonth: 50_000,
  retentionDays: 400,
  utcOffsetMinutes: DEFAULT_UTC_OFFSET_MINUTES,
};

/**
 * Coefficient of variation s / x̄ with the sample standard deviation (n − 1).
 *
 * @param values non-negative numbers.
 * @returns CV; 0 when the mean is 0 (all zero: identical); NaN for fewer than 2 values.
 */
export function coefficientOfVariation(values: readonly number[]): number {
  const n = values.length;
  if (n < 2) return Number.NaN;
  const mean = values.reduce((s, v) => s + v, 0) / n;
  if (mean === 0) return 0;
  const variance = values.reduce((s, v) => s + (v - mean) ** 2, 0) / (n - 1);
  return Math.sqrt(variance) / mean;
}

/**
 * The lowest coefficient of variation over windows of `window` consecutive values.
 *
 * @param values in time order.
 * @param window window length, ≥ 2.
 * @returns the lowest CV and the index where its window starts; NaN and −1 when there are
 *   fewer values than the window.
 */
export function lowestWindowCoefficientOfVariation(
  values: readonly number[],
  window: number,
): { cv: number; start: number } {
  let best = Number.NaN;
  let start = -1;
  for (let i = 0; i + window <= values.length; i++) {
    const cv = coefficientOfVariation(values.slice(i, i + window));
    if (!(cv >= best)) {
      best = cv;
      start = i;
    }
  }
  return { cv: best, start };
}

interface Timing {
  id: string;
  t: number;
  actorId: string;
  action: string;
  durationMs: number;
}

interface OrgMonth {
  platformId: string;
  orgId: string;
  /** The month, 'YYYY-MM'. */
  part: string;
  records: LatestRecords<Timing>;
}

const DETECTOR = 'implausible-durations' as const;

function groupBy<T>(items: readonly T[], keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const list = groups.get(key);
    if (list === undefined) groups.set(key, [item]);
    else list.push(item);
  }
  return groups;
}

export function createImplausibleDurationsDetector(options: Partial<ImplausibleDurationsOptions> = {}): Detector {
  const opts = { ...DEFAULT_IMPLAUSIBLE_DURATIONS_OPTIONS, ...options };
  const groups = new ScopeGroups<OrgMonth>((platformId, orgId, part) => ({
    platformId,
    orgId,
    part,
    records: new LatestRecords(opts.maxRecordsPerOrgMonth),
  }));
  const retention = new RetentionWindow(opts.retentionDays);

  function observe(record: TraceRecord): void {
    if (record.durationMs === undefined || record.actorRole === 'system' || !Number.isFinite(record.durationMs)) return;
    const day = localDayNumber(record.occurredAt, opts.utcOffsetMinutes);
    if (!retention.admit(day)) return;
    groups.get(record.platformId, record.orgId, monthOfDay(day)).records.add({
      id: record.id,
      t: record.occurredAt,
      actorId: record.actorId,
      action: record.action,
      durationMs: record.durationMs,
    });
  }

  function evaluate(ctx: EvaluateContext): TestOutcome[] {
    const outcomes: TestOutcome[] = [];
    for (const group of groups.inOrder()) {
      const period = monthPeriod(group.part);
      if (isoToDayNumber(period.end) < retention.cutoff()) {
        groups.delete(group); // wholly older than the retention window
        continue;
      }
      const orgScope: Scope = { kind: 'org', platformId: group.platformId, orgId: group.orgId };
      if (
        startsBefore(period, retention.cutoff()) ||
        !endedElsePending(ctx, DETECTOR, orgScope, period, opts.utcOffsetMinutes)
      ) {
        continue;
      }
      const records = group.records.sorted();
      const byAction = groupBy(records, (r) => r.action);
      for (const action of [...byAction.keys()].sort()) {
        const timings = byAction.get(action)!;
        const floor = opts.floorsMs[action];
        if (floor !== undefined && timings.length >= opts.minRecords) {
          outcomes.push(underFloorOutcome(group, period, action, floor, timings));
        }
        const byActor = groupBy(timings, (r) => r.actorId);
        for (const actorId of [...byActor.keys()].sort()) {
          const own = byActor.get(actorId)!;
          if (own.length < opts.minActorRecords) continue;
          if (floor !== undefined) outcomes.push(underFloorOutcome(group, period, action, floor, own, actorId));
          outcomes.push(identicalOutcome(group, period, action, actorId, own));
        }
      }
    }
    return outcomes;
  }

  /** The org's test, or one actor's when `actorId` is given. */
  function underFloorOutcome(
    group: OrgMonth,
    period: Period,
    action: string,
    floor: number,
    timings: readonly Timing[],
    actorId?: string,
  ): TestOutcome {
    const n = timings.length;
    const under = timings.filter((r) => r.durationMs < floor);
    const k = under.length;
    const share = k / n;
    const pValue = binomialSf(k, n, opts.toleratedShare);
    const actors = [...new Set(under.map((r) => r.actorId))].sort();
    const scope: Scope =
      actorId === undefined
        ? { kind: 'org', platformId: group.platformId, orgId: group.orgId }
        : { kind: 'actor', platformId: group.platformId, orgId: group.orgId, actorId };
    const who =
      actorId === undefined
        ? { zh: `单位 ${group.orgId}`, en: `org ${group.orgId}` }
        : { zh: `单位 ${group.orgId} 的账号 ${actorId}`, en: `actor ${actorId} of org ${group.orgId}` };
    return {
      detector: DETECTOR,
      rule: actorId === undefined ? `under-floor:${action}` : `under-floor-actor:${action}`,
      scope,
      period,
      pValue,
      qThreshold: scope.kind === 'actor' ? opts.actorQThreshold : opts.qThreshold,
      effectMet: k >= opts.minUnderFloor && share >= opts.minShareRatio * opts.toleratedShare,
      score: share / opts.toleratedShare,
      statistics: { n, underFloor: k, share, floorMs: floor, toleratedShare: opts.toleratedShare },
      evidence: { action, actorsUnderFloor: actors.slice(0, 100), truncated: group.records.truncated },
      explain: (q) => {
        const qs = qSuffix(q);
        return {
          'zh-CN':
            `办理用时过短检验（单侧二项检验）：${who.zh} 在 ${period.start} 至 ${period.end} 的 ${n} 次“${action}”中，` +
            `${k} 次（${pct(share)}）用时不足 ${num(floor / 1000)} 秒，涉及 ${actors.length} 个账号；` +
            `正常填写很少这么快，可容忍比例为 ${pct(opts.toleratedShare, 0)}。p = ${prob(pValue)}${qs.zh}。`,
          en:
            `Too-fast completion test (one-sided binomial): of ${n} '${action}' actions of ${who.en} from ${period.start} ` +
            `to ${period.end}, ${k} (${pct(share)}) took under ${num(floor / 1000)} s, by ${actors.length} actors; genuine filling ` +
            `is rarely that fast and ${pct(opts.toleratedShare, 0)} is tolerated. p = ${prob(pValue)}${qs.en}.`,
        };
      },
    };
  }

  function identicalOutcome(
    group: OrgMonth,
    period: Period,
    action: string,
    actorId: string,
    timings: readonly Timing[],
  ): TestOutcome {
    const durations = timings.map((r) => r.durationMs);
    const cv = coefficientOfVariation(durations);
    const lowest = lowestWindowCoefficientOfVariation(durations, opts.minActorRecords);
    const windowTimings = timings.slice(lowest.start, lowest.start + opts.minActorRecords);
    const windowDurations = windowTimings.map((r) => r.durationMs);
    const mean = windowDurations.reduce((s, v) => s + v, 0) / windowDurations.length;
    const from = dayNumberToIso(localDayNumber(windowTimings[0]!.t, opts.utcOffsetMinutes));
    const to = dayNumberToIso(localDayNumber(windowTimings[windowTimings.length - 1]!.t, opts.utcOffsetMinutes));
    const w = opts.minActorRecords;
    const scope: Scope = { kind: 'actor', platformId: group.platformId, orgId: group.orgId, actorId };
    return {
      detector: DETECTOR,
      rule: `identical-durations:${action}`,
      scope,
      period,
      pValue: null,
      qThreshold: 1,
      effectMet: lowest.cv < opts.maxCoefficientOfVariation,
      score: 1 - Math.min(1, lowest.cv),
      statistics: { n: durations.length, lowestWindowCv: lowest.cv, window: w, windowMeanMs: mean, monthCv: cv },
      evidence: {
        action,
        windowFrom: from,
        windowTo: to,
        windowDurationsMs: windowDurations,
        truncated: group.records.truncated,
      },
      explain: () => ({
        'zh-CN':
          `用时一致性检查（变异系数）：账号 ${actorId}（单位 ${group.orgId}）在 ${period.start} 至 ${period.end} 完成 ${durations.length} 次“${action}”；` +
          `其中 ${from} 至 ${to} 连续 ${w} 次的平均用时 ${num(mean / 1000)} 秒，变异系数仅 ${num(lowest.cv)}（全月为 ${num(cv)}）。` +
          `人工填写每次用时不同，变异系数通常在 0.3 以上；低于 ${opts.maxCoefficientOfVariation} 意味着几乎每次用时相同。`,
        en:
          `Identical fill times (coefficient of variation): actor ${actorId} (org ${group.orgId}) did ${durations.length} ` +
          `'${action}' actions from ${period.start} to ${period.end}; ${w} in a row from ${from} to ${to} took on average ` +
          `${num(mean / 1000)} s with a coefficient of variation of only ${num(lowest.cv)} (the whole month: ${num(cv)}). ` +
          `People take different times each time (typically above 0.3); below ${opts.maxCoefficientOfVariation} the time is ` +
          `practically the same every time.`,
      }),
    };
  }

  return { name: DETECTOR, observe, evaluate };
}
