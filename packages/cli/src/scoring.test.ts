import type { Label } from '@tracewatch/simulator';
import { describe, expect, it } from 'vitest';
import { findingMatchesLabel, periodsOverlap, type ScoredFinding, scopeMatches, scoreFindings } from './scoring.js';
import { monthsBetween, UnitMonths } from './unit-months.js';

const org = (platformId: string, orgId: string): Label['scope'] => ({ kind: 'org', platformId, orgId });
const actor = (platformId: string, orgId: string, actorId: string): Label['scope'] => ({
  kind: 'actor',
  platformId,
  orgId,
  actorId,
});
const platform = (platformId: string): Label['scope'] => ({ kind: 'platform', platformId });

function label(
  id: string,
  scenario: string,
  kind: Label['kind'],
  detectors: string[],
  scope: Label['scope'],
  start: string,
  end: string,
): Label {
  return { id, scenario, kind, detectors, scope, period: { start, end }, description: id } as Label;
}

function finding(id: string, detector: string, scope: Label['scope'], start: string, end = start): ScoredFinding {
  return { fingerprint: id, detector, rule: 'r', scope, period: { start, end } };
}

describe('periodsOverlap', () => {
  it('counts a shared end day as overlap and adjacent days as none', () => {
    expect(periodsOverlap({ start: '2025-03-01', end: '2025-03-07' }, { start: '2025-03-07', end: '2025-03-09' })).toBe(
      true,
    );
    expect(periodsOverlap({ start: '2025-03-01', end: '2025-03-07' }, { start: '2025-03-08', end: '2025-03-09' })).toBe(
      false,
    );
    expect(periodsOverlap({ start: '2025-03-05', end: '2025-03-05' }, { start: '2025-03-01', end: '2025-03-31' })).toBe(
      true,
    );
  });
});

describe('scopeMatches (finding scope, label scope)', () => {
  it.each([
    // org label: org and actor findings of the same platform and org
    [org('P', 'O'), org('P', 'O'), true],
    [actor('P', 'O', 'A'), org('P', 'O'), true],
    [org('P', 'O2'), org('P', 'O'), false],
    [org('Q', 'O'), org('P', 'O'), false],
    [platform('P'), org('P', 'O'), false],
    // actor label: that actor, or its org
    [actor('P', 'O', 'A'), actor('P', 'O', 'A'), true],
    [actor('P', 'O', 'B'), actor('P', 'O', 'A'), false],
    [org('P', 'O'), actor('P', 'O', 'A'), true],
    [org('P', 'O2'), actor('P', 'O', 'A'), false],
    // platform label: platform findings only
    [platform('P'), platform('P'), true],
    [platform('Q'), platform('P'), false],
    [org('P', 'O'), platform('P'), false],
  ])('%j against %j → %s', (f, l, expected) => {
    expect(scopeMatches(f, l)).toBe(expected);
  });

  it('needs both scope and period', () => {
    const l = label('L', 'backfill', 'fabrication', ['backfill'], org('P', 'O'), '2025-03-10', '2025-03-16');
    expect(findingMatchesLabel(finding('a', 'backfill', org('P', 'O'), '2025-03-16'), l)).toBe(true);
    expect(findingMatchesLabel(finding('b', 'backfill', org('P', 'O'), '2025-03-17'), l)).toBe(false);
    expect(findingMatchesLabel(finding('c', 'backfill', org('P', 'X'), '2025-03-12'), l)).toBe(false);
  });
});

describe('monthsBetween', () => {
  it('spans a year boundary and includes both ends', () => {
    expect(monthsBetween('2024-11-30', '2025-02-01')).toEqual(['2024-11', '2024-12', '2025-01', '2025-02']);
    expect(monthsBetween('2025-03-05', '2025-03-09')).toEqual(['2025-03']);
  });
});

describe('scoreFindings on a hand-made run', () => {
  const labels: Label[] = [
    label(
      'L1',
      'burst-before-evaluation',
      'fabrication',
      ['burst-before-evaluation'],
      org('P1', 'O1'),
      '2025-03-01',
      '2025-03-07',
    ),
    label('L2', 'backfill', 'fabrication', ['backfill'], org('P1', 'O2'), '2025-03-10', '2025-03-16'),
    label(
      'L3',
      'machine-regular-timing',
      'fabrication',
      ['machine-regular-timing'],
      actor('P1', 'O3', 'A1'),
      '2025-02-01',
      '2025-04-30',
    ),
    label('L4', 'idle-platform', 'fabrication', ['idle-platform'], platform('P2'), '2025-01-01', '2025-06-30'),
    label('L5', 'idle-platform', 'fabrication', [], org('P2', 'O9'), '2025-02-03', '2025-02-09'),
    label('H1', 'genuine-campaign', 'hard-negative', [], org('P1', 'O4'), '2025-05-01', '2025-05-07'),
    label('H2', 'holiday', 'hard-negative', [], platform('P1'), '2025-04-04', '2025-04-06'),
  ];
  const findings: ScoredFinding[] = [
    finding('F1', 'burst-before-evaluation', org('P1', 'O1'), '2025-03-05', '2025-03-07'), // L1, expected
    finding('F2', 'backfill', actor('P1', 'O1', 'x'), '2025-03-07'), // L1, not its expected detector
    finding('F3', 'machine-regular-timing', actor('P1', 'O3', 'A2'), '2025-03-01'), // other actor: no label
    finding('F4', 'machine-regular-timing', org('P1', 'O3'), '2025-03-01', '2025-03-31'), // L3 via its org
    finding('F5', 'burst-before-evaluation', org('P1', 'O4'), '2025-05-01', '2025-05-07'), // H1 only
    finding('F6', 'idle-platform', platform('P2'), '2025-02-01', '2025-02-28'), // L4
    finding('F7', 'backfill', platform('P1'), '2025-04-05'), // H2 only
    finding('F8', 'backfill', org('P1', 'O2'), '2025-03-17', '2025-03-23'), // the day after L2: no label
  ];
  // Five units covered January–June 2025: 30 unit-months.
  const coverage = new UnitMonths('events');
  for (const [p, o] of [
    ['P1', 'O1'],
    ['P1', 'O2'],
    ['P1', 'O3'],
    ['P1', 'O4'],
    ['P2', 'O9'],
  ] as const) {
    for (const m of monthsBetween('2025-01-01', '2025-06-30')) coverage.add(p, o, m);
  }
  const r = scoreFindings(findings, labels, coverage, ['burst-before-evaluation', 'backfill', 'under-dispersion']);

  it('precision overall: F1 F2 F4 F6 of 8 match a fabrication label', () => {
    expect(r.findings).toBe(8);
    expect(r.truePositives).toBe(4);
    expect(r.precision).toBe(0.5);
    expect(r.falseFindings).toBe(4);
    expect(r.falseOnCleanTraffic).toBe(2); // F3 and F8 match no label at all
  });

  it('recall per scenario, by expected and by any detector', () => {
    const by = Object.fromEntries(r.scenarios.map((s) => [s.scenario, s]));
    expect(by['burst-before-evaluation']).toMatchObject({
      labels: 1,
      detectedExpected: 1,
      recallExpected: 1,
      recallAny: 1,
    });
    expect(by.backfill).toMatchObject({
      labels: 1,
      detectedExpected: 0,
      recallExpected: 0,
      detectedAny: 0,
      recallAny: 0,
    });
    expect(by['machine-regular-timing']).toMatchObject({ recallExpected: 1 });
    // L5 expects no detector: out of the expected recall, in the "any" recall (platform F6 does not match it).
    expect(by['idle-platform']).toMatchObject({
      labels: 2,
      expectable: 1,
      detectedExpected: 1,
      recallExpected: 1,
      detectedAny: 1,
      recallAny: 0.5,
    });
    expect(r.scenarios.map((s) => s.scenario)).not.toContain('holiday');
  });

  it('precision and recall per detector', () => {
    const by = Object.fromEntries(r.detectors.map((d) => [d.detector, d]));
    expect(by['burst-before-evaluation']).toMatchObject({
      findings: 2,
      truePositives: 1,
      precision: 0.5,
      expectedLabels: 1,
      detectedLabels: 1,
      recall: 1,
    });
    // backfill: F2 true; F7, F8 false; its own label L2 missed.
    expect(by.backfill).toMatchObject({
      findings: 3,
      truePositives: 1,
      expectedLabels: 1,
      detectedLabels: 0,
      recall: 0,
    });
    expect(by.backfill!.precision).toBeCloseTo(1 / 3, 12);
    expect(by.backfill!.falseByRule).toEqual({ r: 2 });
    expect(by['idle-platform']).toMatchObject({ findings: 1, precision: 1, recall: 1 });
    // Asked for, silent and expected by no label: reported with null shares.
    expect(by['under-dispersion']).toMatchObject({ findings: 0, precision: null, recall: null });
  });

  it('lists false positives by hard-negative scenario', () => {
    const by = Object.fromEntries(r.hardNegatives.map((h) => [h.scenario, h]));
    expect(by['genuine-campaign']).toMatchObject({
      labels: 1,
      falseFindings: 1,
      byDetector: { 'burst-before-evaluation': 1 },
      fingerprints: ['F5'],
    });
    expect(by.holiday).toMatchObject({
      labels: 1,
      falseFindings: 1,
      byDetector: { backfill: 1 },
      fingerprints: ['F7'],
    });
  });

  it('lists misses with what was found on the same unit', () => {
    expect(r.misses.map((m) => m.label.id)).toEqual(['L2']);
    expect(r.misses[0]!.sameUnitFindings.map((f) => f.fingerprint)).toEqual(['F8']);
  });

  it('false findings per 1,000 clean unit-months', () => {
    // Touched by fabrication labels: P1/O1 March (L1), P1/O2 March (L2), P1/O3 Feb–Apr (L3),
    // all six months of P2/O9 (platform label L4) → 1 + 1 + 3 + 6 = 11 of 30; clean = 19.
    expect(r.unitMonths).toEqual({ covered: 30, clean: 19, source: 'events' });
    // 4 false findings / 19 × 1000 = 210.526…
    expect(r.falsePer1000CleanUnitMonths).toBeCloseTo((4 / 19) * 1000, 9);
  });
});

describe('scoreFindings edge cases', () => {
  it('no findings: precision null, every label missed', () => {
    const l = label('L', 'backfill', 'fabrication', ['backfill'], org('P', 'O'), '2025-01-02', '2025-01-09');
    const coverage = new UnitMonths('events');
    coverage.add('P', 'O', '2025-01');
    coverage.add('P', 'O', '2025-02');
    const r = scoreFindings([], [l], coverage);
    expect(r.precision).toBeNull();
    expect(r.scenarios[0]).toMatchObject({ recallExpected: 0, recallAny: 0 });
    expect(r.unitMonths.clean).toBe(1);
    expect(r.falsePer1000CleanUnitMonths).toBe(0);
  });

  it('no clean unit-month: the rate is null, not infinite', () => {
    const l = label('L', 'idle-platform', 'fabrication', ['idle-platform'], platform('P'), '2025-01-01', '2025-01-31');
    const coverage = new UnitMonths('events');
    coverage.add('P', 'O', '2025-01');
    const r = scoreFindings([finding('F', 'backfill', org('P', 'O'), '2025-01-03')], [l], coverage);
    expect(r.falseFindings).toBe(1);
    expect(r.falsePer1000CleanUnitMonths).toBeNull();
  });
});

describe('UnitMonths.fromLabels', () => {
  it('every unit named by an org or actor label over the whole label span', () => {
    const labels = [
      label('a', 'holiday', 'hard-negative', [], org('P', 'O1'), '2025-01-28', '2025-02-04'),
      label('b', 'holiday', 'hard-negative', [], platform('P'), '2025-01-28', '2025-02-04'),
      label(
        'c',
        'machine-regular-timing',
        'fabrication',
        ['machine-regular-timing'],
        actor('P', 'O2', 'A'),
        '2025-03-01',
        '2025-04-10',
      ),
    ];
    const coverage = UnitMonths.fromLabels(labels);
    // Units O1 and O2, months 2025-01 … 2025-04 → 8 unit-months; label c touches O2 in March and April.
    expect(coverage.size).toBe(8);
    expect(coverage.cleanCount(labels.filter((l) => l.kind === 'fabrication'))).toBe(6);
  });
});
