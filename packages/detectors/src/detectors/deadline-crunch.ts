/**
 * deadline crunch — task completions piled into the last moments before the deadline, or
 * completed in batches faster than anyone can work (tasks with impossible deadlines, faked).
 *
 * A completion is a trace with taskId, assignedAt and deadline (of the configured actions;
 * default any action), one per task: the latest trace of the task. Its position is
 * p = (occurredAt − assignedAt) / (deadline − assignedAt): 0 at assignment, 1 at the deadline.
 * Rules, per calendar month of the completion (local days):
 * - 'last-moment' (org scope): k of n completions have 0.95 ≤ p ≤ 1. H0: the org completes in
 *   the last 5 % of the allowed time no more often than it used to. p0 = the org's own share
 *   over all previous months when they hold ≥ 50 completions, else the pooled share of the
 *   platform's other orgs (all months; ≥ 50 completions), Beta(1,1)-smoothed:
 *   p0 = (k0 + 1) / (n0 + 2) — raised to the share of the platform's other orgs in the same
 *   month when that is larger (≥ 50 completions): a calendar effect that makes everyone finish
 *   late (the surge after Spring Festival; measured on the simulator: a false finding at
 *   11 % against an own January of 2.6 %) is not one org's fabrication, as for backfill.
 *   One-sided binomial test P(X ≥ k | n, p0). Finding when q ≤ 0.01,
 *   k ≥ 10 and k/n ≥ 2·p0. Minimum sample n ≥ 30 and a baseline as above (else not tested).
 *   Late completions (p > 1) count in n, not in k.
 * - 'last-moment-actor' (actor scope): the same test on one actor's completions in the month
 *   (n ≥ 20, option minActorCompletions), against p0 = the larger of the org's p0 above and the
 *   smoothed share of the actor's colleagues (the org's other actors) in the same month, when
 *   those hold ≥ 50 completions — else not tested. One actor who closes everything at the last
 *   moment inside a punctual unit is diluted in the org's share (20 of 200 completions moves it
 *   from 5 % to 10 % at most); against colleagues it is not. A whole unit in a crunch raises the
 *   colleagues' share, so the actor test stays with the org's finding. Multiple testing: the
 *   runner's Benjamini–Hochberg over all the detector's p-values takes in every actor-month.
 *   Finding when q ≤ 0.001 (actorQThreshold) and the same effect rule (k ≥ 10, k/n ≥ 2·p0).
 * - 'deadline-design' (platform scope, score rule; 任务时限过于抢时间): per platform and month, the
 *   units with ≥ 30 completions whose share finished in the last 5 % of the allowed time or late
 *   is ≥ 50 % (option crunchedUnitShare). When at least 3 units qualify and at least half of
 *   them are crunched (option minCrunchedUnits), the deadline design is the problem, not the
 *   units: the finding is about the platform, and the units' own last-moment outcomes of that
 *   month say so in their evidence (`deadlineDesign`) and explanation. (Task types are not in the
 *   trace schema yet; the platform is the finest grouping.) No p-value: the question is how the
 *   platform's units as a whole finish, not whether one unit departs from a share.
 * - 'batch-completion' (actor scope, score rule): the most completions by one actor within any
 *   60 s; fires at ≥ 10 (DETECTION.md: nobody closes ten real tasks in a minute). Performed for
 *   actors with ≥ 10 completions in the month.
 *
 * Memory: at most 100,000 (option maxTasksPerOrg) latest completed tasks per org; a replayed
 * event counts once. Months are judged once they have ended. Records older than 400 days
 * (option retentionDays) before the latest day seen are dropped, and a month reaching back past
 * that cutoff is no longer judged.
 */

import { RetentionWindow } from '../retention.js';
import { binomialSf } from '../stats/index.js';
import { DEFAULT_UTC_OFFSET_MINUTES, localDayNumber } from '../time.js';
import type { Detector, EvaluateContext, Period, Scope, TestOutcome, TraceRecord } from '../types.js';
import { pct, prob, qSuffix } from './support/format.js';
import { KeepHighest } from './support/keep-highest.js';
import { endedElsePending, monthOfDay, monthPeriod, startsBefore } from './support/periods.js';

export interface DeadlineCrunchOptions {
  /** Actions that complete a task; null = any trace with taskId, assignedAt and deadline. */
  completionActions: readonly string[] | null;
  /** Position from which a completion is "last moment". */
  lastMomentPosition: number;
  /** Minimum completions of the org in the month. */
  minCompletions: number;
  /** Minimum completions of an actor in the month for its own last-moment test. */
  minActorCompletions: number;
  /** Minimum completions in the baseline (own history, else the platform's other orgs). */
  minBaseline: number;
  /** last-moment effect: at least this many … */
  minLastMoment: number;
  /** … and a share at least this multiple of p0. */
  minShareRatio: number;
  /** deadline-design: a unit is crunched when this share of its completions is last-moment or late … */
  crunchedUnitShare: number;
  /** … and the rule fires when at least this share of the platform's units (≥ 3) are crunched. */
  minCrunchedUnits: number;
  /** Batch window. */
  batchWindowMs: number;
  /** Completions within the window that make a batch. */
  minBatch: number;
  /** q-value level for last-moment (0.01, as burst and backfill). */
  qThreshold: number;
  /**
   * q-value level for the actor-month tests (0.001): they are many (~20,000 actor-months a year
   * for 240 units), and under BH a detector's many true org findings lower the bar for every other
   * test of the family, so at 0.01 an honest actor's rare month passed (measured on bench:quality:
   * 23 of 84 values on multiples of 10, p = 1.3e-5, q = 0.0026); a tenth of the org level keeps
   * the actor tests as a safety net for one actor among honest colleagues.
   */
  actorQThreshold: number;
  /** Latest completed tasks kept per org (memory bound). */
  maxTasksPerOrg: number;
  /**
   * Days of history kept before the latest day seen; older records are dropped, which bounds
   * memory over time (400: a year of months plus their baselines, as in the other detectors).
   */
  retentionDays: number;
  /** Local time as minutes east of UTC (480: Asia/Shanghai, UTC+8 without daylight saving since 1991). */
  utcOffsetMinutes: number;
}

export const DEFAULT_DEADLINE_CRUNCH_OPTIONS: DeadlineCrunchOptions = {
  completionActions: null,
  lastMomentPosition: 0.95,
  minCompletions: 30,
  minActorCompletions: 20,
  minBaseline: 50,
  minLastMoment: 10,
  minShareRatio: 2,
  crunchedUnitShare: 0.5,
  minCrunchedUnits: 0.5,
  batchWindowMs: 60_000,
  minBatch: 10,
  qThreshold: 0.01,
  actorQThreshold: 0.001,
  maxTasksPerOrg: 100_000,
  retentionDays: 400,
  utcOffsetMinutes: DEFAULT_UTC_OFFSET_MINUTES,
};

/**
 * Position of a completion in the allowed time.
 *
 * @returns (completedAt − assignedAt) / (deadline − assignedAt); NaN when deadline ≤ assignedAt.
 */
export function deadlinePosition(completedAt: number, assignedAt: number, deadline: number): number {
  if (!(deadline > assignedAt)) return Number.NaN;
  return (completedAt - assignedAt) / (deadline - assignedAt);
}

/**
 * The largest number of instants within any window of `windowMs` (both ends included).
 *
 * @param times instants sorted ascending.
 * @returns the count and the index of the window's first instant (0 and −1 for no instants).
 */
export function maxInWindow(times: readonly number[], windowMs: number): { count: number; start: number } {
  let best = 0;
  let bestStart = -1;
  let first = 0;
  for (let last = 0; last < times.length; last++) {
    while (times[last]! - times[first]! > windowMs) first++;
    if (last - first + 1 > best) {
      best = last - first + 1;
      bestStart = first;
    }
  }
  return { count: best, start: bestStart };
}

/** Completions behind a reference share, and where they come from. */
interface Baseline {
  n: number;
  k: number;
  source: 'org-history' | 'platform' | 'platform-same-month' | 'colleagues-same-month';
}

/** Beta(1,1)-smoothed share (k + 1) / (n + 2): never 0 or 1, so one quiet history cannot make any k "impossible". */
function smoothedShare(b: { n: number; k: number }): number {
  return (b.k + 1) / (b.n + 2);
}

interface Completion {
  /** the task id: one completion per task */
  id: string;
  recordId: string;
  t: number;
  actorId: string;
  position: number;
}

function completionOrder(a: Completion, b: Completion): number {
  return a.t - b.t || (a.recordId < b.recordId ? -1 : a.recordId > b.recordId ? 1 : 0) || (a.id < b.id ? -1 : 1);
}

const DETECTOR = 'deadline-crunch' as const;

export function createDeadlineCrunchDetector(options: Partial<DeadlineCrunchOptions> = {}): Detector {
  const opts = { ...DEFAULT_DEADLINE_CRUNCH_OPTIONS, ...options };
  const actions = opts.completionActions === null ? null : new Set(opts.completionActions);
  /** platform → org → completions */
  const platforms = new Map<string, Map<string, KeepHighest<Completion>>>();
  const retention = new RetentionWindow(opts.retentionDays);

  function observe(record: TraceRecord): void {
    if (record.taskId === undefined || record.assignedAt === undefined || record.deadline === undefined) return;
    if (actions !== null && !actions.has(record.action)) return;
    const position = deadlinePosition(record.occurredAt, record.assignedAt, record.deadline);
    if (!Number.isFinite(position)) return;
    if (!retention.admit(localDayNumber(record.occurredAt, opts.utcOffsetMinutes))) return;
    let orgs = platforms.get(record.platformId);
    if (orgs === undefined) {
      orgs = new Map();
      platforms.set(record.platformId, orgs);
    }
    let tasks = orgs.get(record.orgId);
    if (tasks === undefined) {
      tasks = new KeepHighest<Completion>(opts.maxTasksPerOrg, (c) => c.id, completionOrder);
      orgs.set(record.orgId, tasks);
    }
    tasks.add({ id: record.taskId, recordId: record.id, t: record.occurredAt, actorId: record.actorId, position });
  }

  const isLastMoment = (c: Completion) => c.position >= opts.lastMomentPosition && c.position <= 1;
  const monthOf = (c: Completion) => monthOfDay(localDayNumber(c.t, opts.utcOffsetMinutes));

  function evaluate(ctx: EvaluateContext): TestOutcome[] {
    const outcomes: TestOutcome[] = [];
    for (const platformId of [...platforms.keys()].sort()) {
      const orgs = platforms.get(platformId)!;
      const cutoff = retention.cutoff();
      const completionsByOrg = new Map<string, Completion[]>();
      for (const org of [...orgs.keys()].sort()) {
        const kept = orgs
          .get(org)!
          .sorted()
          .filter((c) => localDayNumber(c.t, opts.utcOffsetMinutes) >= cutoff);
        if (kept.length === 0)
          orgs.delete(org); // wholly older than the retention window
        else completionsByOrg.set(org, kept);
      }
      const orgIds = [...completionsByOrg.keys()];
      const totals = { n: 0, k: 0 };
      const monthTotals = new Map<string, { n: number; k: number }>();
      for (const list of completionsByOrg.values()) {
        totals.n += list.length;
        totals.k += list.filter(isLastMoment).length;
        for (const c of list) {
          const m = monthTotals.get(monthOf(c)) ?? { n: 0, k: 0 };
          m.n++;
          if (isLastMoment(c)) m.k++;
          monthTotals.set(monthOf(c), m);
        }
      }
      const design = deadlineDesign(platformId, completionsByOrg, ctx, cutoff);
      for (const outcome of design.values()) outcomes.push(outcome);
      for (const orgId of orgIds) {
        const all = completionsByOrg.get(orgId)!;
        const own = { n: all.length, k: all.filter(isLastMoment).length };
        const byMonth = new Map<string, Completion[]>();
        for (const c of all) {
          const list = byMonth.get(monthOf(c));
          if (list === undefined) byMonth.set(monthOf(c), [c]);
          else list.push(c);
        }
        for (const month of [...byMonth.keys()].sort()) {
          const period = monthPeriod(month);
          const scope: Scope = { kind: 'org', platformId, orgId };
          if (startsBefore(period, cutoff) || !endedElsePending(ctx, DETECTOR, scope, period, opts.utcOffsetMinutes)) {
            continue;
          }
          const completions = byMonth.get(month)!;
          if (completions.length >= opts.minCompletions) {
            const earlier = all.filter((c) => monthOf(c) < month);
            const history = { n: earlier.length, k: earlier.filter(isLastMoment).length };
            const others = { n: totals.n - own.n, k: totals.k - own.k };
            const baseline =
              history.n >= opts.minBaseline
                ? { ...history, source: 'org-history' as const }
                : others.n >= opts.minBaseline
                  ? { ...others, source: 'platform' as const }
                  : null;
            const monthAll = monthTotals.get(month)!;
            const monthOwnK = completions.filter(isLastMoment).length;
            const peers = { n: monthAll.n - completions.length, k: monthAll.k - monthOwnK };
            const peerBaseline =
              peers.n >= opts.minBaseline ? { ...peers, source: 'platform-same-month' as const } : null;
            if (baseline !== null) {
              const chosen =
                peerBaseline !== null && smoothedShare(peerBaseline) > smoothedShare(baseline)
                  ? peerBaseline
                  : baseline;
              const org = lastMomentOutcome(scope, period, completions, chosen);
              if (design.get(month)?.effectMet) markDeadlineDesign(org, platformId);
              outcomes.push(org);
              outcomes.push(...actorLastMomentOutcomes(scope, period, completions, chosen));
            }
          }
          outcomes.push(...batchOutcomes(platformId, orgId, period, completions));
        }
      }
    }
    return outcomes;
  }

  /** The platform's 'deadline-design' outcome per judged month (see the module comment). */
  function deadlineDesign(
    platformId: string,
    completionsByOrg: ReadonlyMap<string, readonly Completion[]>,
    ctx: EvaluateContext,
    cutoff: number,
  ): Map<string, TestOutcome> {
    const byMonth = new Map<string, { orgId: string; n: number; share: number }[]>();
    for (const [orgId, all] of completionsByOrg) {
      const months = new Map<string, Completion[]>();
      for (const c of all) months.set(monthOf(c), [...(months.get(monthOf(c)) ?? []), c]);
      for (const [month, list] of months) {
        if (list.length < opts.minCompletions) continue;
        const crunched = list.filter((c) => isLastMoment(c) || c.position > 1).length;
        byMonth.set(month, [...(byMonth.get(month) ?? []), { orgId, n: list.length, share: crunched / list.length }]);
      }
    }
    const out = new Map<string, TestOutcome>();
    const scope: Scope = { kind: 'platform', platformId };
    for (const month of [...byMonth.keys()].sort()) {
      const units = byMonth.get(month)!.sort((a, b) => (a.orgId < b.orgId ? -1 : a.orgId > b.orgId ? 1 : 0));
      const period = monthPeriod(month);
      if (units.length < 3 || startsBefore(period, cutoff)) continue;
      if (!endedElsePending(ctx, DETECTOR, scope, period, opts.utcOffsetMinutes)) continue;
      const crunched = units.filter((u) => u.share >= opts.crunchedUnitShare).length;
      const share = crunched / units.length;
      out.set(month, {
        detector: DETECTOR,
        rule: 'deadline-design',
        scope,
        period,
        pValue: null,
        qThreshold: 1,
        effectMet: share >= opts.minCrunchedUnits,
        score: share,
        statistics: { units: units.length, crunchedUnits: crunched, crunchedShare: share },
        evidence: { units: units.map((u) => ({ orgId: u.orgId, completions: u.n, lastMomentOrLateShare: u.share })) },
        explain: () => ({
          'zh-CN':
            `任务时限设计检查（任务时限过于抢时间）：平台 ${platformId} 在 ${period.start} 至 ${period.end} 有 ${units.length} 个单位各完成至少 ${opts.minCompletions} 项任务，` +
            `其中 ${crunched} 个（${pct(share)}）有一半以上的任务在期限最后 ${pct(1 - opts.lastMomentPosition, 0)} 时间内或逾期完成。` +
            `大多数单位都赶在最后完成时，问题在于时限设计过短，而不在于各单位；这些单位的临近截止发现不应视为造假。`,
          en:
            `Deadline design check (deadlines shorter than the work): of ${units.length} units of platform ${platformId} with ` +
            `at least ${opts.minCompletions} completions from ${period.start} to ${period.end}, ${crunched} (${pct(share)}) finished ` +
            `half or more of their tasks in the last ${pct(1 - opts.lastMomentPosition, 0)} of the allowed time or late. When ` +
            `most units finish at the last moment, the deadlines are the problem, not the units; their last-moment findings ` +
            `are not to be read as fabrication.`,
        }),
      });
    }
    return out;
  }

  /** A unit's last-moment outcome in a month whose platform has a deadline-design finding. */
  function markDeadlineDesign(outcome: TestOutcome, platformId: string): void {
    outcome.evidence.deadlineDesign = { platformId, note: 'most units of the platform finish at the last moment' };
    const explain = outcome.explain;
    outcome.explain = (q) => {
      const text = explain(q);
      return {
        'zh-CN': `${text['zh-CN']}注意：平台 ${platformId} 当月大多数单位都在最后时刻完成（时限设计问题），此项不宜视为造假。`,
        en: `${text.en} Note: most units of platform ${platformId} finished at the last moment that month (a deadline design problem); do not read this as fabrication.`,
      };
    };
  }

  /** Each actor's last-moment test against its colleagues in the month (or the org's p0, if larger). */
  function actorLastMomentOutcomes(
    org: Scope,
    period: Period,
    completions: readonly Completion[],
    orgBaseline: Baseline,
  ): TestOutcome[] {
    const byActor = new Map<string, Completion[]>();
    for (const c of completions) byActor.set(c.actorId, [...(byActor.get(c.actorId) ?? []), c]);
    const outcomes: TestOutcome[] = [];
    for (const actorId of [...byActor.keys()].sort()) {
      const own = byActor.get(actorId)!;
      if (own.length < opts.minActorCompletions) continue;
      const colleagues = {
        n: completions.length - own.length,
        k: completions.filter(isLastMoment).length - own.filter(isLastMoment).length,
        source: 'colleagues-same-month' as const,
      };
      if (colleagues.n < opts.minBaseline) continue;
      const baseline = smoothedShare(colleagues) >= smoothedShare(orgBaseline) ? colleagues : orgBaseline;
      const scope: Scope = { kind: 'actor', platformId: org.platformId, orgId: org.orgId, actorId };
      outcomes.push(lastMomentOutcome(scope, period, own, baseline));
    }
    return outcomes;
  }

  function lastMomentOutcome(
    scope: Scope,
    period: Period,
    completions: readonly Completion[],
    baseline: Baseline,
  ): TestOutcome {
    const n = completions.length;
    const k = completions.filter(isLastMoment).length;
    const late = completions.filter((c) => c.position > 1).length;
    const share = k / n;
    const p0 = smoothedShare(baseline);
    const pValue = binomialSf(k, n, p0);
    const from = opts.lastMomentPosition;
    const source = {
      'org-history': {
        zh: `该单位以往 ${baseline.n} 次完成中的比例`,
        en: `the org's share over its ${baseline.n} earlier completions`,
      },
      platform: {
        zh: `同平台其他单位 ${baseline.n} 次完成中的比例`,
        en: `the share over ${baseline.n} completions of the platform's other orgs`,
      },
      'platform-same-month': {
        zh: `同平台其他单位当月 ${baseline.n} 次完成中的比例（高于该单位以往，取其高者）`,
        en: `the share over ${baseline.n} completions of the platform's other orgs in the same month (higher than the org's own history, so it is used)`,
      },
      'colleagues-same-month': {
        zh: `同单位其他账号当月 ${baseline.n} 次完成中的比例`,
        en: `the share over ${baseline.n} completions of the actor's colleagues in the same month`,
      },
    }[baseline.source];
    const actor = scope.kind === 'actor';
    const who = actor
      ? { zh: `单位 ${scope.orgId} 的账号 ${scope.actorId}`, en: `actor ${scope.actorId} of org ${scope.orgId}` }
      : { zh: `单位 ${scope.orgId}`, en: `org ${scope.orgId}` };
    return {
      detector: DETECTOR,
      rule: actor ? 'last-moment-actor' : 'last-moment',
      scope,
      period,
      pValue,
      qThreshold: scope.kind === 'actor' ? opts.actorQThreshold : opts.qThreshold,
      effectMet: k >= opts.minLastMoment && share >= opts.minShareRatio * p0,
      score: share / p0,
      statistics: { n, lastMoment: k, share, baselineShare: p0, baselineCompletions: baseline.n, late },
      evidence: { baseline: baseline.source, lastMomentPosition: from },
      explain: (q) => {
        const qs = qSuffix(q);
        return {
          'zh-CN':
            `临近截止集中完成检验（单侧二项检验）：${who.zh} 在 ${period.start} 至 ${period.end} 完成的 ${n} 项任务中，` +
            `${k} 项（${pct(share)}）在期限的最后 ${pct(1 - from, 0)} 时间内完成；对照${source.zh} ${pct(p0)}。p = ${prob(pValue)}${qs.zh}。` +
            `按时推进的工作完成时间分散在整个期限内。`,
          en:
            `Last-moment completion test (one-sided binomial): of ${n} tasks ${who.en} completed from ${period.start} ` +
            `to ${period.end}, ${k} (${pct(share)}) were completed in the final ${pct(1 - from, 0)} of the allowed time, against ` +
            `${source.en}, ${pct(p0)}. p = ${prob(pValue)}${qs.en}. Work done as it comes spreads over the allowed time.`,
        };
      },
    };
  }

  function batchOutcomes(
    platformId: string,
    orgId: string,
    period: Period,
    completions: readonly Completion[],
  ): TestOutcome[] {
    const byActor = new Map<string, Completion[]>();
    for (const c of completions) {
      const list = byActor.get(c.actorId);
      if (list === undefined) byActor.set(c.actorId, [c]);
      else list.push(c);
    }
    const outcomes: TestOutcome[] = [];
    for (const actorId of [...byActor.keys()].sort()) {
      const own = byActor.get(actorId)!;
      if (own.length < opts.minBatch) continue;
      const { count, start } = maxInWindow(
        own.map((c) => c.t),
        opts.batchWindowMs,
      );
      const batch = own.slice(start, start + count);
      const seconds = opts.batchWindowMs / 1000;
      const at = new Date(batch[0]!.t + opts.utcOffsetMinutes * 60_000).toISOString().slice(0, 19).replace('T', ' ');
      outcomes.push({
        detector: DETECTOR,
        rule: 'batch-completion',
        scope: { kind: 'actor', platformId, orgId, actorId },
        period,
        pValue: null,
        qThreshold: 1,
        effectMet: count >= opts.minBatch,
        score: count,
        statistics: { maxInWindow: count, completions: own.length, windowSeconds: seconds },
        evidence: { windowStart: batch[0]!.t, taskIds: batch.slice(0, 50).map((c) => c.id) },
        explain: () => ({
          'zh-CN':
            `批量完成检查：账号 ${actorId}（单位 ${orgId}）在 ${period.start} 至 ${period.end} 完成 ${own.length} 项任务，` +
            `其中最多 ${count} 项在 ${seconds} 秒内完成（自 ${at} 起，本地时间）。真实办理一项任务需要时间，${seconds} 秒内完成 ${opts.minBatch} 项及以上不合常理。`,
          en:
            `Batch completion check: actor ${actorId} (org ${orgId}) completed ${own.length} tasks from ${period.start} to ` +
            `${period.end}, up to ${count} of them within ${seconds} s (from ${at} local time). Real tasks take time; ` +
            `${opts.minBatch} or more within ${seconds} s is not plausible work.`,
        }),
      });
    }
    return outcomes;
  }

  return { name: DETECTOR, observe, evaluate };
}
