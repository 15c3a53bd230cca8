import type { Evaluation } from '@tracewatch/schema';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { binomialSf } from '../stats/binomial.js';
import { quasiBinomialSf } from '../stats/quasi-binomial.js';
import { localMs, record } from '../testing/records.js';
import { dayNumberToIso, isoToDayNumber } from '../time.js';
import type { EvaluateContext, TestOutcome, TraceRecord } from '../types.js';
import { createBackfillDetector } from './backfill.js';

const DAY = 86_400_000;
// Measured ~0.9 s a run on the loaded 2-core machine: 8 runs by default with a timeout 5× their
// cost; the long run under `npm run test:deep`.
const PROPERTY_RUNS = process.env.TRACEWATCH_DEEP === '1' ? 100 : 8;
const PROPERTY_TIMEOUT_MS = 5 * PROPERTY_RUNS * 900;

/** `n` traces recorded on each day of [first, last], `backfilled(dayIndex)` of them 3 days late. */
function recorded(
  firstIso: string,
  lastIso: string,
  n: number,
  backfilled: (i: number) => number,
  unit: Partial<TraceRecord> = {},
): TraceRecord[] {
  const out: TraceRecord[] = [];
  const first = isoToDayNumber(firstIso);
  for (let day = first; day <= isoToDayNumber(lastIso); day++) {
    const late = backfilled(day - first);
    for (let i = 0; i < n; i++) {
      const recordedAt = localMs(dayNumberToIso(day), 9) + i * 60_000;
      out.push(record({ ...unit, recordedAt, occurredAt: i < late ? recordedAt - 3 * DAY : recordedAt }));
    }
  }
  return out;
}

function run(records: readonly TraceRecord[], ctx: EvaluateContext): TestOutcome[] {
  const detector = createBackfillDetector();
  for (const r of records) detector.observe(r);
  return detector.evaluate(ctx);
}

const ctx = (evaluations: Evaluation[] = []): EvaluateContext => ({
  asOf: localMs('2024-05-06', 0),
  evaluations,
  metrics: [],
});

/**
 * Baseline 2024-03-04 (Mon) … 04-28 (Sun), 56 days × 10 traces, one backfilled every other day:
 * n0 = 560, b0 = 28. Window: the ISO week 2024-04-29 … 05-05, 10 a day (n = 70).
 */
function unitWith(windowBackfilledPerDay: number, unit: Partial<TraceRecord> = {}): TraceRecord[] {
  return [
    ...recorded('2024-03-04', '2024-04-28', 10, (i) => (i % 2 === 0 ? 1 : 0), unit),
    ...recorded('2024-04-29', '2024-05-05', 10, () => windowBackfilledPerDay, unit),
  ];
}

describe('backfill', () => {
  it('fires when a week is mostly backfilled; statistic by hand', () => {
    // window: b = 7·5 = 35 of n = 70 (50 %); p0 = (28 + 1)/(560 + 2) = 29/562 ≈ 0.0516
    // expected b ≈ 70·0.0516 = 3.6; P(X ≥ 35 | 70, 0.0516) is astronomically small
    const [weekly, ...rest] = run(unitWith(5), ctx());
    expect(rest).toHaveLength(0);
    expect(weekly?.rule).toBe('weekly');
    expect(weekly?.period).toEqual({ start: '2024-04-29', end: '2024-05-05' });
    expect(weekly?.statistics.p0).toBeCloseTo(29 / 562, 15);
    expect(weekly?.statistics.backfilled).toBe(35);
    expect(weekly?.pValue).toBe(binomialSf(35, 70, 29 / 562));
    expect(weekly?.pValue).toBeLessThan(1e-20);
    expect(weekly?.effectMet).toBe(true);
    expect(weekly?.evidence.comparison).toBe('own-history');
    expect((weekly!.evidence.lagBuckets as Record<string, number>)['2-7d']).toBe(35);
    const text = weekly!.explain(1e-6);
    expect(text['zh-CN']).toContain('35条为补录');
    expect(text.en).toContain('35 of the 70');
  });

  it('stays silent near the usual share', () => {
    // b = 7 of 70 (10 %) < 2·p0 = 10.3 %: effect not met, and b < 20
    const [weekly] = run(unitWith(1), ctx());
    expect(weekly?.statistics.share).toBeCloseTo(0.1, 15);
    expect(weekly?.effectMet).toBe(false);
  });

  it('tests the pre-window of an evaluation by recording day', () => {
    const evaluation: Evaluation = {
      id: 'e1',
      name: 'audit',
      kind: 'audit',
      start: '2024-05-06T09:00:00+08:00',
      end: '2024-05-07T09:00:00+08:00',
    };
    const outcomes = run(unitWith(5), ctx([evaluation]));
    expect(outcomes.map((o) => o.rule).sort()).toEqual(['pre-evaluation', 'weekly']);
    const pre = outcomes.find((o) => o.rule === 'pre-evaluation');
    expect(pre?.period).toEqual({ start: '2024-04-29', end: '2024-05-05' });
    expect(pre?.evidence.evaluationIds).toEqual(['e1']);
  });

  it('minimum sample: full 8-week history, n ≥ 20 in the window', () => {
    // starting one day later the first judged week would be May 6–12, not yet ended
    const late = unitWith(5).filter((r) => r.recordedAt >= localMs('2024-03-05', 0));
    expect(run(late, ctx())).toHaveLength(0);
    // 2 traces a day in the window (n = 14 < 20): not tested
    const thin = [
      ...recorded('2024-03-04', '2024-04-28', 10, () => 0),
      ...recorded('2024-04-29', '2024-05-05', 2, () => 2),
    ];
    expect(run(thin, ctx())).toHaveLength(0);
    // the week is judged only after it has ended
    expect(run(unitWith(5), { ...ctx(), asOf: localMs('2024-05-05', 23) })).toHaveLength(0);
  });

  it('platform outage: units are compared with their peers, not their own history', () => {
    // o1, o2, o3 all backfill 40 % in the window (an ingestion outage): o1 against peers o2+o3
    // (b = 56 of 140 → p0 = 57/142 ≈ 0.401) has share 0.4 < 2·0.401: silent
    const outage = ['o1', 'o2', 'o3'].flatMap((orgId) => unitWith(4, { orgId }));
    const first = run(outage, ctx()).find((o) => o.scope.orgId === 'o1');
    expect(first?.evidence.comparison).toBe('platform-peers');
    expect(first?.statistics.p0).toBeCloseTo(57 / 142, 15);
    expect(first?.effectMet).toBe(false);
    // a unit that backfills 90 % during the outage still stands out: 0.9 ≥ 2·0.401
    const worse = [...unitWith(4, { orgId: 'o2' }), ...unitWith(4, { orgId: 'o3' }), ...unitWith(9, { orgId: 'o1' })];
    const flagged = run(worse, ctx()).find((o) => o.scope.orgId === 'o1');
    expect(flagged?.evidence.comparison).toBe('platform-peers');
    expect(flagged?.effectMet).toBe(true);
    // one other unit is not "the platform": own history is kept
    const pair = [...unitWith(4, { orgId: 'o1' }), ...unitWith(4, { orgId: 'o2' })];
    expect(run(pair, ctx()).find((o) => o.scope.orgId === 'o1')?.evidence.comparison).toBe('own-history');
  });

  it('a few units backfilling together are not an outage: each is judged on its own history', () => {
    // o1–o3 backfill 50 % in the window, o4–o9 their usual ~5 %: 2 of o1's 8 peers are backfilling
    // (< half), so o1 keeps its own p0 = 29/562 and fires, as the pooled peers (a 16 % share,
    // ≥ 2× their 5 % baseline) would otherwise have hidden it
    const units = [
      ...['o1', 'o2', 'o3'].flatMap((orgId) => unitWith(5, { orgId })),
      ...['o4', 'o5', 'o6', 'o7', 'o8', 'o9'].flatMap((orgId) => unitWith(0, { orgId })),
    ];
    const o1 = run(units, ctx()).find((o) => o.scope.orgId === 'o1')!;
    expect(o1.evidence.comparison).toBe('own-history');
    expect(o1.statistics.p0).toBeCloseTo(29 / 562, 15);
    expect(o1.effectMet && o1.pValue! < 1e-10).toBe(true);
  });
});

describe('backfill: a platform delay inside the baseline', () => {
  /** unitWith(5), but in the baseline week 2024-03-25 … 03-31 (days 21–27) 8 of 10 backfilled a day. */
  const withCatchUp = (orgId: string, windowPerDay: number) => [
    ...recorded('2024-03-04', '2024-04-28', 10, (i) => (i >= 21 && i <= 27 ? 8 : i % 2 === 0 ? 1 : 0), { orgId }),
    ...recorded('2024-04-29', '2024-05-05', 10, () => windowPerDay, { orgId }),
  ];

  it('leaves out the week the whole platform recorded late: p0 and φ from the other 7 weeks', () => {
    const outcomes = run([...withCatchUp('o1', 5), ...withCatchUp('o2', 0), ...withCatchUp('o3', 0)], ctx());
    const o1 = outcomes.find((o) => o.scope.orgId === 'o1' && o.rule === 'weekly')!;
    // o2 and o3 together: 112 of 140 that week against a median weekly share of 4/70 → a delay week
    expect(o1.evidence.excludedBaselineWeeks).toEqual(['2024-03-25']);
    // the other 7 weeks: 490 traces, 25 backfilled (even days of 49); every week has 3 or 4: φ ≤ 1 → 1
    expect(o1.statistics).toMatchObject({ baselineRecorded: 490, baselineBackfilled: 25, phi: 1 });
    expect(o1.pValue).toBe(binomialSf(35, 70, 26 / 492));
    expect(o1.effectMet).toBe(true);
    // alone on its platform the unit keeps the week, and its p0 and φ swell
    const alone = run(withCatchUp('o1', 5), ctx()).find((o) => o.rule === 'weekly')!;
    expect(alone.evidence.excludedBaselineWeeks).toEqual([]);
    expect(alone.statistics.phi).toBeGreaterThan(10);
    expect(alone.pValue!).toBeGreaterThan(o1.pValue! * 1e6);
  });
});

describe('backfill: one actor among honest colleagues', () => {
  /**
   * 10 actors × 20 traces a day, 1 of each actor's 20 backfilled every day (5 %), baseline
   * 2024-03-04 … 04-28; in the week 2024-04-29 … 05-05 actor a0 backfills `clerkPerDay` of its 20.
   */
  function bigUnit(clerkPerDay: number, colleaguesPerDay = 1): TraceRecord[] {
    return Array.from({ length: 10 }, (_, a) => [
      ...recorded('2024-03-04', '2024-04-28', 20, () => 1, { actorId: `a${a}` }),
      ...recorded('2024-04-29', '2024-05-05', 20, () => (a === 0 ? clerkPerDay : colleaguesPerDay), {
        actorId: `a${a}`,
      }),
    ]).flat();
  }

  it('finds the clerk the unit dilutes; statistic by hand', () => {
    const outcomes = run(bigUnit(6), ctx());
    // unit: b = 42 + 63 = 105 of 1,400 (7.5 %) against p0 = 561/11,202 = 5.01 %: under 2·p0
    const unit = outcomes.find((o) => o.scope.kind === 'org')!;
    expect(unit.statistics).toMatchObject({ recorded: 1400, backfilled: 105 });
    expect(unit.effectMet).toBe(false);
    // a0: 42 of 140 (30 %); references: the unit's 561/11,202, colleagues' (63 + 1)/(1,260 + 2),
    // its own 8 weeks (56 + 1)/(1,120 + 2) — the largest is the own history, 57/1,122 = 5.08 %.
    // Every week and day is alike: φ measures 0, floor 1, so p is the exact binomial tail.
    const clerk = outcomes.find((o) => o.scope.kind === 'actor' && o.scope.actorId === 'a0')!;
    expect(clerk.rule).toBe('weekly-actor');
    expect(clerk.statistics).toMatchObject({ recorded: 140, backfilled: 42, phi: 1 });
    expect(clerk.statistics.p0).toBeCloseTo(57 / 1122, 15);
    expect(clerk.evidence.reference).toBe('own-history');
    expect(clerk.pValue).toBe(binomialSf(42, 140, 57 / 1122));
    expect(clerk.pValue).toBeLessThan(1e-15);
    expect(clerk.qThreshold).toBe(0.001);
    expect(clerk.effectMet).toBe(true); // 42 ≥ 20 and 30 % ≥ 2 × 5.08 %
    expect(clerk.explain(1e-12).en).toContain('42 of the 140 traces actor a0 of unit');
    expect(clerk.explain(1e-12)['zh-CN']).toContain('账号a0');
    // the colleagues are tested too, and keep their habits
    const colleagues = outcomes.filter((o) => o.scope.kind === 'actor' && o.scope.actorId !== 'a0');
    expect(colleagues).toHaveLength(9);
    expect(colleagues.every((o) => !o.effectMet)).toBe(true);
  });

  it('stays silent when everyone backfills alike: the colleagues set the reference', () => {
    // every actor 6 of 20 in the window: the colleagues' share (30 %) is the reference of each
    const outcomes = run(bigUnit(6, 6), ctx());
    const actors = outcomes.filter((o) => o.scope.kind === 'actor');
    expect(actors).toHaveLength(10);
    for (const a of actors) {
      expect(a.evidence.reference).toBe('colleagues');
      expect(a.effectMet).toBe(false);
    }
    // … and the unit's own test is the one that fires
    expect(outcomes.find((o) => o.scope.kind === 'org')!.effectMet).toBe(true);
  });

  it('minimum sample: fewer than 20 traces of the actor, or of its colleagues, in the window', () => {
    const lone = recorded('2024-03-04', '2024-05-05', 20, () => 1, { actorId: 'solo' });
    const few = recorded('2024-04-29', '2024-05-05', 2, () => 2, { actorId: 'rare' }); // 14 traces
    const outcomes = run([...lone, ...few], ctx());
    // solo's colleagues recorded 14 < 20; rare recorded 14 < 20: no actor test at all
    expect(outcomes.filter((o) => o.scope.kind === 'actor')).toEqual([]);
  });
});

describe('backfill: overdispersion', () => {
  it('a unit whose own history comes in clumps needs more than a binomial excess; φ by hand', () => {
    // baseline weeks of n = 70 alternate b = 0 and b = 20: p̂ = 80/560 = 1/7, each week's term
    // (±10)²/(70·1/7·6/7) = 35/3, χ² = 8·35/3, df 7 → φ = 40/3
    const clumpy = [
      ...recorded('2024-03-04', '2024-04-28', 10, (i) => (Math.floor(i / 7) % 2 === 1 ? (i % 7 < 6 ? 3 : 2) : 0)),
      ...recorded('2024-04-29', '2024-05-05', 10, () => 5),
    ];
    const [weekly] = run(clumpy, ctx());
    const p0 = 81 / 562;
    expect(weekly?.statistics.phi).toBeCloseTo(40 / 3, 12);
    expect(weekly?.pValue).toBeCloseTo(quasiBinomialSf(35, 70, p0, 40 / 3), 14);
    expect(binomialSf(35, 70, p0)).toBeLessThan(1e-8); // what the plain binomial test would say
    expect(weekly?.pValue).toBeGreaterThan(0.05);
    expect(weekly?.explain(0.5).en).toContain('overdispersion φ = 13.33');
  });

  it('peers that differ among themselves during an outage make the comparison wider', () => {
    // peers in the window: b = 7, 49, 28 of 70 each → p̂ = 0.4, terms 26.25, 26.25, 0 → φ = 26.25
    const peers = [...unitWith(1, { orgId: 'o2' }), ...unitWith(7, { orgId: 'o3' }), ...unitWith(4, { orgId: 'o4' })];
    const o1 = run([...peers, ...unitWith(9, { orgId: 'o1' })], ctx()).find((o) => o.scope.orgId === 'o1');
    expect(o1?.evidence.comparison).toBe('platform-peers');
    expect(o1?.statistics.phi).toBeCloseTo(26.25, 12);
    expect(o1?.pValue).toBeCloseTo(quasiBinomialSf(63, 70, 85 / 212, 26.25), 14);
    expect(o1?.pValue).toBeGreaterThan(0.05);
  });
});

describe('backfill properties', () => {
  const start = localMs('2024-03-01', 0);
  const base = ['o1', 'o2', 'o3'].flatMap((orgId) =>
    // two actors with 21 traces a week each, so that the actor tests run too
    recorded('2024-03-01', '2024-05-20', 6, (i) => i % 3, { orgId }).map((r, i) => ({
      ...r,
      id: `${orgId}${r.id}`,
      actorId: i % 2 === 0 ? 'a' : 'b',
    })),
  );
  const arbRecord = fc
    .record({
      org: fc.constantFrom('o1', 'o2', 'o3'),
      actor: fc.constantFrom('a', 'b', 'c'),
      at: fc.integer({ min: 0, max: 90 * DAY }),
      lag: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 40 * DAY })),
    })
    .map(
      ({ org, actor, at, lag }): TraceRecord => ({
        id: `${org}-${actor}-${at}-${lag}`,
        platformId: 'p1',
        orgId: org,
        actorId: actor,
        actorRole: 'staff',
        action: 'form.submit',
        occurredAt: start + at - lag,
        recordedAt: start + at,
      }),
    );
  const context: EvaluateContext = {
    asOf: localMs('2024-06-01', 0),
    evaluations: [
      { id: 'e', name: 'e', kind: 'audit', start: '2024-05-15T00:00:00+08:00', end: '2024-05-15T00:00:00+08:00' },
    ],
    metrics: [],
  };
  const comparable = (outcomes: TestOutcome[]) =>
    JSON.stringify(outcomes.map(({ explain, ...rest }) => ({ ...rest, text: explain(0.01) })));

  it(
    'never throws; order and batching do not change the outcomes',
    () => {
      fc.assert(
        fc.property(fc.array(arbRecord, { maxLength: 200 }), fc.integer({ min: 1, max: 1000 }), (extra, seed) => {
          const all = [...base, ...extra];
          const outcomes = run(all, context);
          expect(outcomes.some((o) => o.scope.kind === 'actor')).toBe(true);
          const reference = comparable(outcomes);
          const shuffled = [...all].sort(
            (a, b) => (((a.recordedAt / 60_000) * seed) % 101) - (((b.recordedAt / 60_000) * seed) % 101),
          );
          expect(comparable(run(shuffled, context))).toBe(reference);
          const detector = createBackfillDetector();
          const half = Math.floor(all.length / 2);
          for (const r of all.slice(half)) detector.observe(r);
          detector.evaluate(context);
          for (const r of all.slice(0, half)) detector.observe(r);
          expect(comparable(detector.evaluate(context))).toBe(reference);
        }),
        { numRuns: PROPERTY_RUNS },
      );
    },
    PROPERTY_TIMEOUT_MS,
  );
});
