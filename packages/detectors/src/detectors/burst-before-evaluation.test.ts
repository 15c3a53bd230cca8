import type { Evaluation } from '@tracewatch/schema';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PRC_CALENDAR } from '../calendar/calendar.js';
import { normalSf } from '../stats/normal.js';
import { studentTSf } from '../stats/student-t.js';
import { dayRecords, localMs } from '../testing/records.js';
import { dayNumberToIso, isoToDayNumber } from '../time.js';
import type { EvaluateContext, TestOutcome, TraceRecord } from '../types.js';
import { createBurstBeforeEvaluationDetector } from './burst-before-evaluation.js';

function evaluation(id: string, startIso: string, scope: { platformId?: string; orgId?: string } = {}): Evaluation {
  return {
    id,
    name: `inspection ${id}`,
    kind: 'inspection',
    start: `${startIso}T09:00:00+08:00`,
    end: `${startIso}T17:00:00+08:00`,
    ...scope,
  };
}

/** Daily counts over [first, last]: count(dayIndex, iso). */
function series(
  firstIso: string,
  lastIso: string,
  count: (i: number, iso: string) => number,
  overrides = {},
): TraceRecord[] {
  const out: TraceRecord[] = [];
  const first = isoToDayNumber(firstIso);
  for (let day = first; day <= isoToDayNumber(lastIso); day++) {
    const iso = dayNumberToIso(day);
    out.push(...dayRecords(iso, count(day - first, iso), overrides));
  }
  return out;
}

function run(records: readonly TraceRecord[], ctx: EvaluateContext): TestOutcome[] {
  const detector = createBurstBeforeEvaluationDetector();
  for (const r of records) detector.observe(r);
  return detector.evaluate(ctx);
}

const EVAL = evaluation('e1', '2024-08-26');
const ctxAfter = (asOfIso: string, evaluations = [EVAL]): EvaluateContext => ({
  asOf: localMs(asOfIso, 0),
  evaluations,
  metrics: [],
});

/**
 * Data 2024-07-15 … 2024-09-05 (younger than 8 weeks outside the pre-window, so the flat profile:
 * every day weight 1). Baseline = the 28 days 2024-07-22 … 2024-08-18, alternating 5 and 15
 * (sum 280); pre-window 2024-08-19 … 08-25 at `preCount` a day; after the evaluation 10 a day.
 */
function scenario(preCount: number): TraceRecord[] {
  return series('2024-07-15', '2024-09-05', (_, iso) => {
    if (iso < '2024-07-22') return 10;
    if (iso <= '2024-08-18') return (isoToDayNumber(iso) - isoToDayNumber('2024-07-22')) % 2 === 0 ? 5 : 15;
    if (iso <= '2024-08-25') return preCount;
    return 10;
  });
}

describe('burst-before-evaluation', () => {
  it('fires on a tripling before the evaluation; statistic as computed by hand', () => {
    const [outcome, ...rest] = run(scenario(30), ctxAfter('2024-09-04'));
    expect(rest).toHaveLength(0);
    // X_P = 7·30 = 210, X_B = 280, e_P = 7, e_B = 28 → π0 = 7/35 = 0.2, N = 490
    // RR = (210/7)/(280/28) = 30/10 = 3
    // φ: level 10, e = 10 every day; Σ(x − e)² = 28·25 = 700; Σe − Σe²/Σe = 280 − 2800/280 = 270
    // → φ = 700/270 = 70/27 ≈ 2.593 (with equal e the same as Pearson χ²/df = 28·2.5/27)
    // z = (210 − 490·0.2)/√(φ·490·0.2·0.8) = 112/√(2.593·78.4) = 112/14.257 ≈ 7.856
    // p from Student's t with 27 df (φ is estimated from 28 days): far above the normal tail
    const z = 112 / Math.sqrt((70 / 27) * 78.4);
    expect(outcome?.statistics.rateRatio).toBeCloseTo(3, 12);
    expect(outcome?.statistics.phi).toBeCloseTo(70 / 27, 12);
    expect(outcome?.statistics.z).toBeCloseTo(z, 10);
    expect(z).toBeCloseTo(7.856, 3);
    expect(outcome?.pValue).toBe(studentTSf(z, 27));
    expect(outcome?.pValue).toBeGreaterThan(normalSf(z) * 1e4);
    expect(outcome?.pValue).toBeLessThan(1e-7);
    expect(outcome?.effectMet).toBe(true);
    expect(outcome?.period).toEqual({ start: '2024-08-19', end: '2024-08-25' });
    expect(outcome?.scope).toEqual({ kind: 'org', platformId: 'p1', orgId: 'o1' });
    // after the evaluation (Aug 27 – Sep 2) 10 a day: RR_after = (70/7)/(280/28) = 1 → fell back
    expect(outcome?.statistics.rateRatioAfter).toBeCloseTo(1, 12);
    expect(outcome?.evidence.fellBackAfter).toBe(true);
    expect(outcome?.evidence.profileSource).toBe('flat');
    const text = outcome!.explain(0.0002);
    expect(text['zh-CN']).toContain('3.0倍');
    expect(text['zh-CN']).toContain('q=0.0002');
    expect(text.en).toContain('210');
  });

  it('stays silent on a modest campaign (RR 1.2)', () => {
    const [outcome] = run(scenario(12), ctxAfter('2024-09-04'));
    // X_P = 84, N = 364, Nπ0 = 72.8; z = 11.2/√(2.593·364·0.16) = 11.2/12.288 ≈ 0.911
    expect(outcome?.statistics.rateRatio).toBeCloseTo(1.2, 12);
    expect(outcome?.statistics.z).toBeCloseTo(11.2 / Math.sqrt((70 / 27) * 364 * 0.16), 10);
    expect(outcome?.effectMet).toBe(false);
    expect(outcome?.pValue).toBeGreaterThan(0.1);
  });

  it('stays silent on honest month-end peaks: the profile expects them', () => {
    // From 2024-04-08: working days 20, the last 3 working days of each month 100 (×5), days off 2.
    // Evaluation on Mon 2024-09-02: P = Aug 26 – Sep 1 holds Aug 28–30, the end of August.
    // Profile: weekday weights from ordinary days (20 / 2); month-end factor from Apr 28–30,
    // May 29–31, Jul 29–31 (9 days outside P: 900 observed / 9·20 expected = 5); June's quarter
    // end (3 days < 6) takes the month-end factor. After-holiday days (May 6–7, Jun 11–12: 4 < 6)
    // keep factor 1.
    // P: X_P = 2·20 + 3·100 + 2·2 = 344 = its expectation. Baseline Jul 29 – Aug 25 (28 days, no
    // holiday): X_B = 3·100 + 17·20 + 8·2 = 656 = its expectation → RR = 1, z = 0.
    // (Ignoring month ends, the week alone would predict 2·20 + 3·20 + 2·2 = 104 in P against a
    // baseline level of 656/416: RR ≈ (344/104)/(656/416) = 2.10, a false burst.)
    const monthEnds = new Set([
      '2024-04-28',
      '2024-04-29',
      '2024-04-30',
      '2024-05-29',
      '2024-05-30',
      '2024-05-31',
      '2024-06-26',
      '2024-06-27',
      '2024-06-28',
      '2024-07-29',
      '2024-07-30',
      '2024-07-31',
      '2024-08-28',
      '2024-08-29',
      '2024-08-30',
    ]);
    const records = series('2024-04-08', '2024-09-05', (_, iso) =>
      monthEnds.has(iso) ? 100 : PRC_CALENDAR.isWorkingDay(isoToDayNumber(iso)) ? 20 : 2,
    );
    const [outcome] = run(records, ctxAfter('2024-09-04', [evaluation('e1', '2024-09-02')]));
    expect(outcome?.evidence.profileSource).toBe('own');
    expect(outcome?.statistics.observedPre).toBe(344);
    expect(outcome?.statistics.observedBaseline).toBe(656);
    expect(outcome?.statistics.rateRatio).toBeCloseTo(1, 10);
    expect(Math.abs(outcome!.statistics.z!)).toBeLessThan(1e-6);
    expect(outcome?.effectMet).toBe(false);
  });

  it('minimum sample: needs the whole baseline inside the data and the pre-window ended', () => {
    const records = scenario(30);
    // unit starts on the first baseline day (Jul 22): tested; one day later: not tested
    const fromJul22 = records.filter((r) => r.occurredAt >= localMs('2024-07-22', 0));
    const fromJul23 = records.filter((r) => r.occurredAt >= localMs('2024-07-23', 0));
    expect(run(fromJul22, ctxAfter('2024-09-04'))).toHaveLength(1);
    expect(run(fromJul23, ctxAfter('2024-09-04'))).toHaveLength(0);
    // asOf inside the last pre-window day: not judged; at the start of day E: judged
    expect(run(records, { ...ctxAfter('2024-08-25'), asOf: localMs('2024-08-25', 23) })).toHaveLength(0);
    expect(run(records, ctxAfter('2024-08-26'))).toHaveLength(1);
    // X_P ≥ 20 is part of the rule: 2 a day in P (14) cannot be a finding however low the baseline
    const tiny = series('2024-07-15', '2024-08-25', (_, iso) => (iso <= '2024-08-18' ? 0 : 2));
    tiny.push(...dayRecords('2024-07-15', 1));
    const [small] = run(tiny, ctxAfter('2024-08-27'));
    expect(small?.statistics.observedPre).toBe(14);
    expect(small?.effectMet).toBe(false);
  });

  it('does not judge a rising baseline (ramp-up is not a burst)', () => {
    // Baseline Jul 22 – Aug 18 (flat profile): first 14 days 10 a day (140), last 14 days
    // 30 a day (420): RR_trend = 3. φ: each block around its own level, only one block here:
    // level 20, Σ(x − e)² = 28·100 = 2800, Σe − Σe²/Σe = 560 − 28·400/560 = 540 → φ = 5.185;
    // z = (420 − 560·0.5)/√(5.185·560·0.25) = 140/26.94 = 5.20 → p ≈ 1e-5 ≤ 0.001 → not judged.
    const ramp = series('2024-07-15', '2024-09-05', (_, iso) =>
      iso < '2024-08-05' ? 10 : iso <= '2024-08-18' ? 30 : iso <= '2024-08-25' ? 90 : 30,
    );
    expect(run(ramp, ctxAfter('2024-09-04'))).toHaveLength(0);
    // a milder rise (10 → 19, RR_trend 1.9 < 2) is still judged
    const mild = series('2024-07-15', '2024-09-05', (_, iso) =>
      iso < '2024-08-05' ? 10 : iso <= '2024-08-18' ? 19 : iso <= '2024-08-25' ? 50 : 15,
    );
    expect(run(mild, ctxAfter('2024-09-04'))).toHaveLength(1);
    // a sparse, nearly idle unit (8 traces in the baseline) has no significant trend: judged
    const sparse = series('2024-07-15', '2024-09-05', (i, iso) =>
      iso >= '2024-08-19' && iso <= '2024-08-25' ? 15 : i % 7 === 0 ? 2 : 0,
    );
    const [idle] = run(sparse, ctxAfter('2024-09-04'));
    expect(idle?.effectMet).toBe(true);
  });

  it('skips holidays and other pre-windows when building the baseline', () => {
    // evaluation on 2024-10-15: P = Oct 8–14; the 28 baseline days skip National Day (Oct 1–7)
    // and Mid-Autumn (Sep 15–17): Aug 31 … Sep 30 without Sep 15–17 = 31 − 3 = 28 days
    const records = series('2024-06-01', '2024-10-20', () => 10);
    const [outcome] = run(records, ctxAfter('2024-10-16', [evaluation('e2', '2024-10-15')]));
    const baseline = outcome?.evidence.baselineDays as string[];
    expect(baseline).toHaveLength(28);
    expect(baseline[0]).toBe('2024-08-31');
    expect(baseline.at(-1)).toBe('2024-09-30');
    expect(baseline).not.toContain('2024-09-16');
    // a second evaluation on Sep 20 removes its pre-window Sep 13–19 as well
    const [, second] = run(
      records,
      ctxAfter('2024-10-16', [evaluation('e3', '2024-09-20'), evaluation('e2', '2024-10-15')]),
    );
    const baseline2 = second?.evidence.baselineDays as string[];
    expect(baseline2).not.toContain('2024-09-13');
    expect(baseline2).not.toContain('2024-09-19');
    expect(baseline2).toHaveLength(28);
  });

  it('applies evaluation scope: platform-only covers that platform; org-specific only that org', () => {
    const a = scenario(30);
    const b = scenario(30).map((r) => ({ ...r, id: `b${r.id}`, platformId: 'p2' }));
    const c = scenario(30).map((r) => ({ ...r, id: `c${r.id}`, orgId: 'o9' }));
    const all = [...a, ...b, ...c];
    const scoped = (e: Evaluation) =>
      run(all, ctxAfter('2024-09-04', [e])).map((o) => `${o.scope.platformId}/${o.scope.orgId}`);
    expect(scoped(evaluation('x', '2024-08-26', { platformId: 'p2' }))).toEqual(['p2/o1']);
    expect(scoped(evaluation('x', '2024-08-26', { orgId: 'o9' }))).toEqual(['p1/o9']);
    expect(scoped(evaluation('x', '2024-08-26')).sort()).toEqual(['p1/o1', 'p1/o9', 'p2/o1']);
  });

  it('reports recorded-time counts: back-dated traces show in recorded time only', () => {
    // baseline steady 10/day by both clocks; in P 200 extra traces recorded on Aug 23 that claim
    // dates in the baseline: no burst by claimed time, a burst by recorded time
    const records = series('2024-07-15', '2024-08-30', () => 10);
    const backdated = series('2024-07-22', '2024-08-18', () => 7, { recordedAt: localMs('2024-08-23', 15) }).map(
      (r) => ({
        ...r,
        id: `bd${r.id}`,
      }),
    );
    const [outcome] = run([...records, ...backdated], ctxAfter('2024-08-27'));
    expect(outcome?.effectMet).toBe(false);
    expect(outcome?.statistics.observedPreRecorded).toBe(70 + 7 * 28);
    expect(outcome?.statistics.rateRatioRecorded).toBeGreaterThan(2);
  });

  it('names the actors behind the excess', () => {
    const base = scenario(10);
    const extra = dayRecords('2024-08-21', 100, {}, ['mallory']).map((r) => ({ ...r, id: `x${r.id}` }));
    const [outcome] = run([...base, ...extra], ctxAfter('2024-09-04'));
    // excess = 100 (all from mallory) → the top-3 share is 1
    expect(outcome?.statistics.topActorsExcessShare).toBeCloseTo(1, 12);
    expect((outcome!.evidence.topActors as { actorId: string }[])[0]?.actorId).toBe('mallory');
  });
});

const comparable = (outcomes: TestOutcome[]) =>
  JSON.stringify(outcomes.map(({ explain, ...rest }) => ({ ...rest, text: explain(0.001) })));

describe('burst-before-evaluation properties', () => {
  const start = localMs('2024-05-01', 0);
  const arbRecord = fc
    .record({
      org: fc.constantFrom('o1', 'o2'),
      actor: fc.constantFrom('a1', 'a2', 'a3'),
      at: fc.integer({ min: 0, max: 120 * 86_400_000 }),
      lag: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 5 * 86_400_000 })),
    })
    .map(
      ({ org, actor, at, lag }, i = 0): TraceRecord => ({
        id: `${org}-${actor}-${at}-${lag}-${i}`,
        platformId: 'p1',
        orgId: org,
        actorId: actor,
        actorRole: 'staff',
        action: 'case.close',
        occurredAt: start + at,
        recordedAt: start + at + lag,
      }),
    );
  const ctx: EvaluateContext = {
    asOf: localMs('2024-09-01', 0),
    evaluations: [evaluation('e1', '2024-07-20'), evaluation('e2', '2024-08-10', { orgId: 'o2' })],
    metrics: [],
  };
  // a dense base so tests are actually performed
  const base = series('2024-05-01', '2024-08-25', (i) => 3 + (i % 4));

  it('never throws; order and batching do not change the outcomes', () => {
    fc.assert(
      fc.property(fc.array(arbRecord, { maxLength: 150 }), fc.integer(), (extra, seed) => {
        const all = [...base, ...extra];
        const reference = comparable(run(all, ctx));
        const shuffled = [...all].sort((a, b) => ((a.occurredAt * 31 + seed) % 97) - ((b.occurredAt * 31 + seed) % 97));
        expect(comparable(run(shuffled, ctx))).toBe(reference);
        const detector = createBurstBeforeEvaluationDetector();
        const half = Math.floor(all.length / 2);
        for (const r of all.slice(half)) detector.observe(r);
        detector.evaluate(ctx); // an evaluation in between must not disturb the state
        for (const r of all.slice(0, half)) detector.observe(r);
        expect(comparable(detector.evaluate(ctx))).toBe(reference);
      }),
      { numRuns: 25 },
    );
  });
});
