/**
 * Findings for the api fixture's world (test/support/api-fixture.ts), stored as the alert
 * keeper stores them (packages/alerts writeChanges: history + current rows). Numbers in the
 * comments are by hand from fixtureEvents. Platform pA: o1 (F1 burst, F2 backfill, F5 too
 * steady, F6 dismissed, F7 withdrawn), o2 (F3 deadline crunch); platform pB: o3 (F4).
 */
import { writeChanges } from '@tracewatch/alerts';
import {
  ALERT_SCHEMA_VERSION,
  type Alert,
  type AlertChange,
  type AlertState,
  alertChangeSchema,
  type FindingV1,
  findingSchema,
} from '@tracewatch/schema';
import type { Store } from '@tracewatch/store';

const fp = (n: number) => `f1d${String(n).padStart(29, '0')}`;

interface Spec {
  n: number;
  state: AlertState;
  finding: Omit<FindingV1, 'fingerprint' | 'corroboratedBy'> & { corroboratedBy?: string[] };
}

const SPECS: Spec[] = [
  {
    n: 1,
    state: 'open',
    finding: {
      detector: 'burst-before-evaluation',
      rule: 'pre-window',
      scope: { kind: 'org', platformId: 'pA', orgId: 'o1' },
      period: { start: '2026-03-01', end: '2026-03-07' },
      statistics: { rateRatio: 3.4, observedPre: 16, expectedPre: 4.7, observedBaseline: 9, phi: 1.2 },
      pValue: 0.0004,
      qValue: 0.0012,
      score: 3.4,
      severity: 'critical',
      evidence: { evaluationDay: '2026-03-08', evaluations: [{ id: 'ev-a', name: '一网通办 季度考核' }] },
      explanation: {
        'zh-CN':
          '评估前激增检验：单位 o1 在评估“一网通办 季度考核”（2026-03-08）前 7 天的留痕为 16 条，按其基线应约 4.7 条，率比 3.4（p = 0.0004，q = 0.0012）。正常情况下率比应接近 1。',
        en: 'Burst before an evaluation: unit o1 left 16 traces in the 7 days before the evaluation "一网通办 季度考核" (2026-03-08) where its baseline predicts about 4.7, a rate ratio of 3.4 (p = 0.0004, q = 0.0012). Normal work gives a ratio near 1.',
      },
      corroboratedBy: ['backfill'],
    },
  },
  {
    n: 2,
    state: 'confirmed',
    finding: {
      detector: 'backfill',
      rule: 'pre-evaluation',
      scope: { kind: 'org', platformId: 'pA', orgId: 'o1' },
      period: { start: '2026-03-03', end: '2026-03-06' },
      statistics: { backfilled: 1, recorded: 8, baselineShare: 0.01 },
      pValue: 0.0096,
      qValue: 0.0096,
      score: 10,
      severity: 'warning',
      evidence: { comparison: 'own-history' },
      explanation: {
        'zh-CN':
          '补录检验：2026-03-03 至 2026-03-06 记录的 8 条留痕中有 1 条晚于声称时间 24 小时以上，而该单位此前的补录比例约为 1%。',
        en: 'Backfilling: of 8 traces recorded from 2026-03-03 to 2026-03-06, 1 was recorded more than 24 h after the time it claims, where the unit used to backfill about 1 %.',
      },
    },
  },
  {
    n: 3,
    state: 'acknowledged',
    finding: {
      detector: 'deadline-crunch',
      rule: 'last-moment-share',
      scope: { kind: 'org', platformId: 'pA', orgId: 'o2' },
      period: { start: '2026-03-02', end: '2026-03-06' },
      statistics: { completions: 3, lastMomentOrLate: 2, share: 0.667 },
      pValue: 0.004,
      qValue: 0.008,
      score: 0.667,
      severity: 'warning',
      evidence: { baseline: 'platform' },
      explanation: {
        'zh-CN': '截止前突击检验：单位 o2 的 3 项任务中有 2 项在最后 5% 的时间内或逾期完成，平台其他单位约为 10%。',
        en: "Deadline crunch: 2 of the 3 tasks of unit o2 were completed in the last 5 % of their time or late, where the platform's other units do so about 10 % of the time.",
      },
    },
  },
  {
    n: 4,
    state: 'open',
    finding: {
      detector: 'under-dispersion',
      rule: 'dispersion-index',
      scope: { kind: 'org', platformId: 'pB', orgId: 'o3' },
      period: { start: '2026-03-02', end: '2026-03-04' },
      statistics: { dispersion: 0.05, days: 14, mean: 5 },
      pValue: 0.00001,
      qValue: 0.00002,
      score: 0.05,
      severity: 'critical',
      evidence: { days: 14 },
      explanation: { 'zh-CN': '过于平稳：单位 o3 ……（仅平台 pB 可见）', en: 'Too steady: unit o3 … (pB only)' },
    },
  },
  {
    n: 5,
    state: 'open',
    finding: {
      detector: 'under-dispersion',
      rule: 'dispersion-index',
      scope: { kind: 'org', platformId: 'pA', orgId: 'o1' },
      period: { start: '2026-03-09', end: '2026-03-10' },
      statistics: { dispersion: 0.1, days: 14, mean: 1 },
      pValue: 0.0002,
      qValue: 0.0004,
      score: 0.1,
      severity: 'warning',
      evidence: { days: 14 },
      explanation: {
        'zh-CN': '过于平稳检验：单位 o1 每日留痕的离散指数为 0.10（人工工作通常大于 1），χ² 下尾 p = 0.0002。',
        en: "Too steady: the index of dispersion of unit o1's daily traces is 0.10 (human work is usually above 1), lower-tail χ² p = 0.0002.",
      },
    },
  },
  {
    n: 6,
    state: 'dismissed',
    finding: {
      detector: 'duplicate-content',
      rule: 'exact',
      scope: { kind: 'org', platformId: 'pA', orgId: 'o1' },
      period: { start: '2026-03-05', end: '2026-03-05' },
      statistics: { reports: 3, actors: 2 },
      pValue: null,
      qValue: null,
      score: 3,
      severity: 'warning',
      evidence: { hashes: ['ab'] },
      explanation: { 'zh-CN': '重复内容（已驳回）', en: 'Duplicate content (dismissed)' },
    },
  },
  {
    n: 7,
    state: 'withdrawn',
    finding: {
      detector: 'burst-rising',
      rule: 'pre-window-cusum',
      scope: { kind: 'org', platformId: 'pA', orgId: 'o1' },
      period: { start: '2026-03-04', end: '2026-03-05' },
      statistics: { cusum: 5 },
      pValue: null,
      qValue: null,
      score: 5,
      severity: 'warning',
      evidence: {},
      explanation: { 'zh-CN': '激增预警（已撤回）', en: 'Early warning (withdrawn)' },
    },
  },
];

export const FINDING = Object.fromEntries(SPECS.map((s) => [`F${s.n}`, fp(s.n)])) as Record<
  'F1' | 'F2' | 'F3' | 'F4' | 'F5' | 'F6' | 'F7',
  string
>;
export const FINDING_EXPLANATIONS = Object.fromEntries(SPECS.map((s) => [fp(s.n), s.finding.explanation]));

function change(spec: Spec): AlertChange {
  const at = '2026-03-11T02:00:00.000Z';
  const finding = findingSchema.parse({ corroboratedBy: [], ...spec.finding, fingerprint: fp(spec.n) });
  const alert: Alert = {
    schemaVersion: ALERT_SCHEMA_VERSION,
    fingerprint: finding.fingerprint,
    state: spec.state,
    version: spec.state === 'open' ? 1 : 2,
    finding,
    firstSeenAt: at,
    lastSeenAt: at,
    updatedAt: at,
    updatedBy: spec.state === 'open' ? 'system:detector' : 'li.wei',
    silencedBy: [],
  };
  return alertChangeSchema.parse({
    schemaVersion: ALERT_SCHEMA_VERSION,
    changeId: `chg-${spec.n}`,
    commandId: `cmd-${spec.n}`,
    fingerprint: alert.fingerprint,
    version: alert.version,
    kind: spec.state === 'open' ? 'created' : 'transition',
    from: spec.state === 'open' ? null : 'open',
    to: spec.state,
    at,
    by: alert.updatedBy,
    note: '',
    alert,
  });
}

export async function seedFindings(store: Store): Promise<void> {
  await writeChanges(
    store,
    SPECS.map((s, i) => ({ change: change(s), partition: i % 3, offset: String(i) })),
  );
}
