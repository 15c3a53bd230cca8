/** Alerts and owners for tests (valid by the schemas). */
import { ALERT_SCHEMA_VERSION, type Alert, alertSchema, type FindingV1, findingSchema } from '@tracewatch/schema';
import type { NoticeOwner } from '../grouping.js';

export const fingerprintN = (n: number) => n.toString(16).padStart(32, '0');

export function finding(overrides: Partial<FindingV1> = {}): FindingV1 {
  return findingSchema.parse({
    fingerprint: fingerprintN(1),
    detector: 'burst-before-evaluation',
    rule: 'pre-window-rate-ratio',
    scope: { kind: 'org', platformId: 'plat-a', orgId: 'org-1' },
    period: { start: '2026-03-01', end: '2026-03-14' },
    statistics: { rateRatio: 3.2, pre: 120, baseline: 37.5 },
    pValue: 0.001,
    qValue: 0.004,
    score: 3.2,
    severity: 'warning',
    evidence: { days: 14 },
    explanation: { 'zh-CN': '评估前活动激增 3.2 倍', en: 'activity rose 3.2-fold before the evaluation' },
    corroboratedBy: [],
    ...overrides,
  });
}

export function alert(
  n: number,
  opts: { state?: Alert['state']; version?: number; finding?: Partial<FindingV1>; silencedBy?: string[] } = {},
): Alert {
  return alertSchema.parse({
    schemaVersion: ALERT_SCHEMA_VERSION,
    fingerprint: fingerprintN(n),
    state: opts.state ?? 'open',
    version: opts.version ?? 1,
    finding: finding({ fingerprint: fingerprintN(n), ...opts.finding }),
    firstSeenAt: '2026-03-15T00:00:00.000Z',
    lastSeenAt: '2026-03-15T00:00:00.000Z',
    updatedAt: '2026-03-15T00:00:00.000Z',
    updatedBy: 'system:detector',
    silencedBy: opts.silencedBy ?? [],
  });
}

export function owner(
  ownerId: string,
  platformIds: string[],
  digest: Partial<NoticeOwner['digest']> = {},
): NoticeOwner {
  return {
    ownerId,
    platformIds,
    digest: { frequency: 'daily', timeOfDay: '09:00', timeZone: 'Asia/Shanghai', ...digest },
    answerDays: 10,
    languages: ['zh-CN', 'en'],
  };
}
