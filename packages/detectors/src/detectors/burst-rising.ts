/**
 * burst-rising — early warning: a unit's activity is climbing while an evaluation's pre-window is
 * still open, before burst-before-evaluation can judge the closed window.
 *
 * Test: a one-sided negative-binomial CUSUM chart (Lucas 1985, "Counted data CUSUMs",
 * Technometrics 27:129; the negative-binomial form of Höhle & Paul 2008, "Count data regression
 * charts for the monitoring of surveillance time series", CSDA 52:4357, R
 * `surveillance::algo.glrnb` with a known shift) on the unit's daily counts (by claimed time,
 * occurredAt) of the pre-window days completed so far. For an evaluation starting on local day
 * E, the pre-window is E − k … E − 1; the expected count of a day d is μ_d = level × w(d), with
 * the day-profile weight w (weekday × working day, month-end, quarter-end, after-holiday
 * factors) and the level and overdispersion φ of the baseline — exactly the baseline of
 * burst-before-evaluation (`support/pre-window-baseline.ts`: the 28 eligible days before the
 * pre-window, φ pooled over up to 84 days, a rising baseline not judged). The count of day d is
 * negative binomial with mean μ_d and variance φ·μ_d (size μ_d / (φ − 1); Poisson when φ = 1),
 * the variance φ measures. Against a rise of the mean to κ·μ_d, day d adds the log-likelihood
 * ratio
 *   ℓ_d = x_d·ln κ − (x_d + μ_d/(φ − 1))·ln((1 + (φ − 1)·κ) / φ)    (φ = 1: x_d·ln κ − μ_d·(κ − 1))
 * to the chart S_d = max(0, S_{d−1} + ℓ_d), S = 0 before the pre-window's first day. It alarms
 * when S_d ≥ h.
 *
 * Null hypothesis: in the pre-window the unit's daily counts follow its baseline level times the
 * day profile, negative binomial with the baseline's φ.
 *
 * Threshold from the in-control run length. The chart restarts in every 7-day pre-window, so
 * the in-control run length that matters is the false-alarm probability per honest pre-window,
 * P(max_{d ≤ 7} S_d ≥ h). Target: ≤ 1 % of honest pre-windows, on data as heavy-tailed as
 * people's (the simulator's). Under the model alone (NB, simulated in burst-rising.test.ts over
 * μ = 3 … 300 a day, φ = 1 … 8 and the weekly profile) h = 5 gives at most ≈ 0.7 % (worst near
 * μ ≈ 10, φ = 1) — but on the simulator's clean years, whose daily counts have heavier tails
 * than an NB with the baseline's φ (one actor's busy day), h = 5 gave 1.0–1.4 % (README). So
 * h = 6: at most ≈ 0.22 % under the model, ≈ 0.5 % on the simulator. As a continuously run
 * chart that is an in-control ARL₀ of about 2,800 days at μ = 10 (Poisson; the test requires
 * ≥ 2,000). Ville's inequality bounds the per-window rate by 7·e^(−h) = 1.7 % whatever μ_d and φ
 * (each start of the CUSUM's maximum is a likelihood-ratio martingale) when the model holds.

 * Scope: per org and evaluation start day covering it (as burst-before-evaluation). Period: the
 * pre-window E − k … E − 1, so the same fingerprint is updated day by day as the window fills.
 *
 * Minimum sample (else no outcome): at least one pre-window day has ended by asOf; a complete,
 * non-rising baseline (as burst-before-evaluation) with level > 0.
 *
 * Rule (a score rule: no p-value, the threshold h carries the error rate): effectMet when on
 * some completed day d the chart reaches h, the pre-window so far holds ≥ minPreCount traces and
 * its rate ratio so far (observed / expected) is ≥ minRateRatio — the closed-window test's
 * effect conditions, so the warning is not raised where the confirmation could never come.
 * Once met on a day it stays met for the window (an alert is not withdrawn by one quiet day).
 * After the window has closed (asOf ≥ start of E) the runner keeps the finding only when
 * burst-before-evaluation has a finding on the same unit and pre-window (`evidence.confirmedBy`),
 * else drops it (`confirmEarlyWarnings` in runner.ts).
 *
 * Defaults and reasons:
 * - preWindowDays, baselineDays, maxBaselineLookbackDays, dispersionBlocks, maxBaselineTrend,
 *   baselineTrendP, retentionDays, calendar, utcOffsetMinutes: burst-before-evaluation's, so
 *   that the warning watches the very window and baseline the confirming test will judge.
 * - shiftRatio κ = 2: the closed-window test needs RR ≥ 2, so the chart is tuned to a doubling
 *   (a CUSUM is most sensitive to the shift it is designed for; the simulated bursts are ×2.8–4).
 * - threshold h = 6: ≤ 1 % false alarms per honest pre-window with room for heavier tails than
 *   the model's (above); the simulated bursts still alarm after their first day (README).
 * - minPreCount 20, minRateRatio 2: burst-before-evaluation's finding rule.
 *
 * Memory per unit: one count per retained claimed day (retentionDays × units numbers).
 */
import type { DayProfile } from '../calendar/day-profile.js';
import { formatCount, formatNumber } from '../format.js';
import { dayRange, pruneDays, RetentionWindow } from '../retention.js';
import { dayNumberToIso, localDayNumber } from '../time.js';
import type { Detector, EvaluateContext, Localized, TestOutcome, TraceRecord } from '../types.js';
import { BURST_BEFORE_EVALUATION_DEFAULTS } from './burst-before-evaluation.js';
import {
  type EvaluationWindow,
  type PreWindowBaselineOptions,
  pooledProfiles,
  preWindowBaseline,
  preWindowDaySet,
  unitDayProfile,
  windowsForUnit,
} from './support/pre-window-baseline.js';
import { UnitIndex } from './support/unit-index.js';

export interface BurstRisingOptions extends PreWindowBaselineOptions {
  shiftRatio: number;
  threshold: number;
  minPreCount: number;
  minRateRatio: number;
  retentionDays: number;
}

const BASE = BURST_BEFORE_EVALUATION_DEFAULTS;

export const BURST_RISING_DEFAULTS: BurstRisingOptions = {
  preWindowDays: BASE.preWindowDays,
  baselineDays: BASE.baselineDays,
  maxBaselineLookbackDays: BASE.maxBaselineLookbackDays,
  dispersionBlocks: BASE.dispersionBlocks,
  maxBaselineTrend: BASE.maxBaselineTrend,
  baselineTrendP: BASE.baselineTrendP,
  calendar: BASE.calendar,
  utcOffsetMinutes: BASE.utcOffsetMinutes,
  retentionDays: BASE.retentionDays,
  shiftRatio: 2,
  threshold: 6,
  minPreCount: BASE.minPreCount,
  minRateRatio: BASE.minRateRatio,
};

/**
 * The CUSUM increment ℓ of one day (module comment): log-likelihood ratio of a mean κ·μ against μ
 * for a count x, negative binomial with variance φ·μ (Poisson when φ = 1).
 */
export function cusumIncrement(x: number, mu: number, phi: number, kappa: number): number {
  const excess = phi - 1;
  if (excess < 1e-9) return x * Math.log(kappa) - mu * (kappa - 1);
  return x * Math.log(kappa) - (x + mu / excess) * Math.log1p((excess * (kappa - 1)) / phi);
}

/** One day of the chart, as the evidence lists it. */
interface ChartDay {
  day: string;
  observed: number;
  expected: number;
  cusum: number;
}

interface UnitState {
  platformId: string;
  orgId: string;
  /** Count by claimed (occurred) local day. */
  occurred: Map<number, number>;
}

/** Creates the burst-rising detector (see the module comment for the method). */
export function createBurstRisingDetector(options: Partial<BurstRisingOptions> = {}): Detector {
  const o: BurstRisingOptions = { ...BURST_RISING_DEFAULTS, ...options };
  const retention = new RetentionWindow(o.retentionDays);
  const units = new UnitIndex<UnitState>();
  const newUnit = (platformId: string, orgId: string): UnitState => ({ platformId, orgId, occurred: new Map() });

  function observe(r: TraceRecord): void {
    const occurredDay = localDayNumber(r.occurredAt, o.utcOffsetMinutes);
    const recordedDay = localDayNumber(r.recordedAt, o.utcOffsetMinutes);
    retention.admit(recordedDay, Math.max(recordedDay, occurredDay));
    if (occurredDay < retention.cutoff()) return;
    const unit = units.getOrAdd(r.platformId, r.orgId, newUnit);
    unit.occurred.set(occurredDay, (unit.occurred.get(occurredDay) ?? 0) + 1);
  }

  function evaluate(ctx: EvaluateContext): TestOutcome[] {
    const cutoff = retention.cutoff();
    for (const unit of units.values()) pruneDays(unit.occurred, cutoff);
    const lastCompleteDay = localDayNumber(ctx.asOf, o.utcOffsetMinutes) - 1;
    let pooled: ReturnType<typeof pooledProfiles> | null = null;
    const outcomes: TestOutcome[] = [];
    for (const [, unit] of units.inKeyOrder()) {
      const span = dayRange(unit.occurred);
      if (!span) continue;
      const windows = windowsForUnit(ctx.evaluations, unit.platformId, unit.orgId, o.utcOffsetMinutes);
      // only windows with at least one completed pre-window day can be charted
      const started = windows.filter((w) => w.startDay - o.preWindowDays <= lastCompleteDay);
      if (started.length === 0) continue;
      pooled ??= pooledProfiles(
        [...units.values()].map((u) => ({ platformId: u.platformId, counts: u.occurred })),
        ctx,
        lastCompleteDay,
        o,
      );
      const preWindowDays = preWindowDaySet(windows, o.preWindowDays);
      const profile = unitDayProfile(
        unit.occurred,
        span,
        preWindowDays,
        lastCompleteDay,
        o.calendar,
        pooled.get(unit.platformId) ?? null,
      );
      for (const window of started) {
        const outcome = chartWindow(unit, span.first, window, preWindowDays, profile, lastCompleteDay);
        if (outcome) outcomes.push(outcome);
      }
    }
    return outcomes;
  }

  function chartWindow(
    unit: UnitState,
    firstDataDay: number,
    window: EvaluationWindow,
    preWindowDays: ReadonlySet<number>,
    profile: DayProfile,
    lastCompleteDay: number,
  ): TestOutcome | null {
    const E = window.startDay;
    const preFirst = E - o.preWindowDays;
    const count = (day: number) => unit.occurred.get(day) ?? 0;
    const baseline = preWindowBaseline(E, count, firstDataDay, preWindowDays, profile, o);
    if (!baseline || baseline.level <= 0) return null;
    const { phi, level } = baseline;
    const lastDay = Math.min(E - 1, lastCompleteDay);
    const chart: ChartDay[] = [];
    let cusum = 0;
    let cusumMax = 0;
    let observed = 0;
    let expected = 0;
    let alarmDay: number | null = null;
    for (let day = preFirst; day <= lastDay; day++) {
      const x = count(day);
      const mu = level * profile.weight(day);
      cusum = Math.max(0, cusum + cusumIncrement(x, mu, phi, o.shiftRatio));
      cusumMax = Math.max(cusumMax, cusum);
      observed += x;
      expected += mu;
      const ratio = expected > 0 ? observed / expected : Number.POSITIVE_INFINITY;
      if (alarmDay === null && cusum >= o.threshold && observed >= o.minPreCount && ratio >= o.minRateRatio)
        alarmDay = day;
      chart.push({
        day: dayNumberToIso(day),
        observed: x,
        expected: Number(mu.toFixed(3)),
        cusum: Number(cusum.toFixed(3)),
      });
    }
    const daysObserved = lastDay - preFirst + 1;
    const rateRatio = expected > 0 ? observed / expected : Number.POSITIVE_INFINITY;
    const windowClosed = lastCompleteDay >= E - 1;
    // the alarm is raised once day d has ended: that many whole days before the evaluation begins
    const leadDays = alarmDay === null ? null : E - 1 - alarmDay;

    const statistics: Record<string, number> = {
      cusum,
      cusumMax,
      threshold: o.threshold,
      shiftRatio: o.shiftRatio,
      daysObserved,
      observedSoFar: observed,
      expectedSoFar: expected,
      rateRatioSoFar: rateRatio,
      phi,
    };
    if (leadDays !== null) statistics.leadDays = leadDays;

    const evaluationNames = window.evaluations.map((e) => e.name).join(' / ');
    const k = o.preWindowDays;
    const explain = (): Localized => {
      const zh = [
        `评估「${evaluationNames}」（${dayNumberToIso(E)}开始）前${k}天的预警：单位${unit.orgId}前${daysObserved}天（共${k}天）记录活动${formatCount(observed)}条，` +
          `按基线水平（已按星期、节假日、月末和节后回补调整）预期约${formatCount(expected)}条，为预期的${formatNumber(rateRatio)}倍。` +
          `负二项CUSUM控制图（Lucas；Höhle与Paul，针对活动翻倍设计，过度离散φ=${formatNumber(phi, 2)}）当前值${formatNumber(cusum, 2)}，最高${formatNumber(cusumMax, 2)}，报警阈值${formatNumber(o.threshold, 1)}` +
          `（正常单位在一个前窗内误报的概率不超过约1%）。正常情况下该图停留在0附近。`,
      ];
      const en = [
        `Early warning for the ${k} days before the evaluation "${evaluationNames}" (starting ${dayNumberToIso(E)}): in the first ${daysObserved} of ${k} days unit ${unit.orgId} recorded ${formatCount(observed)} activities ` +
          `where its baseline level (adjusted for weekday, holidays, month ends and post-holiday catch-up) gives about ${formatCount(expected)}, ${formatNumber(rateRatio)} times as many. ` +
          `The negative-binomial CUSUM chart (Lucas; Höhle & Paul; tuned to a doubling, overdispersion φ=${formatNumber(phi, 2)}) stands at ${formatNumber(cusum, 2)}, highest ${formatNumber(cusumMax, 2)}, alarm threshold ${formatNumber(o.threshold, 1)} ` +
          `(an honest unit crosses it in at most about 1% of pre-windows). Normally the chart stays near 0.`,
      ];
      if (alarmDay !== null) {
        zh.push(`控制图在${dayNumberToIso(alarmDay)}结束时报警，距评估开始${leadDays}天。`);
        en.push(
          `It alarmed at the end of ${dayNumberToIso(alarmDay)}, ${leadDays} day(s) before the evaluation began.`,
        );
      }
      zh.push(
        windowClosed
          ? '前窗已结束，以前窗突增检验的结论为准。'
          : `这是前窗结束前的预警，需待${dayNumberToIso(E)}前窗结束后由前窗突增检验确认，否则撤销。`,
      );
      en.push(
        windowClosed
          ? 'The pre-window has closed; the closed-window burst test decides.'
          : `This is a warning before the window closes: the closed-window burst test confirms it once the pre-window ends on ${dayNumberToIso(E - 1)}, or it is withdrawn.`,
      );
      return { 'zh-CN': zh.join(''), en: en.join(' ') };
    };

    return {
      detector: 'burst-rising',
      rule: 'pre-window-cusum',
      scope: { kind: 'org', platformId: unit.platformId, orgId: unit.orgId },
      period: { start: dayNumberToIso(preFirst), end: dayNumberToIso(E - 1) },
      pValue: null,
      qThreshold: 1,
      effectMet: alarmDay !== null,
      score: cusumMax,
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
        windowClosed,
        alarmDay: alarmDay === null ? null : dayNumberToIso(alarmDay),
        baselineDays: baseline.days.map(dayNumberToIso),
        profileSource: profile.source,
        chart,
      },
      explain,
    };
  }

  return { name: 'burst-rising', observe, evaluate };
}
