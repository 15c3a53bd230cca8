import { describe, expect, it } from 'vitest';
import { fingerprint } from './fingerprint.js';
import { runDetectors } from './runner.js';
import type { Detector, DetectorName, EvaluateContext, Scope, TestOutcome } from './types.js';

const ctx: EvaluateContext = { asOf: 0, evaluations: [], metrics: [] };
const org = (orgId: string): Scope => ({ kind: 'org', platformId: 'p1', orgId });

function outcome(detector: DetectorName, over: Partial<TestOutcome>): TestOutcome {
  return {
    detector,
    rule: 'r',
    scope: org('o1'),
    period: { start: '2024-03-01', end: '2024-03-07' },
    pValue: 0.5,
    qThreshold: 0.05,
    effectMet: true,
    score: 1,
    statistics: {},
    evidence: {},
    explain: (q) => ({ 'zh-CN': `q=${q}`, en: `q=${q}` }),
    ...over,
  };
}

function fixed(name: DetectorName, outcomes: TestOutcome[]): Detector {
  return { name, observe: () => {}, evaluate: () => outcomes };
}

describe('runDetectors', () => {
  it('applies BH per detector: p = (0.01, 0.04, 0.03, 0.005) → q = (0.02, 0.04, 0.04, 0.02)', () => {
    const ps = [0.01, 0.04, 0.03, 0.005];
    const outcomes = ps.map((p, i) => outcome('backfill', { pValue: p, scope: org(`o${i}`), qThreshold: 0.03 }));
    const findings = runDetectors([fixed('backfill', outcomes)], ctx);
    // q ≤ 0.03 only for o0 (q 0.02) and o3 (q 0.02)
    expect(findings.map((f) => f.scope.orgId).sort()).toEqual(['o0', 'o3']);
    expect(findings.every((f) => f.qValue !== null && Math.abs(f.qValue - 0.02) < 1e-15)).toBe(true);
    expect(findings[0]?.explanation.en).toBe(`q=${findings[0]?.qValue}`);
    // another detector's outcomes do not enter this detector's BH: alone, p = 0.04 has q = 0.04
    const alone = runDetectors([fixed('backfill', [outcome('backfill', { pValue: 0.04, qThreshold: 0.04 })])], ctx);
    expect(alone[0]?.qValue).toBe(0.04);
  });

  it('BY option multiplies by Σ1/i (m = 4: 25/12)', () => {
    const outcomes = [0.01, 0.04, 0.03, 0.005].map((p, i) =>
      outcome('backfill', { pValue: p, scope: org(`o${i}`), qThreshold: 1 }),
    );
    const findings = runDetectors([fixed('backfill', outcomes)], ctx, { method: 'by' });
    const q0 = findings.find((f) => f.scope.orgId === 'o0')?.qValue;
    expect(q0).toBeCloseTo((0.02 * 25) / 12, 15);
  });

  it('needs the effect condition; score rules (p = null) need only the effect', () => {
    const findings = runDetectors(
      [
        fixed('idle-platform', [
          outcome('idle-platform', { pValue: null, scope: { kind: 'platform', platformId: 'p1' } }),
          outcome('idle-platform', { pValue: null, effectMet: false, scope: { kind: 'platform', platformId: 'p2' } }),
        ]),
        fixed('backfill', [outcome('backfill', { pValue: 1e-9, effectMet: false })]),
      ],
      ctx,
    );
    expect(findings).toHaveLength(1);
    expect(findings[0]?.qValue).toBeNull();
    expect(findings[0]?.severity).toBe('warning');
  });

  it('severity: critical at q ≤ threshold/100 or when another detector agrees on the unit and period', () => {
    const strong = runDetectors([fixed('backfill', [outcome('backfill', { pValue: 1e-6, qThreshold: 0.01 })])], ctx);
    expect(strong[0]?.severity).toBe('critical'); // q = 1e-6 ≤ 0.01/100
    const weak = runDetectors([fixed('backfill', [outcome('backfill', { pValue: 0.005, qThreshold: 0.01 })])], ctx);
    expect(weak[0]?.severity).toBe('warning');

    const burst = outcome('burst-before-evaluation', {
      pValue: 0.005,
      qThreshold: 0.01,
      period: { start: '2024-03-01', end: '2024-03-07' },
    });
    // an actor finding of the same org, overlapping on Mar 7
    const timing = outcome('machine-regular-timing', {
      pValue: null,
      scope: { kind: 'actor', platformId: 'p1', orgId: 'o1', actorId: 'a9' },
      period: { start: '2024-03-07', end: '2024-03-20' },
    });
    const elsewhere = outcome('backfill', { pValue: 0.001, qThreshold: 0.01, scope: org('o2') });
    const later = outcome('backfill', {
      pValue: 0.001,
      qThreshold: 0.01,
      period: { start: '2024-04-01', end: '2024-04-07' },
    });
    const findings = runDetectors(
      [
        fixed('burst-before-evaluation', [burst]),
        fixed('machine-regular-timing', [timing]),
        fixed('backfill', [elsewhere, later]),
      ],
      ctx,
    );
    const of = (d: DetectorName, orgId = 'o1') => findings.filter((f) => f.detector === d && f.scope.orgId === orgId);
    expect(of('burst-before-evaluation')[0]?.corroboratedBy).toEqual(['machine-regular-timing']);
    expect(of('burst-before-evaluation')[0]?.severity).toBe('critical');
    expect(of('machine-regular-timing')[0]?.corroboratedBy).toEqual(['burst-before-evaluation']);
    // o2 is another unit; the April backfill finding does not overlap the March ones
    expect(of('backfill', 'o2')[0]?.corroboratedBy).toEqual([]);
    expect(of('backfill', 'o1')[0]?.corroboratedBy).toEqual([]);
    expect(of('backfill', 'o1')[0]?.severity).toBe('warning');
  });

  it('fingerprints are stable and findings sorted deterministically', () => {
    const make = () => [
      fixed('backfill', [
        outcome('backfill', { pValue: 0.001, scope: org('b'), score: 2 }),
        outcome('backfill', { pValue: 0.001, scope: org('a'), score: 5 }),
      ]),
      fixed('under-dispersion', [outcome('under-dispersion', { pValue: 1e-9, scope: org('z') })]),
    ];
    const first = runDetectors(make(), ctx);
    const second = runDetectors([...make()].reverse(), ctx);
    expect(second.map((f) => f.fingerprint)).toEqual(first.map((f) => f.fingerprint));
    // critical (q ≤ 0.05/100) first, then detector order, then score
    expect(first.map((f) => f.scope.orgId)).toEqual(['z', 'a', 'b']);
    expect(first[1]?.fingerprint).toBe(
      fingerprint('backfill', 'r', org('a'), { start: '2024-03-01', end: '2024-03-07' }),
    );
    expect(first[1]?.fingerprint).toMatch(/^[0-9a-f]{32}$/);
  });

  it('a throwing detector: propagates by default, reported and skipped with a handler', () => {
    const broken: Detector = {
      name: 'digit-preference',
      observe: () => {},
      evaluate: () => {
        throw new Error('bug');
      },
    };
    const ok = fixed('backfill', [outcome('backfill', { pValue: 0.001 })]);
    expect(() => runDetectors([broken, ok], ctx)).toThrow('bug');
    const errors: string[] = [];
    const findings = runDetectors([broken, ok], ctx, { onDetectorError: (name) => errors.push(name) });
    expect(errors).toEqual(['digit-preference']);
    expect(findings).toHaveLength(1);
  });

  it('treats a NaN p-value as no evidence', () => {
    const findings = runDetectors([fixed('backfill', [outcome('backfill', { pValue: Number.NaN })])], ctx);
    expect(findings).toHaveLength(0);
  });

  it('merges overlapping sliding windows of one scope into one finding per span', () => {
    const window = (start: string, end: string, pValue: number, orgId = 'o1') =>
      outcome('under-dispersion', { pValue, qThreshold: 0.01, scope: org(orgId), period: { start, end } });
    const windows = [
      window('2024-03-04', '2024-03-29', 1e-6),
      window('2024-03-11', '2024-04-05', 1e-9), // the strongest
      window('2024-03-18', '2024-04-12', 1e-7),
      window('2024-04-22', '2024-05-17', 1e-6), // does not overlap the chain: its own finding
      window('2024-03-11', '2024-04-05', 1e-6, 'o2'), // another scope
    ];
    const findings = runDetectors([fixed('under-dispersion', windows)], ctx);
    const o1 = findings
      .filter((f) => f.scope.orgId === 'o1')
      .sort((a, b) => (a.period.start < b.period.start ? -1 : 1));
    expect(o1.map((f) => f.period)).toEqual([
      { start: '2024-03-04', end: '2024-04-12' },
      { start: '2024-04-22', end: '2024-05-17' },
    ]);
    const span = o1[0]!;
    expect(span.pValue).toBe(1e-9);
    expect(span.statistics.windows).toBe(3);
    // the fingerprint of the span's first window: a span growing at its end keeps it
    expect(span.fingerprint).toBe(
      fingerprint('under-dispersion', 'r', org('o1'), { start: '2024-03-04', end: '2024-03-29' }),
    );
    const grown = runDetectors(
      [fixed('under-dispersion', [...windows, window('2024-03-25', '2024-04-19', 1e-6)])],
      ctx,
    );
    expect(grown.find((f) => f.scope.orgId === 'o1' && f.period.start === '2024-03-04')?.fingerprint).toBe(
      span.fingerprint,
    );
    expect((span.evidence.span as { windows: unknown[] }).windows).toHaveLength(3);
    expect(span.explanation.en).toContain('3 overlapping windows from 2024-03-04 to 2024-04-12');
    expect(span.explanation['zh-CN']).toContain('共有3个相互重叠的窗口');
    // a lone window is left as it is
    expect(o1[1]?.fingerprint).toBe(
      fingerprint('under-dispersion', 'r', org('o1'), { start: '2024-04-22', end: '2024-05-17' }),
    );
    expect(o1[1]?.statistics.windows).toBeUndefined();
    expect(findings.filter((f) => f.scope.orgId === 'o2')).toHaveLength(1);
  });

  it('merges only the detectors that test sliding windows', () => {
    const overlapping = [
      outcome('backfill', { pValue: 1e-6, qThreshold: 0.01, period: { start: '2024-03-01', end: '2024-03-07' } }),
      outcome('backfill', { pValue: 1e-6, qThreshold: 0.01, period: { start: '2024-03-05', end: '2024-03-11' } }),
    ];
    expect(runDetectors([fixed('backfill', overlapping)], ctx)).toHaveLength(2);
    expect(runDetectors([fixed('backfill', overlapping)], ctx, { mergeOverlapping: ['backfill'] })).toHaveLength(1);
  });
});
