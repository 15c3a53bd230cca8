/**
 * backfill (补录) — traces recorded long after the time they claim, piling up in a window.
 *
 * Test: one-sided binomial test, overdispersion-adjusted (quasi-binomial). Lag ℓ = recordedAt −
 * occurredAt; a trace is backfilled when ℓ > 24 h. For a unit and a recording window W (by
 * recorded local day), b of the n traces recorded in W are backfilled. p0 is the unit's
 * backfilled share over the 8 weeks (56 days) before W, Beta(1,1)-smoothed:
 * p0 = (b0 + 1)/(n0 + 2). p = P(X ≥ b | n, p0) with variance φ·n·p0·(1 − p0)
 * (`quasiBinomialSf`; φ = 1 is the exact binomial test of DETECTION.md).
 *
 * Why φ (a change from DETECTION.md's plain binomial): backfilled traces are not independent —
 * a clerk enters a week of paperwork in one sitting, a holiday leaves a pile to catch up on,
 * an outage delays units by different amounts — so the binomial test is anti-conservative on
 * honest units. φ is the Pearson χ²/df of the reference the window is compared with (floor 1):
 * of the unit's 8 baseline weeks around their pooled share, or, when compared with platform
 * peers, of the peers' shares in W. Measured on bench:quality (seed 20260; seeds 1, 2, 3 in the
 * README): false findings of this detector on clean unit-months went from 2 to 0 with recall
 * unchanged (see packages/detectors/README.md).
 *
 * Null hypothesis: in W the unit backfills at its own usual rate p0, with the week-to-week
 * clustering its own history (or its peers) shows.
 *
 * Windows (two rules): 'pre-evaluation' — the 7 recording days before each evaluation covering
 * the unit (same scope rules as burst-before-evaluation); 'weekly' — non-overlapping ISO weeks,
 * Monday to Sunday, by recording day (non-overlapping so the tests of one unit are nearly
 * independent and BH stays valid). A window is judged once it has ended (asOf ≥ its end).
 *
 * Hard negative — platform outage: when a platform's ingestion stalls every unit of it records
 * late at once, which is the platform's delay, not a unit's fabrication. If in W the *other*
 * units of the platform (at least `minPeerUnits` of them with traces in W) together backfill
 * at least `minRatio` × their own pooled 8-week share, with at least `minBackfilled` backfilled
 * traces, the unit is compared with them instead: p0 = their pooled share in W, Beta(1,1)-
 * smoothed — provided that at least half of those peer units (option minPeerShareBackfilling)
 * each backfill ≥ `minRatio` × their own 8-week share in W: an outage delays most units, while a
 * few units backfilling together before a platform-wide evaluation are not an outage (measured
 * on bench:quality seed 1: 4 fabricating units of one platform in the same pre-window made the
 * pooled peers look like an outage, and each was compared with the others and missed).
 * The evidence says which comparison was used ('own-history' or 'platform-peers').
 *
 * Finding: q ≤ 0.01, b ≥ 20 and b/n ≥ 2·p0 (DETECTION.md).
 *
 * Actor rules ('pre-evaluation-actor', 'weekly-actor', actor scope): one clerk who enters a pile
 * of back-dated traces in a big unit of honest colleagues is diluted in the unit's share (40 of
 * 2,000 traces moves a 2 % share to 4 %, and φ of a big unit's weeks can hide that); the same
 * one-sided quasi-binomial test is run on each actor's b_a of n_a traces recorded in W. H0: the
 * actor backfills no more than the unit's reference would allow: p0 = the largest of the unit's
 * p0 for W (its own history, or the platform peers during an outage), the smoothed share of the
 * actor's colleagues (the unit's other actors) in W, and the actor's own smoothed 8-week share
 * when that holds ≥ minBaselineCount traces (a clerk whose job is late entry is judged against
 * it). A unit-wide pile-up raises the colleagues' share, an outage the peers' share, so the
 * actor test adds findings only where one actor departs from everyone around it. φ = the larger
 * of the unit's φ and the Pearson χ²/df of the actor's own 8 baseline weeks (floor 1).
 * Minimum sample: the unit's window is tested, n_a ≥ minBackfilled and the colleagues recorded
 * ≥ minBaselineCount traces in W (else the actor is the unit, which its own test covers).
 * Multiple testing: the runner's Benjamini–Hochberg over all the detector's p-values takes in
 * every actor-window, and an actor's finding needs q ≤ actorQThreshold (0.001, as the other
 * detectors' actor tests: a detector's many true unit findings lower BH's bar for the whole
 * family), with the same effect rule (b_a ≥ 20, b_a/n_a ≥ 2·p0).
 *
 * Minimum sample (else no outcome): n ≥ `minBackfilled` (20; below it b ≥ 20 is impossible),
 * the 8-week history lies entirely within the unit's data (first recording day ≤ W's start − 56:
 * a unit importing its history when it joins is not judged against an empty past), and
 * n0 ≥ `minBaselineCount` (20) traces in it.
 *
 * Defaults and reasons: lagMs 24 h (DETECTION.md: a same-day entry is normal clerical work);
 * preWindowDays 7 (as burst-before-evaluation); baselineDays 56 (8 weeks, DETECTION.md);
 * qThreshold 0.01, minBackfilled 20, minRatio 2 (DETECTION.md); minBaselineCount 20 (keeps p0
 * from being mostly the prior); minPeerUnits 2 (one other unit is not "the platform");
 * retentionDays 400; utcOffsetMinutes 480.
 *
 * φ needs no minimum of its own: with fewer than 2 reference groups, or none backfilled, it is 1.
 *
 * The unit's 8-week reference leaves out the weeks in which the platform itself recorded late
 * (its other units together backfilling ≥ minRatio × their median weekly share of the 8 weeks,
 * ≥ minBackfilled traces: an outage's catch-up), while at least half of the weeks remain
 * (`evidence.excludedBaselineWeeks`): a platform's delay is not the unit's usual rate, and left
 * in it made p0 and φ so large that a real pile after an outage went unseen.
 *
 * Memory per unit: per retained recording day the trace count, the backfilled count and four
 * lag-bucket counts (1–2 d, 2–7 d, 7–30 d, > 30 d), and per actor active that day its trace and
 * backfilled counts. Bound: retentionDays × (units × 6 + actors active per day × 2) numbers.
 */
import { quantileSorted } from 'simple-statistics';
import { evaluationCoversOrg, evaluationStartDay } from '../evaluations.js';
import { formatCount, formatPercent, formatProbability } from '../format.js';
import { dayRange, pruneDays, RetentionWindow } from '../retention.js';
import { binomialOverdispersion, quasiBinomialSf } from '../stats/quasi-binomial.js';
import { DEFAULT_UTC_OFFSET_MINUTES, dayNumberToIso, isoWeekday, localDayNumber } from '../time.js';
import type { Detector, EvaluateContext, Localized, TestOutcome, TraceRecord } from '../types.js';
import { UnitIndex } from './support/unit-index.js';

export interface BackfillOptions {
  lagMs: number;
  preWindowDays: number;
  baselineDays: number;
  qThreshold: number;
  minBackfilled: number;
  minRatio: number;
  minBaselineCount: number;
  minPeerUnits: number;
  /** The outage comparison needs at least this share of the peer units with data to be backfilling. */
  minPeerShareBackfilling: number;
  /** q-value level of the actor-window tests (see the module comment). */
  actorQThreshold: number;
  retentionDays: number;
  utcOffsetMinutes: number;
}

export const BACKFILL_DEFAULTS: BackfillOptions = {
  lagMs: 24 * 3_600_000,
  preWindowDays: 7,
  baselineDays: 56,
  qThreshold: 0.01,
  minBackfilled: 20,
  minRatio: 2,
  minBaselineCount: 20,
  minPeerUnits: 2,
  minPeerShareBackfilling: 0.5,
  actorQThreshold: 0.001,
  retentionDays: 400,
  utcOffsetMinutes: DEFAULT_UTC_OFFSET_MINUTES,
};

const DAY_MS = 86_400_000;
/** Upper bounds (exclusive) of the lag buckets after the first day, in days. */
const LAG_BUCKETS = [2, 7, 30, Number.POSITIVE_INFINITY] as const;
const LAG_BUCKET_NAMES = ['1-2d', '2-7d', '7-30d', '>30d'] as const;

interface DayCell {
  n: number;
  b: number;
  lagBuckets: [number, number, number, number];
  /** actor → [recorded, backfilled] */
  actors: Map<string, [number, number]>;
}

interface UnitState {
  platformId: string;
  orgId: string;
  days: Map<number, DayCell>;
}

interface Counts {
  n: number;
  b: number;
}

interface Window {
  rule: 'pre-evaluation' | 'weekly';
  first: number;
  last: number;
  evaluationIds: string[];
}

function sum(unit: UnitState, first: number, last: number): Counts {
  let n = 0;
  let b = 0;
  for (let day = first; day <= last; day++) {
    const cell = unit.days.get(day);
    if (cell) {
      n += cell.n;
      b += cell.b;
    }
  }
  return { n, b };
}

/** Creates the backfill detector (see the module comment for the method). */
export function createBackfillDetector(options: Partial<BackfillOptions> = {}): Detector {
  const o: BackfillOptions = { ...BACKFILL_DEFAULTS, ...options };
  const retention = new RetentionWindow(o.retentionDays);
  const units = new UnitIndex<UnitState>();
  const newUnit = (platformId: string, orgId: string): UnitState => ({ platformId, orgId, days: new Map() });

  function observe(r: TraceRecord): void {
    const day = localDayNumber(r.recordedAt, o.utcOffsetMinutes);
    if (!retention.admit(day)) return;
    const unit = units.getOrAdd(r.platformId, r.orgId, newUnit);
    let cell = unit.days.get(day);
    if (!cell) {
      cell = { n: 0, b: 0, lagBuckets: [0, 0, 0, 0], actors: new Map() };
      unit.days.set(day, cell);
    }
    cell.n += 1;
    let actor = cell.actors.get(r.actorId);
    if (actor === undefined) {
      actor = [0, 0];
      cell.actors.set(r.actorId, actor);
    }
    actor[0] += 1;
    const lag = r.recordedAt - r.occurredAt;
    if (lag > o.lagMs) {
      cell.b += 1;
      actor[1] += 1;
      let bucket = 0;
      while (lag >= LAG_BUCKETS[bucket]! * DAY_MS) bucket++;
      cell.lagBuckets[bucket] = cell.lagBuckets[bucket]! + 1;
    }
  }

  /** The unit's windows that have ended by lastComplete; the others with data go to ctx.onPending. */
  function windowsFor(
    unit: UnitState,
    ctx: EvaluateContext,
    firstDay: number,
    unitLastDay: number,
    lastComplete: number,
  ): Window[] {
    const windows: Window[] = [];
    const byStart = new Map<number, string[]>();
    for (const e of ctx.evaluations) {
      if (!evaluationCoversOrg(e, unit.platformId, unit.orgId)) continue;
      const start = evaluationStartDay(e, o.utcOffsetMinutes);
      byStart.set(start, [...(byStart.get(start) ?? []), e.id].sort());
    }
    for (const [start, ids] of [...byStart].sort((a, b) => a[0] - b[0])) {
      windows.push({ rule: 'pre-evaluation', first: start - o.preWindowDays, last: start - 1, evaluationIds: ids });
    }
    // ISO weeks: the first Monday on or after the first day with a full baseline
    let monday = firstDay + o.baselineDays;
    monday += (8 - isoWeekday(monday)) % 7;
    for (; monday + 6 <= lastComplete || monday <= unitLastDay; monday += 7) {
      windows.push({ rule: 'weekly', first: monday, last: monday + 6, evaluationIds: [] });
    }
    const ended = windows.filter((w) => w.last <= lastComplete);
    const scope = { kind: 'org' as const, platformId: unit.platformId, orgId: unit.orgId };
    for (const w of windows) {
      if (w.last > lastComplete && w.first <= unitLastDay) {
        ctx.onPending?.({
          detector: 'backfill',
          scope,
          period: { start: dayNumberToIso(w.first), end: dayNumberToIso(w.last) },
        });
      }
    }
    return ended;
  }

  function evaluate(ctx: EvaluateContext): TestOutcome[] {
    const cutoff = retention.cutoff();
    for (const unit of units.values()) pruneDays(unit.days, cutoff);
    // last recording day that has fully ended by asOf
    const lastComplete = localDayNumber(ctx.asOf, o.utcOffsetMinutes) - 1;
    const ordered = units.inKeyOrder();
    const byPlatform = new Map<string, UnitState[]>();
    for (const [, unit] of ordered) {
      byPlatform.set(unit.platformId, [...(byPlatform.get(unit.platformId) ?? []), unit]);
    }
    // every unit of a platform pooled per recording day: the peers of a unit are that minus the unit
    const platformDays = new Map<string, Map<number, Counts>>();
    for (const [platformId, list] of byPlatform) {
      const days = new Map<number, Counts>();
      for (const unit of list) {
        for (const [day, cell] of unit.days) {
          const c = days.get(day) ?? { n: 0, b: 0 };
          c.n += cell.n;
          c.b += cell.b;
          days.set(day, c);
        }
      }
      platformDays.set(platformId, days);
    }
    const outcomes: TestOutcome[] = [];
    for (const [, unit] of ordered) {
      const span = dayRange(unit.days);
      if (!span) continue;
      const peers = (byPlatform.get(unit.platformId) ?? []).filter((u) => u !== unit);
      const pooled = platformDays.get(unit.platformId)!;
      for (const window of windowsFor(unit, ctx, span.first, span.last, lastComplete)) {
        const outcome = testWindow(unit, span.first, window, peers, pooled);
        if (outcome) outcomes.push(outcome, ...actorOutcomes(unit, window, outcome));
      }
    }
    return outcomes;
  }

  /**
   * The baseline weeks in which the platform itself was recording late (an outage's catch-up):
   * the unit's other peers together backfill ≥ minRatio × their median weekly share over the
   * baseline, with ≥ minBackfilled backfilled traces. Such a week is the platform's delay, not
   * the unit's habit, and left in the reference it inflates p0 and φ (measured on bench:quality
   * seed 2: a 10-day outage in the baseline gave φ = 453, and a pile of 444 back-dated traces,
   * 28 % of the window against the unit's usual 1 %, had p = 0.22).
   */
  function platformDelayWeeks(
    unit: UnitState,
    baseFirst: number,
    peers: number,
    pooled: Map<number, Counts>,
  ): boolean[] {
    const weeks = Math.floor(o.baselineDays / 7);
    const others = Array.from({ length: weeks }, (_, k) => {
      const c = { n: 0, b: 0 };
      for (let day = baseFirst + 7 * k; day <= baseFirst + 7 * k + 6; day++) {
        const all = pooled.get(day);
        const own = unit.days.get(day);
        c.n += (all?.n ?? 0) - (own?.n ?? 0);
        c.b += (all?.b ?? 0) - (own?.b ?? 0);
      }
      return c;
    });
    const shares = others.filter((c) => c.n > 0).map((c) => c.b / c.n);
    if (peers < o.minPeerUnits || shares.length === 0) return others.map(() => false);
    const median = quantileSorted(
      [...shares].sort((x, y) => x - y),
      0.5,
    );
    return others.map((c) => c.b >= o.minBackfilled && c.b / c.n >= o.minRatio * median);
  }

  function testWindow(
    unit: UnitState,
    firstDay: number,
    w: Window,
    peers: readonly UnitState[],
    pooled: Map<number, Counts>,
  ): TestOutcome | null {
    const baseFirst = w.first - o.baselineDays;
    const baseLast = w.first - 1;
    if (firstDay > baseFirst) return null;
    const { n, b } = sum(unit, w.first, w.last);
    const allWeeks = Array.from({ length: Math.floor(o.baselineDays / 7) }, (_, k) =>
      sum(unit, baseFirst + 7 * k, baseFirst + 7 * k + 6),
    );
    const delayed = platformDelayWeeks(unit, baseFirst, peers.length, pooled);
    // the weeks the platform delayed are left out, while at least half of the baseline remains
    const keep =
      delayed.filter((d) => !d).length * 2 >= delayed.length ? delayed.map((d) => !d) : delayed.map(() => true);
    const baseWeeks = allWeeks.filter((_, k) => keep[k]);
    const base = baseWeeks.reduce((t, c) => ({ n: t.n + c.n, b: t.b + c.b }), { n: 0, b: 0 });
    const excludedBaselineWeeks = allWeeks.flatMap((_, k) => (keep[k] ? [] : [dayNumberToIso(baseFirst + 7 * k)]));
    if (n < o.minBackfilled || base.n < o.minBaselineCount) return null;

    // the platform's other units in the same window: an outage shows in all of them
    let peerUnitsWithData = 0;
    let peerUnitsBackfilling = 0;
    const peerWindow: Counts = { n: 0, b: 0 };
    const peerBase: Counts = { n: 0, b: 0 };
    for (const peer of peers) {
      const pw = sum(peer, w.first, w.last);
      const pb = sum(peer, baseFirst, baseLast);
      if (pw.n > 0) peerUnitsWithData += 1;
      if (pw.n > 0 && pw.b / pw.n >= o.minRatio * ((pb.b + 1) / (pb.n + 2))) peerUnitsBackfilling += 1;
      peerWindow.n += pw.n;
      peerWindow.b += pw.b;
      peerBase.n += pb.n;
      peerBase.b += pb.b;
    }
    const peerP0 = (peerBase.b + 1) / (peerBase.n + 2);
    const peerShare = (peerWindow.b + 1) / (peerWindow.n + 2);
    const platformBackfilling =
      peerUnitsWithData >= o.minPeerUnits &&
      peerUnitsBackfilling >= o.minPeerShareBackfilling * peerUnitsWithData &&
      peerWindow.b >= o.minBackfilled &&
      peerWindow.b / peerWindow.n >= o.minRatio * peerP0;
    const ownP0 = (base.b + 1) / (base.n + 2);
    const p0 = platformBackfilling ? peerShare : ownP0;
    const comparison = platformBackfilling ? 'platform-peers' : 'own-history';
    const reference = platformBackfilling ? peers.map((peer) => sum(peer, w.first, w.last)) : baseWeeks;
    const measured = binomialOverdispersion(reference).phi;
    const phi = Number.isNaN(measured) ? 1 : Math.max(measured, 1); // nothing to measure, or under-dispersed: 1
    const share = b / n;
    const pValue = quasiBinomialSf(b, n, p0, phi);

    const lagBuckets = [0, 0, 0, 0];
    const series: { day: string; recorded: number; backfilled: number; window: 'baseline' | 'window' }[] = [];
    for (let day = baseFirst; day <= w.last; day++) {
      const cell = unit.days.get(day);
      if (day >= w.first && cell) for (let i = 0; i < 4; i++) lagBuckets[i]! += cell.lagBuckets[i]!;
      series.push({
        day: dayNumberToIso(day),
        recorded: cell?.n ?? 0,
        backfilled: cell?.b ?? 0,
        window: day >= w.first ? 'window' : 'baseline',
      });
    }
    const period = { start: dayNumberToIso(w.first), end: dayNumberToIso(w.last) };
    const explain = (q: number | null): Localized => {
      const stat = `${formatProbability('p', pValue)}, ${formatProbability('q', q)}`;
      const phiText = phi.toFixed(2);
      const windowZh =
        w.rule === 'pre-evaluation'
          ? `评估（${w.evaluationIds.join('、')}）前${o.preWindowDays}天`
          : `${period.start}至${period.end}这一周`;
      const windowEn =
        w.rule === 'pre-evaluation'
          ? `the ${o.preWindowDays} days before evaluation ${w.evaluationIds.join(', ')}`
          : `the week ${period.start} to ${period.end}`;
      const normalZh = platformBackfilling
        ? `同期本平台其他单位因平台延迟普遍补录，其补录比例为${formatPercent(peerShare)}，故以此为比较基准`
        : `该单位此前8周的补录比例为${formatPercent(ownP0)}`;
      const normalEn = platformBackfilling
        ? `the platform's other units were all recording late in the same window (a platform delay), so their share ${formatPercent(peerShare)} is the comparison`
        : `the unit's own share over the previous 8 weeks was ${formatPercent(ownP0)}`;
      return {
        'zh-CN':
          `${windowZh}，单位${unit.orgId}记录的${formatCount(n)}条活动中有${formatCount(b)}条为补录（记录时间比声称的发生时间晚24小时以上），占${formatPercent(share)}；` +
          `${normalZh}（二项检验，按离散度 φ=${phiText} 校正，${stat}）。判定阈值：补录至少${o.minBackfilled}条、比例至少为基准的${o.minRatio}倍、q≤${o.qThreshold}。`,
        en:
          `In ${windowEn}, ${formatCount(b)} of the ${formatCount(n)} traces unit ${unit.orgId} recorded were backfilled (recorded more than 24 h after the time they claim), ${formatPercent(share)}; ` +
          `${normalEn} (binomial test adjusted for overdispersion φ = ${phiText}, ${stat}). A finding needs at least ${o.minBackfilled} backfilled traces, at least ${o.minRatio}× the reference share and q≤${o.qThreshold}.`,
      };
    };
    return {
      detector: 'backfill',
      rule: w.rule,
      scope: { kind: 'org', platformId: unit.platformId, orgId: unit.orgId },
      period,
      pValue,
      qThreshold: o.qThreshold,
      effectMet: b >= o.minBackfilled && share >= o.minRatio * p0,
      score: share / p0,
      statistics: {
        recorded: n,
        backfilled: b,
        share,
        p0,
        baselineRecorded: base.n,
        baselineBackfilled: base.b,
        peerShare: peerWindow.n > 0 ? peerWindow.b / peerWindow.n : 0,
        peerBaselineShare: peerP0,
        phi,
      },
      evidence: {
        comparison,
        evaluationIds: w.evaluationIds,
        baseline: { start: dayNumberToIso(baseFirst), end: dayNumberToIso(baseLast) },
        excludedBaselineWeeks,
        peerUnitsWithData,
        lagBuckets: Object.fromEntries(LAG_BUCKET_NAMES.map((name, i) => [name, lagBuckets[i]])),
        series,
      },
      explain,
    };
  }

  /** Each actor's test in a window whose unit was tested (see the module comment). */
  function actorOutcomes(unit: UnitState, w: Window, unitOutcome: TestOutcome): TestOutcome[] {
    const baseFirst = w.first - o.baselineDays;
    const weeks = Math.floor(o.baselineDays / 7);
    const inWindow = new Map<string, Counts>();
    const baseline = new Map<string, Counts[]>();
    for (let day = baseFirst; day <= w.last; day++) {
      const cell = unit.days.get(day);
      if (!cell) continue;
      for (const [actorId, [n, b]] of cell.actors) {
        if (day >= w.first) {
          const c = inWindow.get(actorId) ?? { n: 0, b: 0 };
          c.n += n;
          c.b += b;
          inWindow.set(actorId, c);
        } else {
          let byWeek = baseline.get(actorId);
          if (byWeek === undefined) {
            byWeek = Array.from({ length: weeks }, () => ({ n: 0, b: 0 }));
            baseline.set(actorId, byWeek);
          }
          const week = byWeek[Math.min(weeks - 1, Math.floor((day - baseFirst) / 7))]!;
          week.n += n;
          week.b += b;
        }
      }
    }
    const unitN = unitOutcome.statistics.recorded as number;
    const unitB = unitOutcome.statistics.backfilled as number;
    const unitP0 = unitOutcome.statistics.p0 as number;
    const unitPhi = unitOutcome.statistics.phi as number;
    const outcomes: TestOutcome[] = [];
    for (const actorId of [...inWindow.keys()].sort()) {
      const { n, b } = inWindow.get(actorId)!;
      const colleagues = { n: unitN - n, b: unitB - b };
      if (n < o.minBackfilled || colleagues.n < o.minBaselineCount) continue;
      const excluded = new Set(unitOutcome.evidence.excludedBaselineWeeks as string[]);
      const weeksOwn = (baseline.get(actorId) ?? []).filter((_, k) => !excluded.has(dayNumberToIso(baseFirst + 7 * k)));
      const own = weeksOwn.reduce((t, c) => ({ n: t.n + c.n, b: t.b + c.b }), { n: 0, b: 0 });
      const references = [
        { source: 'unit' as const, p0: unitP0 },
        { source: 'colleagues' as const, p0: (colleagues.b + 1) / (colleagues.n + 2) },
        ...(own.n >= o.minBaselineCount ? [{ source: 'own-history' as const, p0: (own.b + 1) / (own.n + 2) }] : []),
      ];
      const reference = references.reduce((best, r) => (r.p0 > best.p0 ? r : best));
      const measured = binomialOverdispersion(weeksOwn).phi;
      const phi = Math.max(unitPhi, Number.isNaN(measured) ? 1 : measured, 1);
      const share = b / n;
      const p0 = reference.p0;
      const pValue = quasiBinomialSf(b, n, p0, phi);
      const period = unitOutcome.period;
      const explain = (q: number | null): Localized => {
        const stat = `${formatProbability('p', pValue)}, ${formatProbability('q', q)}`;
        const referenceZh = {
          unit: `该单位本窗口的基准比例 ${formatPercent(p0)}`,
          colleagues: `同单位其他账号同期的补录比例 ${formatPercent(p0)}`,
          'own-history': `该账号此前8周的补录比例 ${formatPercent(p0)}`,
        }[reference.source];
        const referenceEn = {
          unit: `the unit's reference share for this window, ${formatPercent(p0)}`,
          colleagues: `the share of the actor's colleagues in the same window, ${formatPercent(p0)}`,
          'own-history': `the actor's own share over the previous 8 weeks, ${formatPercent(p0)}`,
        }[reference.source];
        return {
          'zh-CN':
            `${period.start}至${period.end}，单位${unit.orgId}的账号${actorId}记录的${formatCount(n)}条活动中有${formatCount(b)}条为补录` +
            `（记录时间比声称的发生时间晚24小时以上），占${formatPercent(share)}；对照${referenceZh}（取各基准中最高者；` +
            `二项检验，按离散度 φ=${phi.toFixed(2)} 校正，${stat}）。判定阈值：补录至少${o.minBackfilled}条、比例至少为基准的${o.minRatio}倍、q≤${o.actorQThreshold}。`,
          en:
            `From ${period.start} to ${period.end}, ${formatCount(b)} of the ${formatCount(n)} traces actor ${actorId} of unit ${unit.orgId} recorded were backfilled ` +
            `(recorded more than 24 h after the time they claim), ${formatPercent(share)}, against ${referenceEn} (the highest of the references; ` +
            `binomial test adjusted for overdispersion φ = ${phi.toFixed(2)}, ${stat}). A finding needs at least ${o.minBackfilled} backfilled traces, at least ${o.minRatio}× the reference share and q≤${o.actorQThreshold}.`,
        };
      };
      outcomes.push({
        detector: 'backfill',
        rule: `${w.rule}-actor`,
        scope: { kind: 'actor', platformId: unit.platformId, orgId: unit.orgId, actorId },
        period,
        pValue,
        qThreshold: o.actorQThreshold,
        effectMet: b >= o.minBackfilled && share >= o.minRatio * p0,
        score: share / p0,
        statistics: {
          recorded: n,
          backfilled: b,
          share,
          p0,
          colleaguesRecorded: colleagues.n,
          colleaguesBackfilled: colleagues.b,
          baselineRecorded: own.n,
          baselineBackfilled: own.b,
          phi,
        },
        evidence: {
          reference: reference.source,
          evaluationIds: w.evaluationIds,
          unitComparison: unitOutcome.evidence.comparison,
        },
        explain,
      });
    }
    return outcomes;
  }

  return { name: 'backfill', observe, evaluate };
}
