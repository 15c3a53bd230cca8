import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { TestOutcome, TraceRecord } from '../types.js';
import { createCrossUnitSamenessDetector, identicalValueBound } from './cross-unit-sameness.js';
import { binomialTailByFormula, context, observeOnce, plain, shuffled, traceRecord } from './support/fixtures.js';
import { mulberry32 } from './support/prng.js';

/** Half the property runs keep everything, half a short retention window (1–40 days). */
const retentionFor = (seed: number) => (seed % 2 === 0 ? 400 : 1 + (Math.abs(seed) % 40));

const DAY_MS = 86_400_000;
const FIRST = Date.parse('2026-03-02T10:00:00+08:00');
const ctx = context(Date.parse('2026-04-01T00:00:00+08:00'));

function run(records: readonly TraceRecord[], options = {}): TestOutcome[] {
  const detector = createCrossUnitSamenessDetector(options);
  for (const r of records) detector.observe(r);
  return detector.evaluate(ctx);
}

const report = (day: number, actor: number, value: number, minute = 0) =>
  traceRecord({
    action: 'visit.record',
    actorId: `a${actor}`,
    value,
    occurredAt: FIRST + day * DAY_MS + minute * 60_000,
  });

/** Days 0–4: 8 actors, 40 distinct values 10…49. Day 5: 10 actors, eight report 37, two report 100 and 101. */
function copiedDay(): TraceRecord[] {
  const baseline = Array.from({ length: 40 }, (_, i) => report(Math.floor(i / 8), i % 8, 10 + i));
  const day5 = [...Array.from({ length: 8 }, (_, a) => report(5, a, 37)), report(5, 8, 100), report(5, 9, 101)];
  return [...baseline, ...day5];
}

describe('identicalValueBound', () => {
  it('sums binomial tails over the smoothed support', () => {
    // baseline: a×3, b×1 (N = 4); group: a×2, c×1 (m = 3); support {a, b, c}, K = 3, N + K = 7
    // p_a = 4/7, p_b = 2/7, p_c = 1/7; k = 2:
    // P(Bin(3,p) ≥ 2) = 3p²(1−p) + p³ → a: 3·16/49·3/7 + 64/343 = 144/343 + 64/343 = 208/343
    //   b: 3·4/49·5/7 + 8/343 = 60/343 + 8/343 = 68/343;  c: 3·1/49·6/7 + 1/343 = 19/343
    // total = 295/343 = 0.860058
    const { bound, probabilities } = identicalValueBound(
      new Map([
        ['a', 3],
        ['b', 1],
      ]),
      new Map([
        ['a', 2],
        ['c', 1],
      ]),
      2,
    );
    expect(bound).toBeCloseTo(295 / 343, 12);
    expect(probabilities.get('c')).toBeCloseTo(1 / 7, 15);
  });
  it('an empty baseline smooths to equal chances; the bound is capped at 1', () => {
    const { bound, probabilities } = identicalValueBound(new Map(), new Map([['x', 1]]), 1);
    expect(probabilities.get('x')).toBe(1);
    expect(bound).toBe(1);
  });
});

describe('cross-unit sameness detector', () => {
  it('fires when 8 of 10 actors report the same value (bound by hand)', () => {
    const outcome = run(copiedDay()).find((o) => o.period.start === '2026-03-07')!;
    // N = 40 baseline values, K = 42 (40 + the unseen 100 and 101), N + K = 82.
    // 40 values with c = 1: p = 2/82; 2 unseen: p = 1/82; k = 8, m = 10:
    // bound = 40·P(Bin(10, 2/82) ≥ 8) + 2·P(Bin(10, 1/82) ≥ 8) = 40·5.397e-12 + 2·2.2e-14 ≈ 2.159e-10
    const expected = 40 * binomialTailByFormula(8, 10, 2 / 82) + 2 * binomialTailByFormula(8, 10, 1 / 82);
    expect(expected).toBeCloseTo(2.159e-10, 12);
    expect(outcome.pValue! / expected).toBeCloseTo(1, 9);
    expect(outcome.statistics.identical).toBe(8);
    expect(outcome.statistics.actors).toBe(10);
    expect(outcome.statistics.valueProbability).toBeCloseTo(2 / 82, 15);
    expect(outcome.effectMet).toBe(true);
    expect(outcome.rule).toBe('same-value:visit.record');
    expect(outcome.evidence.value).toBe('37');
    expect(outcome.evidence.identicalActors).toEqual(['a0', 'a1', 'a2', 'a3', 'a4', 'a5', 'a6', 'a7']);
    expect(outcome.explain(1e-8).en).toContain('exactly 37');
  });

  it('stays silent on independent human reports', () => {
    const random = mulberry32(21);
    const poisson = (mean: number) => {
      // Knuth's product of uniforms
      let k = 0;
      let p = Math.exp(-mean);
      let s = p;
      const u = random();
      while (u > s) {
        k++;
        p *= mean / k;
        s += p;
      }
      return k;
    };
    const records = Array.from({ length: 20 }, (_, day) =>
      Array.from({ length: 12 }, (_, actor) => report(day, actor, poisson(20))),
    ).flat();
    const outcomes = run(records);
    expect(outcomes).toHaveLength(20);
    for (const o of outcomes) expect(o.effectMet && o.pValue! <= 0.001).toBe(false);
  });

  it('one value per actor and day: the latest counts', () => {
    const records = [...copiedDay(), report(5, 0, 99, 30)]; // actor a0 corrects 37 → 99 later that day
    const outcome = run(records).find((o) => o.period.start === '2026-03-07')!;
    expect(outcome.statistics.identical).toBe(7);
    expect(outcome.statistics.actors).toBe(10);
  });

  it('minimum sample: 5 actors on the day and 30 baseline values', () => {
    const records = copiedDay();
    const fourActors = records.filter((r) => !(r.occurredAt >= FIRST + 5 * DAY_MS && Number(r.actorId.slice(1)) >= 4));
    expect(run(fourActors).find((o) => o.period.start === '2026-03-07')).toBeUndefined();
    const fiveActors = records.filter((r) => !(r.occurredAt >= FIRST + 5 * DAY_MS && Number(r.actorId.slice(1)) >= 5));
    expect(run(fiveActors).find((o) => o.period.start === '2026-03-07')?.statistics.actors).toBe(5);
    const smallBaseline = records.slice(11); // 29 baseline values left
    expect(run(smallBaseline).find((o) => o.period.start === '2026-03-07')).toBeUndefined();
    expect(run(records.slice(10)).find((o) => o.period.start === '2026-03-07')).toBeDefined(); // 30
  });

  it('a day that has not ended is not judged', () => {
    const detector = createCrossUnitSamenessDetector();
    for (const r of copiedDay()) detector.observe(r);
    const periods = detector.evaluate(context(Date.parse('2026-03-07T20:00:00+08:00'))).map((o) => o.period.start);
    expect(periods).toEqual(['2026-03-02', '2026-03-03', '2026-03-04', '2026-03-05', '2026-03-06']);
  });

  it('days older than the retention window are no longer judged', () => {
    const late = report(600, 1, 5);
    expect(run([...copiedDay(), late]).filter((o) => o.period.start === '2026-03-07')).toEqual([]);
    expect(
      run([...copiedDay(), late], { retentionDays: 700 }).filter((o) => o.period.start === '2026-03-07'),
    ).toHaveLength(1);
  });

  it('memory bound: keeps the latest actor-days, whole days first, then actors by id', () => {
    // days 0–4 of copiedDay have 8 actor-days each, day 5 has 10: with room for 45, days 1–5
    // (8·4 + 10 = 42) and 3 of day 0's actors stay; day 0 is then judged on those 3 only
    const kept = run(copiedDay(), { maxActorDaysPerGroup: 45, minBaseline: 30, minActors: 3 });
    const day0 = kept.find((o) => o.period.start === '2026-03-02')!;
    expect(day0.statistics.actors).toBe(3);
    expect(day0.statistics.baselineValues).toBe(42);
    // the three kept are the last by actor id: a5, a6, a7 (their values 15, 16, 17 are distinct)
    expect(day0.evidence.distinctValues).toBe(3);
    expect(kept.find((o) => o.period.start === '2026-03-07')!.statistics.baselineValues).toBe(35);
  });

  it('memory bound: any order and split keep the same actor-days (property)', () => {
    const row = fc.record({ day: fc.integer({ min: 0, max: 6 }), actor: fc.integer({ min: 0, max: 9 }) });
    fc.assert(
      fc.property(
        fc.array(row, { maxLength: 120 }),
        fc.integer({ min: 1, max: 30 }),
        fc.integer(),
        (rows, cap, seed) => {
          const records = rows.map((r, i) => ({ ...report(r.day, r.actor, i % 4, i), id: `e${i}` }));
          const options = { maxActorDaysPerGroup: cap, minBaseline: 1, minActors: 1 };
          const once = plain(run(records, options));
          const detector = createCrossUnitSamenessDetector(options);
          const mixed = shuffled(records, mulberry32(seed));
          for (const r of mixed.slice(0, 30)) detector.observe(r);
          detector.evaluate(ctx);
          for (const r of mixed.slice(30)) detector.observe(r);
          expect(plain(detector.evaluate(ctx))).toEqual(once);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('never throws and gives the same outcomes in any order or split (property)', () => {
    const row = fc.record({
      day: fc.integer({ min: 0, max: 6 }),
      actor: fc.integer({ min: 0, max: 9 }),
      value: fc.integer({ min: 0, max: 6 }),
      minute: fc.integer({ min: 0, max: 600 }),
      org: fc.integer({ min: 0, max: 1 }),
    });
    fc.assert(
      fc.property(fc.array(row, { maxLength: 150 }), fc.integer(), (rows, seed) => {
        const records = rows.map((r, i) => ({
          ...report(r.day, r.actor, r.value, r.minute),
          id: `e${i}`,
          orgId: `o${r.org}`,
        }));
        const options = { minBaseline: 5, retentionDays: retentionFor(seed) };
        const once = plain(run(records, options));
        const detector = createCrossUnitSamenessDetector(options);
        const observe = observeOnce(detector); // replays dropped as by the engine
        const mixed = shuffled(records, mulberry32(seed));
        for (const r of mixed.slice(0, 40)) observe(r);
        detector.evaluate(ctx);
        for (const r of mixed.slice(40)) observe(r);
        for (const r of mixed.slice(0, 3)) observe(r);
        expect(plain(detector.evaluate(ctx))).toEqual(once);
      }),
      { numRuns: 60 },
    );
  });
});
