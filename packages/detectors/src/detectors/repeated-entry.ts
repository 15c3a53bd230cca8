/**
 * repeated entry (重复填报) — the same data entered again on another platform: a burden that
 * sharing between systems should have spared the unit, not a fabrication by the unit.
 *
 * Scope: a unit (org id, across platforms) and a pair of platforms (A, B; the finding's scope is
 * the org on A, the rule names B), per calendar month (local days) for traces and per reported
 * period for reported metrics. Rules (score rules: there is no chance process to test — see H0):
 * - 'same-content:<B>': k = the number of distinct content hashes the org submitted on both A
 *   and B in the month. H0: independently written reports do not share a content hash — two
 *   different texts have the same sha-256 with probability 2⁻²⁵⁶, so with n reports a collision
 *   by chance has probability below n²/2²⁵⁷: a shared hash is the same text entered twice. Fires
 *   at k ≥ 3 (option minRepeated; one or two shared texts may be a circular both systems carry).
 *   Evidence: up to 20 of the duplicated submissions (hash, and each submission's platform, id,
 *   time, action).
 * - 'same-report:<B>': the org reported the same metric for the same period with the same value
 *   on A and on B (ReportedMetric; the latest report per platform, org, metric and period). H0
 *   as above: equal reports on two platforms are one report entered twice. Fires at ≥ 1 (option
 *   minRepeatedReports); the period is the report's period.
 * Same-platform copies are left to duplicate-content (copy-paste within a platform is that
 * detector's question); here only what crosses platforms counts.
 *
 * Memory: per org and month at most 20,000 (option maxRecordsPerOrgMonth) latest records with a
 * content hash (LatestRecords; replays are dropped by the engine). Months are judged once they
 * have ended. Records older than 400 days (option retentionDays) before the latest day seen are
 * dropped, and a month reaching back past that cutoff is no longer judged.
 */
import type { ReportedMetric } from '@tracewatch/schema';
import { RetentionWindow } from '../retention.js';
import { DEFAULT_UTC_OFFSET_MINUTES, isoToDayNumber, localDayNumber } from '../time.js';
import type { Detector, EvaluateContext, Period, Scope, TestOutcome, TraceRecord } from '../types.js';
import { LatestRecords } from './support/latest-records.js';
import { latestReports } from './support/latest-reports.js';
import { endedElsePending, monthOfDay, monthPeriod, startsBefore } from './support/periods.js';

export interface RepeatedEntryOptions {
  /** same-content fires at this many distinct content hashes shared by two platforms in a month. */
  minRepeated: number;
  /** same-report fires at this many equal reports on two platforms for one period. */
  minRepeatedReports: number;
  /** Duplicated submissions listed in the evidence. */
  maxEvidence: number;
  /** Latest records with a content hash kept per org and month (memory bound). */
  maxRecordsPerOrgMonth: number;
  /** Days of history kept before the latest day seen (400, as the other detectors). */
  retentionDays: number;
  /** Local time as minutes east of UTC (480: Asia/Shanghai). */
  utcOffsetMinutes: number;
}

export const DEFAULT_REPEATED_ENTRY_OPTIONS: RepeatedEntryOptions = {
  minRepeated: 3,
  minRepeatedReports: 1,
  maxEvidence: 20,
  maxRecordsPerOrgMonth: 20_000,
  retentionDays: 400,
  utcOffsetMinutes: DEFAULT_UTC_OFFSET_MINUTES,
};

interface Submission {
  id: string;
  t: number;
  platformId: string;
  action: string;
  contentHash: string;
}

interface OrgMonth {
  orgId: string;
  month: string;
  records: LatestRecords<Submission>;
}

const DETECTOR = 'repeated-entry' as const;

const compareText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The content hashes found on two or more platforms, with their submissions.
 *
 * @returns per platform pair "A\u0000B" (A < B) the shared hashes, sorted, each with its
 *   submissions on A and B in time order.
 */
export function sharedContent(submissions: readonly Submission[]): Map<string, Map<string, Submission[]>> {
  const byHash = new Map<string, Submission[]>();
  for (const s of submissions) byHash.set(s.contentHash, [...(byHash.get(s.contentHash) ?? []), s]);
  const pairs = new Map<string, Map<string, Submission[]>>();
  for (const hash of [...byHash.keys()].sort()) {
    const list = byHash.get(hash)!;
    const platforms = [...new Set(list.map((s) => s.platformId))].sort(compareText);
    for (let i = 0; i < platforms.length; i++) {
      for (let j = i + 1; j < platforms.length; j++) {
        const key = `${platforms[i]}\u0000${platforms[j]}`;
        const shared = pairs.get(key) ?? new Map<string, Submission[]>();
        shared.set(
          hash,
          list
            .filter((s) => s.platformId === platforms[i] || s.platformId === platforms[j])
            .sort((a, b) => a.t - b.t || compareText(a.id, b.id)),
        );
        pairs.set(key, shared);
      }
    }
  }
  return pairs;
}

export function createRepeatedEntryDetector(options: Partial<RepeatedEntryOptions> = {}): Detector {
  const opts = { ...DEFAULT_REPEATED_ENTRY_OPTIONS, ...options };
  const groups = new Map<string, OrgMonth>();
  const retention = new RetentionWindow(opts.retentionDays);

  function observe(record: TraceRecord): void {
    if (record.contentHash === undefined) return;
    const day = localDayNumber(record.occurredAt, opts.utcOffsetMinutes);
    if (!retention.admit(day)) return;
    const month = monthOfDay(day);
    const key = JSON.stringify([record.orgId, month]);
    let group = groups.get(key);
    if (group === undefined) {
      group = { orgId: record.orgId, month, records: new LatestRecords(opts.maxRecordsPerOrgMonth) };
      groups.set(key, group);
    }
    group.records.add({
      id: record.id,
      t: record.occurredAt,
      platformId: record.platformId,
      action: record.action,
      contentHash: record.contentHash,
    });
  }

  function evaluate(ctx: EvaluateContext): TestOutcome[] {
    const outcomes: TestOutcome[] = [];
    const cutoff = retention.cutoff();
    for (const key of [...groups.keys()].sort()) {
      const group = groups.get(key)!;
      const period = monthPeriod(group.month);
      if (isoToDayNumber(period.end) < cutoff) {
        groups.delete(key); // wholly older than the retention window
        continue;
      }
      const submissions = group.records.sorted();
      const platformIds = [...new Set(submissions.map((s) => s.platformId))].sort(compareText);
      if (platformIds.length < 2 || startsBefore(period, cutoff)) continue;
      const scope: Scope = { kind: 'org', platformId: platformIds[0]!, orgId: group.orgId };
      if (!endedElsePending(ctx, DETECTOR, scope, period, opts.utcOffsetMinutes)) continue;
      for (const [pair, shared] of sharedContent(submissions)) {
        const [a, b] = pair.split('\u0000') as [string, string];
        outcomes.push(contentOutcome(group, period, a, b, shared, group.records.truncated));
      }
    }
    outcomes.push(...reportOutcomes(ctx));
    return outcomes;
  }

  function contentOutcome(
    group: OrgMonth,
    period: Period,
    a: string,
    b: string,
    shared: Map<string, Submission[]>,
    truncated: boolean,
  ): TestOutcome {
    const k = shared.size;
    const submissions = [...shared.values()].reduce((n, list) => n + list.length, 0);
    const evidence = [...shared].slice(0, opts.maxEvidence).map(([contentHash, list]) => ({
      contentHash,
      submissions: list.map((s) => ({
        platformId: s.platformId,
        id: s.id,
        at: new Date(s.t).toISOString(),
        action: s.action,
      })),
    }));
    return {
      detector: DETECTOR,
      rule: `same-content:${b}`,
      scope: { kind: 'org', platformId: a, orgId: group.orgId },
      period,
      pValue: null,
      qThreshold: 1,
      effectMet: k >= opts.minRepeated,
      score: k,
      statistics: { sharedContents: k, submissions },
      evidence: { otherPlatformId: b, duplicated: evidence, truncated },
      explain: () => ({
        'zh-CN':
          `重复填报检查（内容哈希比对）：单位 ${group.orgId} 在 ${period.start} 至 ${period.end} 有 ${k} 份内容完全相同的材料` +
          `（共 ${submissions} 次提交）既录入平台 ${a} 又录入平台 ${b}。不同材料的 sha-256 内容哈希偶然相同的概率可忽略，` +
          `相同哈希即同一内容被重复录入；达到 ${opts.minRepeated} 份即提示。这是系统之间本应共享数据造成的负担，不是该单位造假。`,
        en:
          `Repeated entry (content-hash match): org ${group.orgId} entered ${k} identical documents (${submissions} submissions) ` +
          `on both platform ${a} and platform ${b} from ${period.start} to ${period.end}. Different texts share a sha-256 ` +
          `content hash with negligible probability, so each is one text entered twice; ${opts.minRepeated} or more are ` +
          `reported. This is a burden that sharing between the systems should have spared the unit, not its fabrication.`,
      }),
    };
  }

  function reportOutcomes(ctx: EvaluateContext): TestOutcome[] {
    const byOrgPeriod = new Map<string, ReportedMetric[]>();
    for (const m of latestReports(ctx.metrics)) {
      const key = JSON.stringify([m.orgId, m.periodStart, m.periodEnd]);
      byOrgPeriod.set(key, [...(byOrgPeriod.get(key) ?? []), m]);
    }
    const outcomes: TestOutcome[] = [];
    for (const key of [...byOrgPeriod.keys()].sort()) {
      const reports = byOrgPeriod.get(key)!;
      const [orgId, periodStart, periodEnd] = JSON.parse(key) as [string, string, string];
      const period = { start: periodStart, end: periodEnd };
      const platformIds = [...new Set(reports.map((m) => m.platformId))].sort(compareText);
      if (platformIds.length < 2) continue;
      const scope: Scope = { kind: 'org', platformId: platformIds[0]!, orgId };
      if (!endedElsePending(ctx, DETECTOR, scope, period, opts.utcOffsetMinutes)) continue;
      for (let i = 0; i < platformIds.length; i++) {
        for (let j = i + 1; j < platformIds.length; j++) {
          const [a, b] = [platformIds[i]!, platformIds[j]!];
          const onB = new Map(reports.filter((m) => m.platformId === b).map((m) => [m.metric, m]));
          const same = reports
            .filter((m) => m.platformId === a && onB.get(m.metric)?.value === m.value)
            .sort((x, y) => compareText(x.metric, y.metric));
          if (same.length === 0) continue;
          const list = same.map((m) => `${m.metric} = ${m.value}`).join(', ');
          outcomes.push({
            detector: DETECTOR,
            rule: `same-report:${b}`,
            scope: { kind: 'org', platformId: a, orgId },
            period,
            pValue: null,
            qThreshold: 1,
            effectMet: same.length >= opts.minRepeatedReports,
            score: same.length,
            statistics: { sameReports: same.length },
            evidence: {
              otherPlatformId: b,
              duplicated: same.map((m) => ({ metric: m.metric, value: m.value, ids: [m.id, onB.get(m.metric)!.id] })),
            },
            explain: () => ({
              'zh-CN':
                `重复填报检查（上报数据比对）：单位 ${orgId} 对 ${periodStart} 至 ${periodEnd} 的同一指标在平台 ${a} 和平台 ${b} 各报了一次、数值相同（${list}）。` +
                `同一数据应在系统之间共享，而不是重复填报；这是负担，不是该单位造假。`,
              en:
                `Repeated entry (reported data match): org ${orgId} reported the same metric for ${periodStart} to ${periodEnd} ` +
                `with the same value on platform ${a} and on platform ${b} (${list}). The same data should be shared between ` +
                `the systems, not entered twice; this is a burden, not the unit's fabrication.`,
            }),
          });
        }
      }
    }
    return outcomes;
  }

  return { name: DETECTOR, observe, evaluate };
}
