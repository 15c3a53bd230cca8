/** Valid alerts (checked by the schema) for tests. */
import { type Alert, type AlertState, alertSchema } from '@tracewatch/schema';

export interface SampleAlert {
  fingerprint?: string;
  state?: AlertState;
  severity?: 'warning' | 'critical';
  detector?: string;
  orgId?: string;
  actorId?: string;
  silencedBy?: string[];
  firstSeenAt?: string;
}

let counter = 0;
/** A fresh 32-hex fingerprint per call unless one is given. */
export const sampleFingerprint = () => (++counter).toString(16).padStart(8, '0').repeat(4);

export function sampleAlert(o: SampleAlert = {}): Alert {
  const fingerprint = o.fingerprint ?? sampleFingerprint();
  const firstSeenAt = o.firstSeenAt ?? '2026-03-01T00:00:00.000Z';
  return alertSchema.parse({
    schemaVersion: 1,
    fingerprint,
    state: o.state ?? 'open',
    version: 1,
    finding: {
      fingerprint,
      detector: o.detector ?? 'burst-before-evaluation',
      rule: 'poisson-upper-tail',
      scope: {
        kind: o.actorId ? 'actor' : 'org',
        platformId: 'gov-portal',
        orgId: o.orgId ?? 'org-17',
        ...(o.actorId ? { actorId: o.actorId } : {}),
      },
      period: { start: '2026-02-20', end: '2026-02-28' },
      statistics: { observed: 412, expected: 120 },
      pValue: 1e-9,
      qValue: 2e-8,
      score: 8.4,
      severity: o.severity ?? 'critical',
      evidence: {},
      explanation: {
        'zh-CN': '评估前 7 天的活动量是预期的 3.4 倍。',
        en: 'Activity in the 7 days before the evaluation was 3.4× the expected.',
      },
      corroboratedBy: [],
    },
    firstSeenAt,
    lastSeenAt: '2026-03-02T00:00:00.000Z',
    updatedAt: '2026-03-02T00:00:00.000Z',
    updatedBy: 'system:detector',
    silencedBy: o.silencedBy ?? [],
  });
}
