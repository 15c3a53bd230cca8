/**
 * burst-before-evaluation — activity of a unit jumps in the days before an evaluation.
 *
 * Test: the exact conditional test for a Poisson rate ratio (Fay, R `rateratio.test`) in its
 * normal form with an overdispersion correction. For an evaluation starting on local day E:
 * pre-window P = the k days before E; baseline B = the m most recent days before P that are
 * neither public holidays nor inside another evaluation's pre-window. With e_P, e_B the sums of
 * the day-profile weights over P and B (weekday × working day, times the month-end, quarter-end
 * and after-holiday factors) and N = X_P + X_B observed traces (by claimed time, occurredAt),
 * under no change X_P ~ Binomial(N, π0), π0 = e_P / (e_P + e_B).
 * Overdispersion φ (floor 1) = Σ (x − e)² / Σ (Σe − Σe²/Σe) over B and up to two earlier blocks
 * of m eligible days, each around its own level (`volumeWeightedOverdispersion`);
 * z = (X_P − Nπ0) / √(φ·N·π0·(1 − π0)), one-sided p = P(T_df > z), Student's t with the df of
 * φ (Σ (days − 1) over the blocks): φ is estimated, so z is a t statistic (quasi-Poisson).
 * Rate ratio RR = (X_P / e_P) / (X_B / e_B) (with ½ added to both counts only when X_B = 0,
 * so the score stays finite).
 *
 * Why (measured on 3 clean simulated years, 240 units, 3,680 tests of honest pre-windows): with
 * Pearson χ²/df over the 28 baseline days, the normal tail and weekday weights only, 14 of 1,151
 * tests of one year had p < 0.001 (1.2 expected) down to p = 1.5e-7, and the quality bench had a
 * false burst (RR 2.14) made of honest month-end peaks. Month ends and catch-up days in P were
 * unexpected; Pearson χ²/df averages the days equally, so the quiet weekend days diluted the
 * working days' overdispersion; 20 working days estimate φ poorly under heavy-tailed daily counts,
 * and the normal tail ignores that. With the calendar factors, the volume-weighted φ over up to 84
 * days and the t tail: 5, 8 and 5 tests per year below 0.001, most of them genuine campaigns.
 * Still too small for the honest right tail: a week carried by one heavy-tailed actor can reach
 * RR ≈ 2 with p ≈ 1e-5..1e-7 (3 false bursts in 7 simulated years, all RR 2.03–2.07); RR ≥ 2 is
 * what keeps them rare.
 *
 * Null hypothesis: the unit's daily rate in P, adjusted for weekday, holidays, month and quarter
 * ends and catch-up days, equals its rate in the baseline.
 *
 * Scope: per org and evaluation covering it (an evaluation with an orgId covers that org; with
 * only a platformId every org of the platform; with neither every org). Evaluations of one org
 * starting on the same day are one test. Period: the pre-window P.
 *
 * Minimum sample (else no outcome): P has ended (asOf ≥ end of day E − 1); a full baseline of m
 * eligible days found within `maxBaselineLookbackDays`, all on or after the unit's first day with
 * data; N > 0; and a baseline that does not rise: its later half not ≥ `maxBaselineTrend` × the
 * rate of its earlier half with p ≤ `baselineTrendP` (the same φ-corrected test, later half
 * against earlier). A rising baseline — a new unit ramping up, a growing service — has no level
 * to compare with, and ramp-up is not a burst (measured: a unit ramping up over 43 days from
 * 2 days before its baseline gave RR 2.6 in P, a false burst; its halves differ 2.5×).
 *
 * Finding: RR ≥ 2, q ≤ 0.01 and X_P ≥ 20 (DETECTION.md).
 *
 * Defaults and reasons:
 * - preWindowDays 7: the week before an evaluation is when catch-up fabrication happens.
 * - baselineDays 28: four weeks, so every weekday appears four times.
 * - maxBaselineLookbackDays 84: holidays and other pre-windows are skipped; beyond 12 weeks the
 *   baseline would no longer describe the unit's current level, so the test is not done.
 * - dispersionBlocks 3: φ from up to 3 × 28 eligible days (about 60 working days instead of 20),
 *   each block around its own level so that a slow drift does not count as overdispersion.
 * - maxBaselineTrend 2, baselineTrendP 0.001: a ramp from zero under the baseline doubles and
 *   more; honest halves of a month differ by 1.5× often enough (measured: 1.58×, p ≈ 0.01, in a
 *   unit whose true burst was then lost at 1.5 / 0.01) to keep the bar this high.
 * - minRateRatio 2, minPreCount 20, qThreshold 0.01: DETECTION.md; RR ≥ 2 keeps genuine
 *   campaigns (typically +20–50 %) out, 20 traces keeps tiny units out.
 * - postFallbackRatio 1.3: RR_after at or below it counts as "fell back after the evaluation".
 * - backfillLagMs 24 h: as in the backfill detector.
 * - topActors 3: the share of the excess from the 3 largest contributors.
 * - retentionDays 400: a year of evaluations plus their baselines.
 * - calendar: PRC 2024–2027; utcOffsetMinutes 480 (Asia/Shanghai).
 * The day profile: the unit's own weekday weights (≥ 8 weeks of days outside its evaluations'
 * pre-windows), else the platform's pooled profile (sum of its units), else flat; the calendar
 * factors come from the platform's pooled profile (see `chooseDayProfile`).
 *
 * Corroboration in the evidence: RR_after over the k days after the evaluation's last day (when
 * the data reach that far), the backfilled share inside P, the share of the excess from the top
 * actors, and the same counts by recording time (a burst seen only in recorded time is
 * back-dating: traces entered just before the evaluation, claiming earlier dates).
 *
 * Memory per unit: per retained day of claimed time a count, a backfilled count and a count per
 * actor active that day; per retained day of recording time a count. Bound: retentionDays ×
 * units × (2 + actors active per day); no raw events are kept.
 */
import type { Evaluation } from '@tracewatch/schema';
import { type Calendar, PRC_CALENDAR } from '../calendar/calendar.js';
import type { DayProfile } from '../calendar/day-profile.js';
import { formatCount, formatNumber, formatPercent, formatProbability } from '../format.js';
import { dayRange, pruneDays, RetentionWindow } from '../retention.js';
import { DEFAULT_UTC_OFFSET_MINUTES, dayNumberToIso, localDayNumber } from '../time.js';
import type { Detector, EvaluateContext, Localized, Scope, TestOutcome, TraceRecord } from '../types.js';
import {
  type EvaluationWindow,
  pooledProfiles,
  preWindowBaseline,
  preWindowDaySet,
  range,
  rateRatio,
  rateRatioTest,
  sumWindow,
  unitDayProfile,
  windowsForUnit,
} from './support/pre-window-baseline.js';
import { UnitIndex } from './support/unit-index.js';

export interface BurstBeforeEvaluationOptions {
  preWindowDays: number;
  baselineDays: number;
  maxBaselineLookbackDays: number;
  dispersionBlocks: number;
  maxBaselineTrend: number;
  baselineTrendP: number;
  minRateRatio: number;
  minPreCount: number;
  qThreshold: number;
  postFallbackRatio: number;
  backfillLagMs: number;
  topActors: number;
  retentionDays: number;
  calendar: Calendar;
  utcOffsetMinutes: number;
}

export const BURST_BEFORE_EVALUATION_DEFAULTS: BurstBeforeEvaluationOptions = {
  preWindowDays: 7,
  baselineDays: 28,
  maxBaselineLookbackDays: 84,
  dispersionBlocks: 3,
  maxBaselineTrend: 2,
  baselineTrendP: 0.001,
  minRateRatio: 2,
  minPreCount: 20,
  qThreshold: 0.01,
  postFallbackRatio: 1.3,
  backfillLagMs: 24 * 3_600_000,
  topActors: 3,
  retentionDays: 400,
  calendar: PRC_CALENDAR,
  utcOffsetMinutes: DEFAULT_UTC_OFFSET_MINUTES,
};

interface DayCell {
  count: number;
  backfilled: number;
  actors: Map<string, number>;
}

interface UnitState {
  platformId: string;
  orgId: string;
  /** By claimed (occurred) local day. */
  occurred: Map<number, DayCell>;
  /** By recorded local day. */
  recorded: Map<number, number>;
}

/** Share of the excess in P contributed by the `top` actors with the largest excess. */
function topActorExcess(
  unit: UnitState,
  preDays: readonly number[],
  baselineDays: readonly number[],
  scale: number,
  top: number,
): { share: number | null; actors: { actorId: string; pre: number; baseline: number; excess: number }[] } {
  const pre = new Map<string, number>();
  const base = new Map<string, number>();
  const add = (target: Map<string, number>, days: readonly number[]) => {
    for (const day of days) {
      for (const [actor, n] of unit.occurred.get(day)?.actors ?? []) target.set(actor, (target.get(actor) ?? 0) + n);
    }
  };
  add(pre, preDays);
  add(base, baselineDays);
  const rows = [...pre.keys()].map((actorId) => {
    const p = pre.get(actorId) ?? 0;
    const b = base.get(actorId) ?? 0;
    return { actorId, pre: p, baseline: b, excess: p - b * scale };
  });
  rows.sort((a, b) => b.excess - a.excess || (a.actorId < b.actorId ? -1 : 1));
  let totalPre = 0;
  let totalBase = 0;
  for (const n of pre.values()) totalPre += n;
  for (const n of base.values()) totalBase += n;
  const totalExcess = totalPre - totalBase * scale;
  const leaders = rows.slice(0, top).filter((r) => r.excess > 0);
  const leaderExcess = leaders.reduce((s, r) => s + r.excess, 0);
  return { share: totalExcess > 0 ? Math.min(1, leaderExcess / totalExcess) : null, actors: leaders };
}

/** A unit's count per claimed day. */
function* dailyCounts(unit: UnitState): Generator<[number, number]> {
  for (const [day, cell] of unit.occurred) yield [day, cell.count];
}

/**
 * Creates the burst-before-evaluation detector (see the module comment for the method).
 */
export function createBurstBeforeEvaluationDetector(options: Partial<BurstBeforeEvaluationOptions> = {}): Detector {
  const o: BurstBeforeEvaluationOptions = { ...BURST_BEFORE_EVALUATION_DEFAULTS, ...options };
  const retention = new RetentionWindow(o.retentionDays);
  const units = new UnitIndex<UnitState>();
  const newUnit = (platformId: string, orgId: string): UnitState => ({
    platformId,
    orgId,
    occurred: new Map(),
    recorded: new Map(),
  });

  function observe(r: TraceRecord): void {
    const occurredDay = localDayNumber(r.occurredAt, o.utcOffsetMinutes);
    const recordedDay = localDayNumber(r.recordedAt, o.utcOffsetMinutes);
    const keepRecorded = retention.admit(recordedDay, Math.max(recordedDay, occurredDay));
    const keepOccurred = occurredDay >= retention.cutoff();
    if (!keepRecorded && !keepOccurred) return;
    const unit = units.getOrAdd(r.platformId, r.orgId, newUnit);
    if (keepRecorded) unit.recorded.set(recordedDay, (unit.recorded.get(recordedDay) ?? 0) + 1);
    if (keepOccurred) {
      let cell = unit.occurred.get(occurredDay);
      if (!cell) {
        cell = { count: 0, backfilled: 0, actors: new Map() };
        unit.occurred.set(occurredDay, cell);
      }
      cell.count += 1;
      if (r.recordedAt - r.occurredAt > o.backfillLagMs) cell.backfilled += 1;
      cell.actors.set(r.actorId, (cell.actors.get(r.actorId) ?? 0) + 1);
    }
  }

  const orgScopeOf = (unit: { platformId: string; orgId: string }): Scope => ({
    kind: 'org',
    platformId: unit.platformId,
    orgId: unit.orgId,
  });

  function evaluate(ctx: EvaluateContext): TestOutcome[] {
    const cutoff = retention.cutoff();
    for (const unit of units.values()) {
      pruneDays(unit.occurred, cutoff);
      pruneDays(unit.recorded, cutoff);
    }
    // the last local day that has fully ended by asOf
    const lastCompleteDay = localDayNumber(ctx.asOf, o.utcOffsetMinutes) - 1;
    const pooled = pooledProfiles(
      [...units.values()].map((unit) => ({ platformId: unit.platformId, counts: dailyCounts(unit) })),
      ctx,
      lastCompleteDay,
      o,
    );
    const outcomes: TestOutcome[] = [];
    for (const [, unit] of units.inKeyOrder()) {
      const span = dayRange(unit.occurred);
      if (!span) continue;
      const windows = windowsForUnit(ctx.evaluations, unit.platformId, unit.orgId, o.utcOffsetMinutes);
      if (windows.length === 0) continue;
      const preWindowDays = preWindowDaySet(windows, o.preWindowDays);
      const profile = unitDayProfile(
        new Map(dailyCounts(unit)),
        span,
        preWindowDays,
        lastCompleteDay,
        o.calendar,
        pooled.get(unit.platformId) ?? null,
      );
      for (const window of windows) {
        const E = window.startDay;
        if (E - 1 > lastCompleteDay) {
          // the pre-window has not ended: not judged yet (reported when it holds data)
          if (E - o.preWindowDays <= span.last) {
            const period = { start: dayNumberToIso(E - o.preWindowDays), end: dayNumberToIso(E - 1) };
            ctx.onPending?.({ detector: 'burst-before-evaluation', scope: orgScopeOf(unit), period });
          }
          continue;
        }
        const outcome = testWindow(unit, span.first, window, preWindowDays, profile, lastCompleteDay);
        if (outcome) outcomes.push(outcome);
      }
    }
    return outcomes;
  }

  function testWindow(
    unit: UnitState,
    firstDataDay: number,
    window: EvaluationWindow,
    preWindowDays: ReadonlySet<number>,
    profile: DayProfile,
    lastCompleteDay: number,
  ): TestOutcome | null {
    const E = window.startDay;
    const preFirst = E - o.preWindowDays;
    if (E - 1 > lastCompleteDay) return null; // P has not ended yet
    const occurredCount = (day: number) => unit.occurred.get(day)?.count ?? 0;
    const recordedCount = (day: number) => unit.recorded.get(day) ?? 0;
    const baseline = preWindowBaseline(E, occurredCount, firstDataDay, preWindowDays, profile, o);
    if (!baseline) return null;
    const baselineDays = baseline.days;
    const preDays = range(preFirst, E - 1);
    const pre = sumWindow(preDays, occurredCount, profile);
    const base = baseline.sums;
    const N = pre.observed + base.observed;
    if (N === 0 || pre.expectedWeight <= 0 || base.expectedWeight <= 0) return null;

    const pi0 = pre.expectedWeight / (pre.expectedWeight + base.expectedWeight);
    const level = baseline.level;
    const phi = baseline.phi;
    const df = Math.max(1, baseline.phiDf);
    const { z, pValue, rateRatio: rr } = rateRatioTest(pre, base, phi, df)!;
    const expectedPre = base.observed * (pre.expectedWeight / base.expectedWeight);

    // corroboration
    const postFirst = window.endDay + 1;
    const postLast = window.endDay + o.preWindowDays;
    const postAvailable = postLast <= lastCompleteDay;
    const post = postAvailable ? sumWindow(range(postFirst, postLast), occurredCount, profile) : null;
    const rrAfter = post && post.expectedWeight > 0 ? rateRatio(post, base) : null;
    const preRecorded = sumWindow(preDays, recordedCount, profile);
    const baseRecorded = sumWindow(baselineDays, recordedCount, profile);
    const rrRecorded = preRecorded.observed + baseRecorded.observed > 0 ? rateRatio(preRecorded, baseRecorded) : null;
    let backfilledPre = 0;
    for (const day of preDays) backfilledPre += unit.occurred.get(day)?.backfilled ?? 0;
    const backfilledSharePre = pre.observed > 0 ? backfilledPre / pre.observed : 0;
    const top = topActorExcess(unit, preDays, baselineDays, pre.expectedWeight / base.expectedWeight, o.topActors);

    const baselineSet = new Set(baselineDays);
    const seriesLast = postAvailable ? postLast : Math.min(lastCompleteDay, postLast);
    const series = range(baselineDays[0]!, seriesLast).map((day) => ({
      day: dayNumberToIso(day),
      observed: occurredCount(day),
      expected: Number((level * profile.weight(day)).toFixed(3)),
      recorded: recordedCount(day),
      window: baselineSet.has(day)
        ? 'baseline'
        : day >= preFirst && day < E
          ? 'pre'
          : day >= E && day <= window.endDay
            ? 'evaluation'
            : day >= postFirst && day <= postLast
              ? 'post'
              : 'excluded',
    }));

    const statistics: Record<string, number> = {
      observedPre: pre.observed,
      expectedPre,
      observedBaseline: base.observed,
      nullShare: pi0,
      rateRatio: rr,
      z,
      phi,
      observedPreRecorded: preRecorded.observed,
      backfilledSharePre,
    };
    statistics.phiDf = baseline.phiDf;
    if (rrAfter !== null) statistics.rateRatioAfter = rrAfter;
    if (rrRecorded !== null) statistics.rateRatioRecorded = rrRecorded;
    if (top.share !== null) statistics.topActorsExcessShare = top.share;

    const evaluationNames = window.evaluations.map((e) => e.name).join(' / ');
    const period = { start: dayNumberToIso(preFirst), end: dayNumberToIso(E - 1) };
    const explain = (q: number | null): Localized => {
      const stat = `${formatProbability('p', pValue)}, ${formatProbability('q', q)}`;
      const zh: string[] = [
        `评估「${evaluationNames}」（${dayNumberToIso(E)}开始）前${o.preWindowDays}天，单位${unit.orgId}记录活动${formatCount(pre.observed)}条；` +
          `按此前${baselineDays.length}个基线日的水平（已按星期、节假日、月末和节后回补调整）预期约${formatCount(expectedPre)}条，为预期的${formatNumber(rr)}倍` +
          `（条件二项速率比检验，过度离散校正φ=${formatNumber(phi, 2)}，${stat}）。正常情况下该倍数接近1；` +
          `判定阈值为至少${formatNumber(o.minRateRatio)}倍、q≤${o.qThreshold}且至少${o.minPreCount}条。`,
      ];
      const en: string[] = [
        `In the ${o.preWindowDays} days before the evaluation "${evaluationNames}" (starting ${dayNumberToIso(E)}), unit ${unit.orgId} recorded ${formatCount(pre.observed)} activities; ` +
          `at its level over the previous ${baselineDays.length} baseline days (adjusted for weekday, holidays, month ends and post-holiday catch-up) about ${formatCount(expectedPre)} were expected, ${formatNumber(rr)} times as many ` +
          `(conditional binomial rate-ratio test, overdispersion φ=${formatNumber(phi, 2)}, ${stat}). Normally the ratio is close to 1; ` +
          `a finding needs at least ${formatNumber(o.minRateRatio)}×, q≤${o.qThreshold} and at least ${o.minPreCount} traces.`,
      ];
      if (rrAfter !== null) {
        zh.push(
          `评估结束后${o.preWindowDays}天活动为基线的${formatNumber(rrAfter)}倍${rrAfter <= o.postFallbackRatio ? '（已回落）' : '（未回落）'}。`,
        );
        en.push(
          `In the ${o.preWindowDays} days after the evaluation activity was ${formatNumber(rrAfter)}× the baseline${rrAfter <= o.postFallbackRatio ? ' (it fell back)' : ' (it did not fall back)'}.`,
        );
      }
      if (top.share !== null) {
        zh.push(`超出部分的${formatPercent(top.share)}来自${top.actors.length}名人员。`);
        en.push(`${formatPercent(top.share)} of the excess came from ${top.actors.length} actor(s).`);
      }
      zh.push(
        `前窗内补录（记录时间晚于发生时间24小时以上）占${formatPercent(backfilledSharePre)}；按记录时间计前窗${formatCount(preRecorded.observed)}条。`,
      );
      en.push(
        `Backfilled (recorded over 24 h after the claimed time) share in the pre-window: ${formatPercent(backfilledSharePre)}; by recording time the pre-window holds ${formatCount(preRecorded.observed)} traces.`,
      );
      return { 'zh-CN': zh.join(''), en: en.join(' ') };
    };

    return {
      detector: 'burst-before-evaluation',
      rule: 'pre-window',
      scope: orgScopeOf(unit),
      period,
      pValue,
      qThreshold: o.qThreshold,
      effectMet: rr >= o.minRateRatio && pre.observed >= o.minPreCount,
      score: rr,
      statistics,
      evidence: {
        evaluations: window.evaluations.map((e) => ({
          id: e.id,
          name: e.name,
          kind: e.kind,
          start: e.start,
          end: e.end,
        })),
        evaluationDay: dayNumberToIso(E),
        baselineDays: baselineDays.map(dayNumberToIso),
        profileSource: profile.source,
        postWindow: postAvailable ? { start: dayNumberToIso(postFirst), end: dayNumberToIso(postLast) } : null,
        fellBackAfter: rrAfter === null ? null : rrAfter <= o.postFallbackRatio,
        topActors: top.actors,
        series,
      },
      explain,
    };
  }

  return { name: 'burst-before-evaluation', observe, evaluate };
}
