/** Findings, commands and silences for tests (valid by the schemas, checked on build). */
import {
  ALERT_SCHEMA_VERSION,
  type AlertCommand,
  alertCommandSchema,
  type FindingV1,
  findingSchema,
  type Silence,
  silenceSchema,
} from '@tracewatch/schema';

let counter = 0;
/** A fresh command id per call. */
export const nextCommandId = (label = 'cmd') => `${label}-${++counter}-${Math.random().toString(36).slice(2, 8)}`;

/** A 32-hex fingerprint from a small number (distinct numbers, distinct fingerprints). */
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
    explanation: { 'zh-CN': '评估前活动激增', en: 'activity jumped before the evaluation' },
    corroboratedBy: [],
    ...overrides,
  });
}

export function findingCommand(f: FindingV1, asOf: string, commandId = nextCommandId('find')): AlertCommand {
  return alertCommandSchema.parse({
    kind: 'finding',
    schemaVersion: ALERT_SCHEMA_VERSION,
    commandId,
    finding: f,
    asOf,
    by: 'system:detector',
  });
}

export function withdrawCommand(
  fingerprint: string,
  asOf: string,
  reason = 'window closed, not confirmed',
): AlertCommand {
  return alertCommandSchema.parse({
    kind: 'withdraw',
    schemaVersion: ALERT_SCHEMA_VERSION,
    commandId: nextCommandId('wd'),
    fingerprint,
    asOf,
    by: 'system:detector',
    reason,
  });
}

export function transitionCommand(
  fingerprint: string,
  to: 'open' | 'acknowledged' | 'resolved' | 'dismissed' | 'confirmed',
  expectedVersion: number,
  opts: { by?: string; note?: string; commandId?: string } = {},
): AlertCommand {
  return alertCommandSchema.parse({
    kind: 'transition',
    schemaVersion: ALERT_SCHEMA_VERSION,
    commandId: opts.commandId ?? nextCommandId('tr'),
    fingerprint,
    to,
    expectedVersion,
    by: opts.by ?? 'li.wei',
    note: opts.note ?? '',
    at: '2026-12-01T09:00:00.000Z',
  });
}

export function silence(overrides: Partial<Silence> = {}): Silence {
  return silenceSchema.parse({
    schemaVersion: ALERT_SCHEMA_VERSION,
    id: `sil-${++counter}`,
    detector: 'burst-before-evaluation',
    platformId: null,
    orgId: null,
    actorId: null,
    createdBy: 'zhang.min',
    reason: 'known campaign',
    createdAt: '2026-12-01T00:00:00.000Z',
    expiresAt: '2026-12-02T00:00:00.000Z',
    ...overrides,
  });
}
