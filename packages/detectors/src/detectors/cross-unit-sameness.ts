/**
 * cross-unit sameness — many actors of one org reporting the identical value on one day, more
 * than chance allows given what that org usually reports.
 *
 * Test: for one group (org, action, local day) with values from m actors (each actor's latest
 * value of the day; a rate is the pair value/denominator), k = size of the largest set of
 * identical values. H0: the m values are independent draws from the pooled distribution of
 * that org and action over its baseline — all its actor-day values outside this day. Then
 *   P(some value repeated ≥ k times) ≤ Σ_v P(Binomial(m, p_v) ≥ k)   (union bound)
 * and that bound is the (conservative) p-value. p_v is add-one (Laplace) smoothed over the
 * values seen in the baseline or on the day: p_v = (c_v + 1) / (N + K), with c_v the baseline
 * count of v, N the baseline size, K the number of distinct values — so a value never seen
 * before has a small probability instead of 0 (which would make any repeat "impossible"). A
 * finding needs the bound ≤ 0.001 (qThreshold) and k ≥ 5. For scale: two independent
 * Poisson(20) values are equal with probability e^(−40)·I₀(40) ≈ 0.063.
 *
 * Minimum sample: m ≥ 5 actors on the day (k ≥ 5 needs them) and a baseline of ≥ 30 values
 * (fewer cannot say what is usual). Limitation: an org that reported the same value every day
 * from the start has that value as its baseline and is not flagged by this test.
 *
 * Memory: per org and action at most 50,000 (option maxActorDaysPerGroup) actor-days, the
 * latest days kept (up to twice that between trims), one small object each. Days are judged
 * once they have ended. Records older than 400 days (option retentionDays) before the latest
 * day seen are dropped.
 */

import { RetentionWindow } from '../retention.js';
import { binomialSf } from '../stats/index.js';
import { DEFAULT_UTC_OFFSET_MINUTES, localDayNumber } from '../time.js';
import type { Detector, EvaluateContext, Scope, TestOutcome, TraceRecord } from '../types.js';
import { num, pct, prob, qSuffix } from './support/format.js';
import { dayPeriod, endedElsePending } from './support/periods.js';
import { ScopeGroups } from './support/scope-groups.js';

export interface CrossUnitSamenessOptions {
  /** Actor-days kept per org and action (memory bound), the latest days first. */
  maxActorDaysPerGroup: number;
  /** Minimum actors reporting on the day. */
  minActors: number;
  /** Minimum baseline values (the org and action's other actor-days). */
  minBaseline: number;
  /** A finding needs at least this many identical values. */
  minIdentical: number;
  /** q-value level; the bound is the p-value (0.001: DETECTION.md, many days × orgs are tested). */
  qThreshold: number;
  /**
   * Days of history kept before the latest day seen; older records are dropped, which bounds
   * memory over time (400: a year of months plus their baselines, as in the other detectors).
   */
  retentionDays: number;
  /** Local time as minutes east of UTC (480: Asia/Shanghai, UTC+8 without daylight saving since 1991). */
  utcOffsetMinutes: number;
}

export const DEFAULT_CROSS_UNIT_SAMENESS_OPTIONS: CrossUnitSamenessOptions = {
  maxActorDaysPerGroup: 50_000,
  minActors: 5,
  minBaseline: 30,
  minIdentical: 5,
  qThreshold: 0.001,
  retentionDays: 400,
  utcOffsetMinutes: DEFAULT_UTC_OFFSET_MINUTES,
};

/**
 * The union bound Σ_v P(Binomial(m, p_v) ≥ k) with add-one smoothed p_v.
 *
 * @param baseline value → count outside the group (may be empty).
 * @param group value → count in the group (m = sum of counts, m ≥ 1).
 * @param k the largest identical set, ≥ 1.
 * @returns the bound, capped at 1, and the smoothed probability of every value in the group.
 */
export function identicalValueBound(
  baseline: ReadonlyMap<string, number>,
  group: ReadonlyMap<string, number>,
  k: number,
): { bound: number; probabilities: Map<string, number> } {
  let m = 0;
  for (const c of group.values()) m += c;
  let n = 0;
  for (const c of baseline.values()) n += c;
  const support = new Set([...baseline.keys(), ...group.keys()]);
  const denominator = n + support.size;
  // Values with the same baseline count share p_v: one tail per distinct count.
  const valuesPerCount = new Map<number, number>();
  for (const v of support) {
    const c = baseline.get(v) ?? 0;
    valuesPerCount.set(c, (valuesPerCount.get(c) ?? 0) + 1);
  }
  let bound = 0;
  for (const [c, howMany] of [...valuesPerCount].sort((a, b) => a[0] - b[0])) {
    bound += howMany * binomialSf(k, m, (c + 1) / denominator);
  }
  const probabilities = new Map<string, number>();
  for (const v of group.keys()) probabilities.set(v, ((baseline.get(v) ?? 0) + 1) / denominator);
  return { bound: Math.min(1, bound), probabilities };
}

/** An actor's value of one day: the latest record's (by time, then record id). */
interface ActorValue {
  t: number;
  recordId: string;
  value: number;
  denominator: number | undefined;
}

interface ActorDay {
  day: number;
  actorId: string;
  /** The value as text; a rate is the pair value/denominator. */
  value: string;
}

interface Group {
  platformId: string;
  orgId: string;
  /** The action. */
  part: string;
  /** day → actor → value */
  days: Map<number, Map<string, ActorValue>>;
  /** Actor-days held. */
  size: number;
}

/**
 * Keeps the `capacity` highest actor-days by (day, actor): whole days from the latest back,
 * then on the day where the cut falls the actors last in id order. The same set whatever
 * the order of arrival, as "the top N of a union" is the top N of the parts' top Ns.
 */
function keepLatestActorDays(group: Group, capacity: number): void {
  if (group.size <= capacity) return;
  let room = capacity;
  for (const day of [...group.days.keys()].sort((a, b) => b - a)) {
    const actors = group.days.get(day)!;
    if (room >= actors.size) {
      room -= actors.size;
      continue;
    }
    if (room === 0) group.days.delete(day);
    else {
      const drop = [...actors.keys()].sort().slice(0, actors.size - room);
      for (const actor of drop) actors.delete(actor);
      room = 0;
    }
  }
  group.size = capacity;
}

const DETECTOR = 'cross-unit-sameness' as const;

export function createCrossUnitSamenessDetector(options: Partial<CrossUnitSamenessOptions> = {}): Detector {
  const opts = { ...DEFAULT_CROSS_UNIT_SAMENESS_OPTIONS, ...options };
  const groups = new ScopeGroups<Group>((platformId, orgId, part) => ({
    platformId,
    orgId,
    part,
    days: new Map(),
    size: 0,
  }));
  const retention = new RetentionWindow(opts.retentionDays);

  function observe(record: TraceRecord): void {
    if (record.value === undefined || !Number.isFinite(record.value)) return;
    const day = localDayNumber(record.occurredAt, opts.utcOffsetMinutes);
    if (!retention.admit(day)) return;
    const group = groups.get(record.platformId, record.orgId, record.action);
    let actors = group.days.get(day);
    if (actors === undefined) {
      actors = new Map();
      group.days.set(day, actors);
    }
    const held = actors.get(record.actorId);
    if (held === undefined) {
      actors.set(record.actorId, {
        t: record.occurredAt,
        recordId: record.id,
        value: record.value,
        denominator: record.valueDenominator,
      });
      group.size++;
      if (group.size >= 2 * opts.maxActorDaysPerGroup) keepLatestActorDays(group, opts.maxActorDaysPerGroup);
    } else if (record.occurredAt > held.t || (record.occurredAt === held.t && record.id > held.recordId)) {
      held.t = record.occurredAt;
      held.recordId = record.id;
      held.value = record.value;
      held.denominator = record.valueDenominator;
    }
  }

  /** The group's actor-days from `cutoff` on, by (day, actor); older days are forgotten. */
  function entriesFrom(group: Group, cutoff: number): ActorDay[] {
    keepLatestActorDays(group, opts.maxActorDaysPerGroup);
    const entries: ActorDay[] = [];
    for (const day of [...group.days.keys()].sort((a, b) => a - b)) {
      const actors = group.days.get(day)!;
      if (day < cutoff) {
        group.size -= actors.size;
        group.days.delete(day);
        continue;
      }
      for (const actorId of [...actors.keys()].sort()) {
        const v = actors.get(actorId)!;
        entries.push({
          day,
          actorId,
          value: v.denominator === undefined ? String(v.value) : `${v.value}/${v.denominator}`,
        });
      }
    }
    return entries;
  }

  function evaluate(ctx: EvaluateContext): TestOutcome[] {
    const outcomes: TestOutcome[] = [];
    for (const group of groups.inOrder()) {
      const entries = entriesFrom(group, retention.cutoff());
      if (entries.length === 0) {
        groups.delete(group); // wholly older than the retention window
        continue;
      }
      const overall = new Map<string, number>();
      const byDay = new Map<number, ActorDay[]>();
      for (const e of entries) {
        overall.set(e.value, (overall.get(e.value) ?? 0) + 1);
        const list = byDay.get(e.day);
        if (list === undefined) byDay.set(e.day, [e]);
        else list.push(e);
      }
      for (const [day, dayEntries] of byDay) {
        const period = dayPeriod(day);
        if (dayEntries.length < opts.minActors) continue;
        const scope: Scope = { kind: 'org', platformId: group.platformId, orgId: group.orgId };
        if (!endedElsePending(ctx, DETECTOR, scope, period, opts.utcOffsetMinutes)) continue;
        if (entries.length - dayEntries.length < opts.minBaseline) continue;
        outcomes.push(dayOutcome(group, period, dayEntries, overall, entries.length - dayEntries.length));
      }
    }
    return outcomes;
  }

  function dayOutcome(
    group: Group,
    period: TestOutcome['period'],
    dayEntries: readonly ActorDay[],
    overall: ReadonlyMap<string, number>,
    baselineSize: number,
  ): TestOutcome {
    const counts = new Map<string, number>();
    for (const e of dayEntries) counts.set(e.value, (counts.get(e.value) ?? 0) + 1);
    const baseline = new Map<string, number>();
    for (const [v, c] of overall) {
      const rest = c - (counts.get(v) ?? 0);
      if (rest > 0) baseline.set(v, rest);
    }
    // Largest identical set; ties go to the smaller value text, for a stable report.
    let value = '';
    let k = 0;
    for (const [v, c] of [...counts].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
      if (c > k) {
        value = v;
        k = c;
      }
    }
    const m = dayEntries.length;
    const { bound, probabilities } = identicalValueBound(baseline, counts, k);
    const pv = probabilities.get(value)!;
    const actors = dayEntries.filter((e) => e.value === value).map((e) => e.actorId);
    const scope: Scope = { kind: 'org', platformId: group.platformId, orgId: group.orgId };
    return {
      detector: DETECTOR,
      rule: `same-value:${group.part}`,
      scope,
      period,
      pValue: bound,
      qThreshold: opts.qThreshold,
      effectMet: k >= opts.minIdentical,
      score: k,
      statistics: { actors: m, identical: k, valueProbability: pv, baselineValues: baselineSize, bound },
      evidence: { action: group.part, value, identicalActors: actors.slice(0, 100), distinctValues: counts.size },
      explain: (q) => {
        const qs = qSuffix(q);
        return {
          'zh-CN':
            `跨账号数值雷同检验（二项分布并集上界）：${period.start} 单位 ${group.orgId} 有 ${m} 个账号上报“${group.part}”数值，其中 ${k} 个完全相同（${value}）。` +
            `按该单位其他日期的 ${baselineSize} 个数值，${value} 出现的概率约为 ${pct(pv)}；${m} 个独立数值中任一数值重复 ${k} 次及以上的概率至多为 ${prob(bound)}${qs.zh}。` +
            `各自如实填报时，数值通常各不相同。`,
          en:
            `Identical values across actors (union bound of binomial tails): on ${period.start}, ${m} actors of org ${group.orgId} ` +
            `reported '${group.part}' values and ${k} of them were exactly ${value}. Judged by the org's ${baselineSize} values on ` +
            `other days, ${value} has a chance of about ${pct(pv)} per report; the chance that any value appears ${k} or more ` +
            `times among ${m} independent reports is at most ${prob(bound)}${qs.en}. Values reported independently ` +
            `usually differ (${num(counts.size)} distinct values here).`,
        };
      },
    };
  }

  return { name: DETECTOR, observe, evaluate };
}
