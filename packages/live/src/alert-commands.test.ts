import type { Finding } from '@tracewatch/detectors';
import { alertCommandSchema } from '@tracewatch/schema';
import { describe, expect, it } from 'vitest';
import { FindingTracker, toFindingContract } from './alert-commands.js';

const finding = (fingerprint: string, end: string, pValue = 1e-6): Finding => ({
  fingerprint,
  detector: 'backfill',
  rule: 'weekly',
  scope: { kind: 'org', platformId: 'plat-1', orgId: 'org-1' },
  period: { start: '2026-02-23', end },
  statistics: { b: 30, n: 100, ratio: Number.POSITIVE_INFINITY },
  pValue,
  qValue: pValue * 10,
  score: 3.2,
  severity: 'warning',
  evidence: { series: [1, Number.NaN] },
  explanation: { 'zh-CN': '说明', en: 'explanation' },
  corroboratedBy: [],
});

const fp = (c: string) => c.repeat(32);
const day = (iso: string) => Date.parse(`${iso}T12:00:00+08:00`);

describe('toFindingContract', () => {
  it('gives what the schema accepts: no NaN or Infinity anywhere', () => {
    const f = toFindingContract(finding(fp('a'), '2026-03-01'));
    expect(f.statistics).toEqual({ b: 30, n: 100 });
    expect(f.evidence).toEqual({ series: [1, null] });
  });
});

describe('FindingTracker', () => {
  const tracker = () => new FindingTracker({ by: 'system:detector@test', retentionDays: 400, utcOffsetMinutes: 480 });

  it('sends a new finding once, and again only when it changes or a stream day has passed', () => {
    const t = tracker();
    const first = t.commands([finding(fp('a'), '2026-03-01')], day('2026-03-02'));
    expect(first).toHaveLength(1);
    expect(alertCommandSchema.parse(first[0]).kind).toBe('finding');
    expect(t.commands([finding(fp('a'), '2026-03-01')], day('2026-03-02') + 60_000)).toEqual([]);
    expect(t.commands([finding(fp('a'), '2026-03-01', 1e-7)], day('2026-03-02') + 120_000)).toHaveLength(1);
    expect(t.commands([finding(fp('a'), '2026-03-01', 1e-7)], day('2026-03-03'))).toHaveLength(1);
  });

  it('gives a repeated command the same id (the keeper applies it once)', () => {
    const a = tracker().commands([finding(fp('a'), '2026-03-01')], day('2026-03-02'));
    const b = tracker().commands([finding(fp('a'), '2026-03-01')], day('2026-03-02') + 5_000);
    expect(a[0]?.commandId).toBe(b[0]?.commandId);
  });

  it('withdraws a finding that stopped holding, once, but not one that aged out of retention', () => {
    const t = tracker();
    t.commands([finding(fp('a'), '2026-03-01'), finding(fp('b'), '2025-01-05')], day('2026-03-02'));
    const next = t.commands([], day('2026-03-03'));
    expect(next.map((c) => [c.kind, c.kind === 'withdraw' ? c.fingerprint : ''])).toEqual([['withdraw', fp('a')]]);
    expect(t.commands([], day('2026-03-04'))).toEqual([]);
    expect(t.size).toBe(0);
  });

  it('withdraws adopted alerts (after a restart) that the next evaluation does not find', () => {
    const t = tracker();
    t.adopt([
      { fingerprint: fp('c'), periodEnd: '2026-02-28' },
      { fingerprint: fp('a'), periodEnd: '2026-03-01' },
    ]);
    const cmds = t.commands([finding(fp('a'), '2026-03-01')], day('2026-03-02'));
    expect(cmds.map((c) => c.kind).sort()).toEqual(['finding', 'withdraw']);
  });
});
