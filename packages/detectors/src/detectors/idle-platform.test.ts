import type { Evaluation } from '@tracewatch/schema';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isoToDayNumber } from '../time.js';
import type { TestOutcome, TraceRecord } from '../types.js';
import { createIdlePlatformDetector, preWindowDays } from './idle-platform.js';
import { context, observeOnce, plain, shuffled, traceRecord } from './support/fixtures.js';
import { mulberry32 } from './support/prng.js';

/** Half the property runs keep everything, half a short retention window (1–40 days). */
const retentionFor = (seed: number) => (seed % 2 === 0 ? 400 : 1 + (Math.abs(seed) % 40));

const ctx = (evaluations: Evaluation[] = []) => context(Date.parse('2026-05-01T00:00:00+08:00'), { evaluations });

function run(records: readonly TraceRecord[], evaluations: Evaluation[] = [], options = {}): TestOutcome[] {
  const detector = createIdlePlatformDetector(options);
  for (const r of records) detector.observe(r);
  return detector.evaluate(ctx(evaluations));
}

const at = (isoDay: string, hour = 10) => Date.parse(`${isoDay}T${String(hour).padStart(2, '0')}:00:00+08:00`);
const trace = (isoDay: string, actorId: string, role: TraceRecord['actorRole'] = 'public', hour = 10) =>
  traceRecord({ actorId, actorRole: role, occurredAt: at(isoDay, hour) });
const dayOf = (month: string, d: number) => `${month}-${String(d).padStart(2, '0')}`;

const evaluation = (start: string, fields: Partial<Evaluation> = {}): Evaluation => ({
  id: `ev-${start}`,
  name: 'annual assessment',
  kind: 'assessment',
  start: `${start}T09:00:00+08:00`,
  end: `${start}T17:00:00+08:00`,
  ...fields,
});

/** A platform in daily use: every day of the month, `perDay` public traces by 30 actors and 2 by staff. */
function busyMonth(month: string, days: number, perDay: number, seed: number): TraceRecord[] {
  const random = mulberry32(seed);
  const records: TraceRecord[] = [];
  for (let d = 1; d <= days; d++) {
    for (let i = 0; i < perDay; i++)
      records.push(trace(dayOf(month, d), `c${Math.floor(random() * 30)}`, 'public', 8 + (i % 10)));
    records.push(trace(dayOf(month, d), 's1', 'staff'), trace(dayOf(month, d), 's2', 'staff'));
  }
  return records;
}

const find = (outcomes: TestOutcome[], rule: string, month: string) =>
  outcomes.find((o) => o.rule === rule && o.period.start === `${month}-01`);

describe('preWindowDays', () => {
  it('the 7 days before each platform-wide evaluation', () => {
    const days = preWindowDays(
      [
        evaluation('2026-03-20'),
        evaluation('2026-03-25', { orgId: 'o9' }),
        evaluation('2026-04-10', { platformId: 'p2' }),
      ],
      'p1',
      7,
      480,
    );
    expect([...days].sort((a, b) => a - b)).toEqual(
      [13, 14, 15, 16, 17, 18, 19].map((d) => isoToDayNumber(`2026-03-${d}`)),
    );
  });
});

describe('idle-platform detector', () => {
  it('near zero: a silent month between active ones, including a month with no trace at all', () => {
    const records = [
      ...busyMonth('2026-01', 31, 5, 1),
      trace('2026-02-10', 'c1'),
      trace('2026-02-11', 'c2'),
      trace('2026-02-12', 's1', 'staff'),
      ...busyMonth('2026-04', 30, 5, 2),
    ];
    const outcomes = run(records);
    const february = find(outcomes, 'near-zero', '2026-02')!;
    expect(february.statistics.traces).toBe(3);
    expect(february.effectMet).toBe(true);
    expect(find(outcomes, 'near-zero', '2026-03')!.statistics.traces).toBe(0);
    expect(find(outcomes, 'near-zero', '2026-03')!.effectMet).toBe(true);
    expect(find(outcomes, 'near-zero', '2026-01')!.effectMet).toBe(false);
    // below 20 traces the other rules are not performed
    expect(outcomes.filter((o) => o.period.start === '2026-02-01').map((o) => o.rule)).toEqual(['near-zero']);
    expect(february.explain(null).en).toContain('3 human traces');
  });

  it('staff only and few public actors', () => {
    const records = [
      ...Array.from({ length: 100 }, (_, i) => trace(dayOf('2026-03', 1 + (i % 28)), `s${i % 3}`, 'staff')),
      trace('2026-03-05', 'c1'),
      trace('2026-03-06', 'c2'),
      traceRecord({ actorId: 'bot', actorRole: 'system', occurredAt: at('2026-03-07') }),
    ];
    const outcomes = run(records);
    const staff = find(outcomes, 'staff-only', '2026-03')!;
    // 100 staff of 102 human traces (the system trace is left out): 0.98039
    expect(staff.statistics.staffShare).toBeCloseTo(100 / 102, 12);
    expect(staff.statistics.traces).toBe(102);
    expect(staff.effectMet).toBe(true);
    const few = find(outcomes, 'few-public-actors', '2026-03')!;
    expect(few.statistics.publicActors).toBe(2);
    expect(few.effectMet).toBe(true);
  });

  it('staff-only weighs absolute public use: 96 % staff with 1,200 public users is a platform in use', () => {
    // 30,000 staff traces and 1,200 public users with one trace each: staff share 30,000/31,200 = 96.2 %
    const staff = Array.from({ length: 30_000 }, (_, i) =>
      trace(dayOf('2026-03', 1 + (i % 28)), `s${i % 40}`, 'staff'),
    );
    const pub = Array.from({ length: 1200 }, (_, i) => trace(dayOf('2026-03', 1 + (i % 28)), `c${i}`));
    const outcome = find(run([...staff, ...pub]), 'staff-only', '2026-03')!;
    expect(outcome.statistics.staffShare).toBeCloseTo(30_000 / 31_200, 12);
    expect(outcome.statistics.publicActors).toBe(1200);
    expect(outcome.effectMet).toBe(false);
    // with 150 public users (each 8 traces: share 1,200/31,200 again) and no reference, it fires
    const few = Array.from({ length: 1200 }, (_, i) => trace(dayOf('2026-03', 1 + (i % 28)), `c${i % 150}`));
    expect(find(run([...staff, ...few]), 'staff-only', '2026-03')!.effectMet).toBe(true);
  });

  it('staff-only against peers and the platform’s own history', () => {
    const platformMonth = (platformId: string, month: string, staffN: number, publicN: number) => [
      ...Array.from({ length: staffN }, (_, i) => ({
        ...trace(dayOf(month, 1 + (i % 28)), `s${i % 5}`, 'staff'),
        platformId,
      })),
      ...Array.from({ length: publicN }, (_, i) => ({
        ...trace(dayOf(month, 1 + (i % 28)), `c${i % 50}`),
        platformId,
      })),
    ];
    // p1: 97 % staff (public share 3 %); peers p2, p3: public share 20 % and 40 % → median 30 %,
    // 3 % ≤ 0.1 × 30 % = 3 %: far below comparable platforms → fires
    const peers = [...platformMonth('p2', '2026-03', 80, 20), ...platformMonth('p3', '2026-03', 60, 40)];
    const low = find(run([...platformMonth('p1', '2026-03', 970, 30), ...peers]), 'staff-only', '2026-03')!;
    expect(low.statistics.peerPublicShare).toBeCloseTo(0.3, 12);
    expect(low.effectMet).toBe(true);
    // peers at 20 % and 25 % (median 22.5 %, a tenth 2.25 %): 3 % is not far below → silent
    const closer = [...platformMonth('p2', '2026-03', 80, 20), ...platformMonth('p3', '2026-03', 75, 25)];
    expect(find(run([...platformMonth('p1', '2026-03', 970, 30), ...closer]), 'staff-only', '2026-03')!.effectMet).toBe(
      false,
    );
    // own history: January and February at 4 % public, March at 1 % ≤ 0.25 × 4 % → a collapse, fires
    // even though the peers (public share 1.2 %) are no higher
    const history = [
      ...platformMonth('p1', '2026-01', 960, 40),
      ...platformMonth('p1', '2026-02', 960, 40),
      ...platformMonth('p1', '2026-03', 990, 10),
      ...platformMonth('p2', '2026-03', 988, 12),
    ];
    const drop = find(
      run(history).filter((o) => o.scope.platformId === 'p1'),
      'staff-only',
      '2026-03',
    )!;
    expect(drop.statistics.historyPublicShare).toBeCloseTo(0.04, 12);
    expect(drop.effectMet).toBe(true);
    // and the same months at a steady 4 % public are silent (neither far below peers nor a drop)
    const steady = [
      ...platformMonth('p1', '2026-01', 960, 40),
      ...platformMonth('p1', '2026-02', 960, 40),
      ...platformMonth('p1', '2026-03', 960, 40),
      ...platformMonth('p2', '2026-03', 960, 40),
    ];
    expect(
      find(
        run(steady).filter((o) => o.scope.platformId === 'p1'),
        'staff-only',
        '2026-03',
      )!.effectMet,
    ).toBe(false);
  });

  it('a platform declared staff-facing is not judged on public use, still on near-zero and evaluations', () => {
    const records = Array.from({ length: 100 }, (_, i) => trace(dayOf('2026-03', 1 + (i % 28)), `s${i % 3}`, 'staff'));
    const outcomes = run(records, [], { staffFacingPlatforms: ['p1'] });
    expect(outcomes.filter((o) => o.period.start === '2026-03-01').map((o) => o.rule)).toEqual(['near-zero']);
    const judged = run(records);
    expect(find(judged, 'staff-only', '2026-03')!.effectMet).toBe(true);
    expect(find(judged, 'few-public-actors', '2026-03')!.effectMet).toBe(true);
  });

  it('evaluation-driven: 90 of 100 traces in the 7 days before an evaluation', () => {
    const inside = Array.from({ length: 90 }, (_, i) => trace(dayOf('2026-03', 13 + (i % 7)), `c${i % 12}`));
    const outside = Array.from({ length: 10 }, (_, i) => trace(dayOf('2026-03', 1 + i), `c${i}`));
    const outcome = find(run([...inside, ...outside], [evaluation('2026-03-20')]), 'evaluation-driven', '2026-03')!;
    // trace share 90/100 = 0.9; day share 7/31 = 0.22581; concentration 0.9 / (7/31) = 3.9857
    expect(outcome.statistics.windowTraceShare).toBeCloseTo(0.9, 12);
    expect(outcome.statistics.windowDayShare).toBeCloseTo(7 / 31, 12);
    expect(outcome.score).toBeCloseTo(3.9857, 4);
    expect(outcome.effectMet).toBe(true);
    expect(outcome.evidence.preWindowDays).toHaveLength(7);
  });

  it('stays silent for a platform in daily use with a genuine campaign before an evaluation', () => {
    const records = busyMonth('2026-03', 31, 10, 3);
    // the campaign doubles public use on the 7 window days
    for (let d = 13; d <= 19; d++)
      for (let i = 0; i < 10; i++) records.push(trace(dayOf('2026-03', d), `c${(i * 7) % 30}`, 'public', 11));
    const outcomes = run(records, [evaluation('2026-03-20')]);
    expect(outcomes.map((o) => o.rule)).toEqual(['near-zero', 'staff-only', 'few-public-actors', 'evaluation-driven']);
    for (const o of outcomes) expect(o.effectMet).toBe(false);
  });

  it('DAU/MAU (opt-in): 10 actors active on 3 days each in April → 30/30/10 = 0.1', () => {
    const records = Array.from({ length: 10 }, (_, a) =>
      [1, 2, 3].map((k) => trace(dayOf('2026-04', a + k * 7 - 6), `c${a}`)),
    ).flat();
    records.push(...records.map((r) => ({ ...r, id: `${r.id}-2`, occurredAt: r.occurredAt + 60_000 }))); // two traces a visit
    const outcome = find(run(records, [], { maxDauMau: 0.2 }), 'low-dau-mau', '2026-04')!;
    // Σ daily distinct actors = 30 over 30 days → mean DAU 1; MAU 10 → 0.1
    expect(outcome.statistics.meanDailyPublicActors).toBe(1);
    expect(outcome.statistics.dauMau).toBeCloseTo(0.1, 12);
    expect(outcome.effectMet).toBe(true);
    expect(find(run(records), 'low-dau-mau', '2026-04')).toBeUndefined(); // off by default
  });

  it('a month still in progress is not judged', () => {
    const detector = createIdlePlatformDetector();
    detector.observe(trace('2026-04-02', 'c1'));
    expect(detector.evaluate(context(Date.parse('2026-04-30T12:00:00+08:00')))).toEqual([]);
  });

  it('months older than the retention window are no longer judged', () => {
    const records = [trace('2026-02-10', 'c1'), trace('2027-06-10', 'c2')];
    const detector = createIdlePlatformDetector();
    for (const r of records) detector.observe(r);
    const months = detector.evaluate(context(Date.parse('2027-07-01T00:00:00+08:00'))).map((o) => o.period.start);
    // the cutoff is 400 days before 2027-06-10: 2026-05-06; June 2026 is the first whole month after
    // it, and the silent months from then on are judged (the platform is known to exist)
    expect(months[0]).toBe('2026-06-01');
    expect(months.filter((m) => m.startsWith('2026-')).length).toBe(7);
    expect(months.at(-1)).toBe('2027-06-01');
  });

  it('never throws and gives the same outcomes in any order or split (property)', () => {
    const row = fc.record({
      day: fc.integer({ min: 0, max: 80 }),
      actor: fc.integer({ min: 0, max: 8 }),
      role: fc.constantFrom('staff', 'public', 'system'),
      platform: fc.integer({ min: 0, max: 1 }),
    });
    fc.assert(
      fc.property(fc.array(row, { maxLength: 150 }), fc.integer(), (rows, seed) => {
        const records = rows.map((r, i) =>
          traceRecord({
            id: `e${i}`,
            platformId: `p${r.platform}`,
            actorId: `a${r.actor}`,
            actorRole: r.role as TraceRecord['actorRole'],
            occurredAt: at('2026-01-05') + r.day * 86_400_000,
          }),
        );
        const evaluations = [evaluation('2026-02-10'), evaluation('2026-03-03', { platformId: 'p1' })];
        const options = { maxDauMau: 0.5, dailySketchSize: 4, monthlySketchSize: 8, retentionDays: retentionFor(seed) };
        const once = plain(run(records, evaluations, options));
        const detector = createIdlePlatformDetector(options);
        const observe = observeOnce(detector); // replays dropped as by the engine
        const mixed = shuffled(records, mulberry32(seed));
        for (const r of mixed.slice(0, 50)) observe(r);
        detector.evaluate(ctx(evaluations));
        for (const r of mixed.slice(50)) observe(r);
        for (const r of mixed.slice(0, 3)) observe(r);
        expect(plain(detector.evaluate(ctx(evaluations)))).toEqual(once);
      }),
      { numRuns: 60 },
    );
  });
});
