/**
 * machine-regular timing — actions of one actor spaced too evenly, or stamped on round seconds,
 * to be a person at work.
 *
 * Tests per actor and ISO week (Monday–Sunday, local days; the period is the week). A week,
 * not the actor's whole history: a script that runs for three weeks in four months of honest
 * work is diluted below every threshold over the whole history (measured on the simulator:
 * modal-gap share 29 % instead of ~100 %), and a fixed window gives findings stable
 * fingerprints. A working week of a person holds 100+ actions, enough for every rule.
 * - 'regular-gaps' (score rule): burstiness of the gaps between consecutive actions
 *   (Goh & Barabási, EPL 81:48002, 2008), in the finite-size form of Kim & Jo (PRE 94:032311,
 *   2016): A_n = (√(n+1)·r − √(n−1)) / ((√(n+1) − 2)·r + √(n−1)), r = σ/μ of the n gaps
 *   (population σ). People work in bursts (A_n > 0), a Poisson stream gives A_n ≈ 0, a timer
 *   gives −1. Fires when n ≥ 30 gaps and A_n ≤ −0.5. The evidence gives the actor's percentile
 *   of A_n among its peers in the same week (the other actors of its org with enough gaps, or
 *   of its platform when the org has fewer than 5).
 * - 'modal-gap' (score rule): share of gaps within ±1 s of the modal gap (gaps rounded to whole
 *   seconds); fires at ≥ 50 % over n ≥ 30 gaps: a person does not repeat the same pause.
 * - 'second-heaping': second-of-minute of the timestamps. With n ≥ 100 timestamps, an exact
 *   test on the busiest second (H0: seconds uniform, as for any human clock time): M = the
 *   largest count of one second, p = min(1, 60 · P(Binomial(n, 1/60) ≥ M)) — the binomial tail
 *   is exact, the factor 60 (Bonferroni over the seconds) makes it conservative, and nearly
 *   exact where p is small. Fires when q ≤ 0.01 and one second holds ≥ 3× its fair share
 *   (1/20 of the events) or ≥ 50 % fall on :00. Not Pearson's χ² over the 60 seconds, as
 *   before: at n of a few hundred, 2–5 expected per second, an omnibus χ² reacts to any
 *   unevenness of honest clock times (on the simulator, an honest actor with 144 timestamps,
 *   busiest second 10, had χ² = 112.7 on 59 df, p = 3·10⁻⁵, q = 0.009: a false finding),
 *   while heaping is one second standing out, which is what the busiest-second test measures
 *   (the same actor: p = 0.010, and q ≥ p, so no finding). Measured on 3,213 honest simulated
 *   actor-weeks: 18 with p < 0.01 (a valid test allows 32), none below 4·10⁻⁵ (the script's
 *   weeks: 5·10⁻¹⁰ to 4·10⁻⁹). The price: a script whose second drifts (every 120 s ± 1 s)
 *   spreads over a band of seconds, which the χ² saw and the busiest second sees less (on the
 *   5.3 M-event bench, one such week: 14 of 171 on one second, p = 8·10⁻⁵, no longer a
 *   finding); the gap rules flag that week (modal gap 100 %, A_n = −0.99).
 *   χ² stays in the statistics as a description; score = the busiest second's share × 60
 *   (times its fair share). With 30 ≤ n < 100 it is a score rule: ≥ 50 % on :00 (score = the
 *   :00 share). Not judged (effect never met) when the actor's platform puts ≥ 50 % of all its
 *   timestamps of the week on :00 — it records minutes only, which says nothing about the actor.
 *
 * Gaps over 8 h are left out: they separate working sessions, not actions. Accounts with role
 * 'system' are left out: automation is their job. Gaps are taken by occurredAt after sorting,
 * so the order of observation does not matter.
 *
 * Memory: at most 4096 (option maxTimestampsPerActorWeek) latest timestamps per actor and week
 * (the store holds up to twice that between trims), 8 bytes each (LatestTimes); 4096 is ten
 * times a busy person's week, a script beyond it is judged on its last 4096 actions. Replays
 * are dropped by the engine before they get here (Detector contract).
 * Records older than 400 days (option retentionDays) before the latest day seen are dropped, as
 * in the other detectors (RetentionWindow); a week reaching back past that cutoff is not judged.
 * Weeks are judged once they have ended (asOf).
 */
import { RetentionWindow } from '../retention.js';
import { binomialSf } from '../stats/index.js';
import { DEFAULT_UTC_OFFSET_MINUTES, dayNumberToIso, isoWeekday, localDayNumber } from '../time.js';
import type { Detector, EvaluateContext, Scope, TestOutcome, TraceRecord } from '../types.js';
import { ActorIndex } from './support/actor-index.js';
import { num, pct, prob, qSuffix } from './support/format.js';
import { LatestTimes } from './support/latest-records.js';
import { endedElsePending } from './support/periods.js';
import { compareText } from './support/scope-groups.js';

export interface MachineRegularTimingOptions {
  /** Latest timestamps kept per actor and week (memory bound). */
  maxTimestampsPerActorWeek: number;
  /** Gaps longer than this separate sessions and are left out (8 h: a night or a day off). */
  sessionBreakMs: number;
  /** Minimum number of in-session gaps for the gap rules (30: A_n and the mode are stable). */
  minGaps: number;
  /** regular-gaps fires at A_n at or below this (−0.5: halfway from Poisson to a timer). */
  maxBurstiness: number;
  /** modal-gap fires when at least this share of gaps is within the tolerance of the mode. */
  minModalShare: number;
  /** Tolerance around the modal gap (±1 s: clock granularity and scheduler jitter). */
  modalToleranceMs: number;
  /** Minimum timestamps for the busiest-second test (100: below it the :00 share rule only). */
  minHeapingTimestamps: number;
  /** Minimum timestamps for the :00 share rule below the χ² sample (same as minGaps). */
  minZeroSecondTimestamps: number;
  /** Share of timestamps on second :00 that is heaping on its own (50 % vs 1.7 % expected). */
  minZeroSecondShare: number;
  /** A second holding at least this share is heaped (1/20 = 3× the uniform 1/60). */
  minTopSecondShare: number;
  /** q-value level for the busiest-second test (0.01, as burst and backfill). */
  qThreshold: number;
  /** Fewer org peers than this: percentile among the platform's actors instead. */
  minOrgPeers: number;
  /**
   * Days of history kept before the latest day seen; older records are dropped, which bounds
   * memory over time (400: a year of months plus their baselines, as in the other detectors).
   */
  retentionDays: number;
  /** Local time as minutes east of UTC (480: Asia/Shanghai, UTC+8 without daylight saving since 1991). */
  utcOffsetMinutes: number;
}

export const DEFAULT_MACHINE_REGULAR_TIMING_OPTIONS: MachineRegularTimingOptions = {
  maxTimestampsPerActorWeek: 4096,
  sessionBreakMs: 8 * 3_600_000,
  minGaps: 30,
  maxBurstiness: -0.5,
  minModalShare: 0.5,
  modalToleranceMs: 1000,
  minHeapingTimestamps: 100,
  minZeroSecondTimestamps: 30,
  minZeroSecondShare: 0.5,
  minTopSecondShare: 1 / 20,
  qThreshold: 0.01,
  minOrgPeers: 5,
  retentionDays: 400,
  utcOffsetMinutes: DEFAULT_UTC_OFFSET_MINUTES,
};

/**
 * Kim & Jo's finite-size burstiness A_n of inter-event times (PRE 94:032311, 2016).
 *
 * With r = σ/μ (population standard deviation over mean of the n gaps),
 * A_n = (√(n+1)·r − √(n−1)) / ((√(n+1) − 2)·r + √(n−1)). It spans exactly [−1, 1] for n gaps:
 * −1 for equal gaps (r = 0), 1 for the most bursty n-sample (all but one gap zero, r = √(n−1)).
 *
 * @param gaps inter-event times (any unit), non-negative.
 * @returns A_n; −1 when every gap is 0 (all events at one instant: as regular as it gets);
 *   NaN for fewer than 3 gaps (√(n+1) − 2 ≤ 0 makes the form undefined).
 */
export function finiteSizeBurstiness(gaps: readonly number[]): number {
  const n = gaps.length;
  if (n < 3) return Number.NaN;
  const mean = gaps.reduce((s, g) => s + g, 0) / n;
  if (mean === 0) return -1;
  const variance = gaps.reduce((s, g) => s + (g - mean) ** 2, 0) / n;
  const r = Math.sqrt(variance) / mean;
  const a = Math.sqrt(n + 1);
  const b = Math.sqrt(n - 1);
  return (a * r - b) / ((a - 2) * r + b);
}

/**
 * The modal gap in whole seconds and the share of gaps within ±tolerance of it.
 *
 * @param gapsMs gaps in ms (non-empty).
 * @param toleranceMs half-width of the window around the mode.
 * @returns the mode (ms; ties go to the shorter gap) and the share in [0, 1].
 */
export function modalGapShare(gapsMs: readonly number[], toleranceMs: number): { modeMs: number; share: number } {
  const counts = new Map<number, number>();
  for (const g of gapsMs) {
    const s = Math.round(g / 1000);
    counts.set(s, (counts.get(s) ?? 0) + 1);
  }
  let mode = 0;
  let best = -1;
  for (const [s, c] of counts) {
    if (c > best || (c === best && s < mode)) {
      mode = s;
      best = c;
    }
  }
  const modeMs = mode * 1000;
  const near = gapsMs.filter((g) => Math.abs(g - modeMs) <= toleranceMs).length;
  return { modeMs, share: gapsMs.length === 0 ? 0 : near / gapsMs.length };
}

/**
 * Pearson's χ² of second-of-minute counts against 60 equal bins.
 *
 * @param counts 60 counts (index = second of minute).
 * @returns χ² = Σ (O − n/60)² / (n/60); 0 for no events.
 */
export function secondOfMinuteChiSquare(counts: readonly number[]): number {
  const n = counts.reduce((s, c) => s + c, 0);
  if (n === 0) return 0;
  const expected = n / 60;
  return counts.reduce((s, c) => s + (c - expected) ** 2 / expected, 0);
}

/**
 * p-value of the busiest of `bins` equally likely cells: the chance under uniform placement of
 * n events that some cell holds at least `top`, bounded by bins · P(Binomial(n, 1/bins) ≥ top)
 * (Bonferroni; the events "cell i ≥ top" are rare and nearly disjoint where p is small, so the
 * bound is then nearly exact).
 *
 * @param top the largest cell count, 0 ≤ top ≤ n.
 * @param n events, ≥ 0.
 * @param bins number of cells (60 seconds of a minute by default).
 * @returns the bound, capped at 1; 1 when top ≤ 0 or n = 0.
 */
export function busiestCellPValue(top: number, n: number, bins = 60): number {
  if (n === 0 || top <= 0) return 1;
  return Math.min(1, bins * binomialSf(top, n, 1 / bins));
}

/** Second of minute (0–59) of an instant; time zones shift by whole minutes, so UTC will do. */
function secondOfMinute(ms: number): number {
  return ((Math.floor(ms / 1000) % 60) + 60) % 60;
}

function pushTo(map: Map<string, number[]>, key: string, value: number): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
}

interface ActorWeek {
  platformId: string;
  orgId: string;
  actorId: string;
  /** Local day number of the week's Monday. */
  monday: number;
  stamps: LatestTimes;
}

/** One actor's weeks, and the week of its last record (records of an actor come in bursts). */
interface ActorWeeks {
  platformId: string;
  orgId: string;
  actorId: string;
  weeks: Map<number, ActorWeek>;
  last: ActorWeek | undefined;
}

interface ActorSummary {
  state: ActorWeek;
  scope: Scope;
  stamps: number[];
  gaps: number[];
  burstiness: number | null;
}

export function createMachineRegularTimingDetector(options: Partial<MachineRegularTimingOptions> = {}): Detector {
  const opts = { ...DEFAULT_MACHINE_REGULAR_TIMING_OPTIONS, ...options };
  const actors = new ActorIndex<ActorWeeks>();
  const retention = new RetentionWindow(opts.retentionDays);

  function actorOf(record: TraceRecord): ActorWeeks {
    let actor = actors.get(record.platformId, record.orgId, record.actorId);
    if (actor === undefined) {
      actor = {
        platformId: record.platformId,
        orgId: record.orgId,
        actorId: record.actorId,
        weeks: new Map(),
        last: undefined,
      };
      actors.add(record.platformId, record.orgId, record.actorId, actor);
    }
    return actor;
  }

  function observe(record: TraceRecord): void {
    if (record.actorRole === 'system') return;
    const day = localDayNumber(record.occurredAt, opts.utcOffsetMinutes);
    if (!retention.admit(day)) return;
    const monday = day - isoWeekday(day) + 1;
    const actor = actorOf(record);
    let state = actor.last !== undefined && actor.last.monday === monday ? actor.last : actor.weeks.get(monday);
    if (state === undefined) {
      state = {
        platformId: actor.platformId,
        orgId: actor.orgId,
        actorId: actor.actorId,
        monday,
        stamps: new LatestTimes(opts.maxTimestampsPerActorWeek),
      };
      actor.weeks.set(monday, state);
    }
    actor.last = state;
    state.stamps.add(record.occurredAt);
  }

  /** Drops an actor-week, and the actor when it has no week left. */
  function forget(week: ActorWeek): void {
    const actor = actors.get(week.platformId, week.orgId, week.actorId);
    if (actor === undefined) return;
    actor.weeks.delete(week.monday);
    if (actor.last === week) actor.last = undefined;
    if (actor.weeks.size === 0) actors.delete(week.platformId, week.orgId, week.actorId);
  }

  /** Every actor-week, week by week, then by platform, org and actor. */
  function weeksInOrder(): ActorWeek[] {
    // rank the actors once, then sort the (many more) weeks by numbers
    const ranked = [...actors.values()].sort(
      (a, b) =>
        compareText(a.platformId, b.platformId) || compareText(a.orgId, b.orgId) || compareText(a.actorId, b.actorId),
    );
    const weeks: { week: ActorWeek; rank: number }[] = [];
    ranked.forEach((actor, rank) => {
      for (const week of actor.weeks.values()) weeks.push({ week, rank });
    });
    return weeks.sort((a, b) => a.week.monday - b.week.monday || a.rank - b.rank).map((w) => w.week);
  }

  function summarize(state: ActorWeek): ActorSummary {
    const stamps = state.stamps.sorted();
    const gaps: number[] = [];
    for (let i = 1; i < stamps.length; i++) {
      const gap = stamps[i]! - stamps[i - 1]!;
      if (gap <= opts.sessionBreakMs) gaps.push(gap);
    }
    return {
      state,
      scope: { kind: 'actor', platformId: state.platformId, orgId: state.orgId, actorId: state.actorId },
      stamps,
      gaps,
      burstiness: gaps.length >= opts.minGaps ? finiteSizeBurstiness(gaps) : null,
    };
  }

  function evaluate(ctx: EvaluateContext): TestOutcome[] {
    const cutoff = retention.cutoff();
    const summaries: ActorSummary[] = [];
    for (const state of weeksInOrder()) {
      if (state.monday + 6 < cutoff) {
        forget(state); // wholly older than the retention window
        continue;
      }
      const period = { start: dayNumberToIso(state.monday), end: dayNumberToIso(state.monday + 6) };
      const scope: Scope = { kind: 'actor', platformId: state.platformId, orgId: state.orgId, actorId: state.actorId };
      if (
        state.monday < cutoff ||
        !endedElsePending(ctx, 'machine-regular-timing', scope, period, opts.utcOffsetMinutes)
      ) {
        continue;
      }
      summaries.push(summarize(state));
    }
    // Peers and the platform's clock are taken within the same week.
    const byOrg = new Map<string, number[]>();
    const byPlatform = new Map<string, number[]>();
    const platformSeconds = new Map<string, { zero: number; total: number }>();
    for (const s of summaries) {
      const platformKey = JSON.stringify([s.state.monday, s.state.platformId]);
      const seconds = platformSeconds.get(platformKey) ?? { zero: 0, total: 0 };
      for (const t of s.stamps) if (secondOfMinute(t) === 0) seconds.zero++;
      seconds.total += s.stamps.length;
      platformSeconds.set(platformKey, seconds);
      if (s.burstiness === null) continue;
      pushTo(byOrg, JSON.stringify([s.state.monday, s.state.platformId, s.state.orgId]), s.burstiness);
      pushTo(byPlatform, platformKey, s.burstiness);
    }

    const outcomes: TestOutcome[] = [];
    for (const s of summaries) {
      if (s.stamps.length < 2) continue;
      const period = { start: dayNumberToIso(s.state.monday), end: dayNumberToIso(s.state.monday + 6) };
      const platformKey = JSON.stringify([s.state.monday, s.state.platformId]);
      const who = {
        zh: `账号 ${s.state.actorId}（单位 ${s.state.orgId}）`,
        en: `actor ${s.state.actorId} (org ${s.state.orgId})`,
      };
      if (s.burstiness !== null) {
        const orgPeers = byOrg.get(JSON.stringify([s.state.monday, s.state.platformId, s.state.orgId]))!;
        const useOrg = orgPeers.length - 1 >= opts.minOrgPeers;
        const peers = useOrg ? orgPeers : byPlatform.get(platformKey)!;
        outcomes.push(regularGapsOutcome(s, s.burstiness, peers, useOrg ? 'org' : 'platform', period, who));
        outcomes.push(modalGapOutcome(s, period, who));
      }
      const platform = platformSeconds.get(platformKey)!;
      const heaping = heapingOutcome(s, platform.zero / platform.total, period, who);
      if (heaping !== null) outcomes.push(heaping);
    }
    return outcomes;
  }

  function regularGapsOutcome(
    s: ActorSummary,
    burstiness: number,
    peers: readonly number[],
    peerScope: 'org' | 'platform',
    period: TestOutcome['period'],
    who: { zh: string; en: string },
  ): TestOutcome {
    const n = s.gaps.length;
    const mean = s.gaps.reduce((a, g) => a + g, 0) / n;
    const sd = Math.sqrt(s.gaps.reduce((a, g) => a + (g - mean) ** 2, 0) / n);
    // Percentile among peers (self excluded), mid-rank for ties: 0 = most regular of all.
    const others = peers.length - 1;
    let below = 0;
    let equal = -1;
    for (const p of peers) {
      if (p < burstiness) below++;
      else if (p === burstiness) equal++;
    }
    const percentile = others > 0 ? (100 * (below + equal / 2)) / others : null;
    const peerText =
      percentile === null
        ? { zh: '没有可比较的同类账号。', en: 'There are no peers to compare with.' }
        : {
            zh: `在其${peerScope === 'org' ? '单位' : '平台'}的 ${others} 个可比账号中位于第 ${num(percentile, 2)} 百分位（越小越规则）。`,
            en: `Among ${others} comparable actors of its ${peerScope} it stands at percentile ${num(percentile, 2)} (lower = more regular).`,
          };
    return {
      detector: 'machine-regular-timing',
      rule: 'regular-gaps',
      scope: s.scope,
      period,
      pValue: null,
      qThreshold: 1,
      effectMet: burstiness <= opts.maxBurstiness,
      score: -burstiness,
      statistics: { burstiness, gaps: n, meanGapMs: mean, sdGapMs: sd },
      evidence: {
        peerPercentile: percentile,
        peerScope,
        peerCount: others,
        sessionBreakHours: opts.sessionBreakMs / 3_600_000,
        truncated: s.state.stamps.truncated,
      },
      explain: () => ({
        'zh-CN':
          `操作间隔规律性检验（Kim 与 Jo 的有限样本突发性系数 A_n）：${who.zh}在 ${period.start} 至 ${period.end} 的 ${n} 个操作间隔` +
          `（超过 ${opts.sessionBreakMs / 3_600_000} 小时的间隔视为下班，不计）平均 ${num(mean / 1000)} 秒，标准差 ${num(sd / 1000)} 秒，A_n = ${num(burstiness)}。` +
          `人工操作通常时快时慢（A_n 大于 0），随机发生约为 0，定时程序接近 −1；阈值为 A_n ≤ ${opts.maxBurstiness}。${peerText.zh}`,
        en:
          `Regularity of the gaps between actions (Kim & Jo finite-size burstiness A_n): ${who.en} had ${n} gaps between ` +
          `${period.start} and ${period.end} (gaps over ${opts.sessionBreakMs / 3_600_000} h count as breaks and are left out), ` +
          `mean ${num(mean / 1000)} s, standard deviation ${num(sd / 1000)} s, A_n = ${num(burstiness)}. People work in bursts ` +
          `(A_n above 0), random timing gives about 0, a timer gives −1; the threshold is A_n ≤ ${opts.maxBurstiness}. ${peerText.en}`,
      }),
    };
  }

  function modalGapOutcome(
    s: ActorSummary,
    period: TestOutcome['period'],
    who: { zh: string; en: string },
  ): TestOutcome {
    const { modeMs, share } = modalGapShare(s.gaps, opts.modalToleranceMs);
    const tol = opts.modalToleranceMs / 1000;
    return {
      detector: 'machine-regular-timing',
      rule: 'modal-gap',
      scope: s.scope,
      period,
      pValue: null,
      qThreshold: 1,
      effectMet: share >= opts.minModalShare,
      score: share,
      statistics: { modalGapMs: modeMs, modalShare: share, gaps: s.gaps.length },
      evidence: { toleranceMs: opts.modalToleranceMs, truncated: s.state.stamps.truncated },
      explain: () => ({
        'zh-CN':
          `固定间隔检验：${who.zh}的 ${s.gaps.length} 个操作间隔中，${pct(share)} 落在最常见间隔 ${num(modeMs / 1000)} 秒的 ±${tol} 秒内` +
          `（${period.start} 至 ${period.end}）。人工操作的停顿长短不一，很少有一半间隔相同；阈值为 ${pct(opts.minModalShare, 0)}。`,
        en:
          `Fixed-interval check: of ${s.gaps.length} gaps between actions of ${who.en}, ${pct(share)} lie within ±${tol} s of the ` +
          `most common gap, ${num(modeMs / 1000)} s (${period.start} to ${period.end}). People pause for varying times and ` +
          `rarely repeat one gap half the time; the threshold is ${pct(opts.minModalShare, 0)}.`,
      }),
    };
  }

  function heapingOutcome(
    s: ActorSummary,
    platformZeroShare: number,
    period: TestOutcome['period'],
    who: { zh: string; en: string },
  ): TestOutcome | null {
    const n = s.stamps.length;
    if (n < opts.minZeroSecondTimestamps) return null;
    const counts = new Array<number>(60).fill(0);
    for (const t of s.stamps) counts[secondOfMinute(t)]!++;
    const zeroShare = counts[0]! / n;
    let topSecond = 0;
    for (let i = 1; i < 60; i++) if (counts[i]! > counts[topSecond]!) topSecond = i;
    const topShare = counts[topSecond]! / n;
    const minuteClock = platformZeroShare >= opts.minZeroSecondShare;
    const tested = n >= opts.minHeapingTimestamps;
    const chiSquare = secondOfMinuteChiSquare(counts);
    const pValue = tested ? busiestCellPValue(counts[topSecond]!, n) : null;
    const heaped = zeroShare >= opts.minZeroSecondShare || (tested && topShare >= opts.minTopSecondShare);
    const statistics: Record<string, number> = {
      timestamps: n,
      zeroSecondShare: zeroShare,
      topSecond,
      topSecondShare: topShare,
    };
    if (tested) statistics.chiSquare = chiSquare;
    return {
      detector: 'machine-regular-timing',
      rule: 'second-heaping',
      scope: s.scope,
      period,
      pValue,
      qThreshold: tested ? opts.qThreshold : 1,
      effectMet: heaped && !minuteClock,
      score: tested ? topShare * 60 : zeroShare,
      statistics,
      evidence: {
        secondCounts: counts,
        platformZeroSecondShare: platformZeroShare,
        truncated: s.state.stamps.truncated,
      },
      explain: (q) => {
        const qs = qSuffix(q);
        const test = tested
          ? {
              zh: `按 60 个秒位等概率，最集中秒位达到 ${counts[topSecond]} 条的概率至多 p = ${prob(pValue!)}（二项分布精确尾概率 × 60）${qs.zh}。`,
              en: `If every second were equally likely, the chance that some second gets ${counts[topSecond]} or more is at most p = ${prob(pValue!)} (exact binomial tail × 60)${qs.en}. `,
            }
          : { zh: '', en: '' };
        const clock = minuteClock
          ? {
              zh: `但该平台全部记录中 ${pct(platformZeroShare)} 落在 00 秒，说明平台只记录到分钟，此项不作判断。`,
              en: `But ${pct(platformZeroShare)} of all this platform's timestamps fall on :00 — it records minutes only, so this is not judged.`,
            }
          : { zh: '', en: '' };
        return {
          'zh-CN':
            `时间戳秒位堆积检验：${who.zh}在 ${period.start} 至 ${period.end} 的 ${n} 条记录中，${pct(zeroShare)} 落在整分（00 秒），` +
            `最集中的秒位 ${topSecond} 占 ${pct(topShare)}；人工操作的秒数应均匀分布，每个秒位约占 1.7%。${test.zh}${clock.zh}`,
          en:
            `Heaping of timestamps on the clock: of ${n} actions of ${who.en} between ${period.start} and ${period.end}, ` +
            `${pct(zeroShare)} fall on second :00 and the busiest second (:${String(topSecond).padStart(2, '0')}) holds ` +
            `${pct(topShare)}; human actions spread evenly, about 1.7% per second. ${test.en}${clock.en}`,
        };
      },
    };
  }

  return { name: 'machine-regular-timing', observe, evaluate };
}
