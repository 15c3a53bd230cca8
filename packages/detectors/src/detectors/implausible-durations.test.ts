import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { TestOutcome, TraceRecord } from '../types.js';
import {
  coefficientOfVariation,
  createImplausibleDurationsDetector,
  lowestWindowCoefficientOfVariation,
} from './implausible-durations.js';
import { binomialTailByFormula, context, observeOnce, plain, shuffled, traceRecord } from './support/fixtures.js';
import { mulberry32 } from './support/prng.js';

/** Half the property runs keep everything, half a short retention window (1–40 days). */
const retentionFor = (seed: number) => (seed % 2 === 0 ? 400 : 1 + (Math.abs(seed) % 40));

const MARCH = Date.parse('2026-03-02T09:00:00+08:00');
const ctx = context(Date.parse('2026-04-01T00:00:00+08:00'));

function run(records: readonly TraceRecord[], options = {}): TestOutcome[] {
  const detector = createImplausibleDurationsDetector(options);
  for (const r of records) detector.observe(r);
  return detector.evaluate(ctx);
}

const timed = (i: number, durationMs: number, actorId = `a${i % 10}`, action = 'form.submit') =>
  traceRecord({ actorId, action, durationMs, occurredAt: MARCH + i * 3_600_000 });

/** Human fill times: lognormal, median 60 s, σ = 0.5 in log space (CV ≈ 0.53). */
function humanDurations(count: number, seed: number): number[] {
  const random = mulberry32(seed);
  return Array.from({ length: count }, () => {
    const z = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
    return Math.round(60_000 * Math.exp(0.5 * z));
  });
}

describe('coefficientOfVariation', () => {
  it('by hand and at the edges', () => {
    // mean 12, s² = (4 + 0 + 4)/2 = 4, s = 2 → 2/12
    expect(coefficientOfVariation([10, 12, 14])).toBeCloseTo(1 / 6, 15);
    expect(coefficientOfVariation([0, 0, 0])).toBe(0);
    expect(coefficientOfVariation([7, 7])).toBe(0);
    expect(coefficientOfVariation([5])).toBeNaN();
  });
});

describe('lowestWindowCoefficientOfVariation', () => {
  it('finds the steadiest run of consecutive values', () => {
    // windows of 3: [10,12,14] CV 1/6; [12,14,7] ≫; [14,7,7] ≫; [7,7,7] 0 at index 3
    expect(lowestWindowCoefficientOfVariation([10, 12, 14, 7, 7, 7], 3)).toEqual({ cv: 0, start: 3 });
    expect(lowestWindowCoefficientOfVariation([10, 12, 14], 3).cv).toBeCloseTo(1 / 6, 15);
    expect(lowestWindowCoefficientOfVariation([10, 12], 3)).toEqual({ cv: Number.NaN, start: -1 });
  });
});

describe('implausible-durations detector', () => {
  it('fires when 10 of 100 forms take 3 s (binomial tail by hand)', () => {
    const human = humanDurations(90, 1).map((d) => Math.max(d, 15_000));
    const records = [
      ...human.map((d, i) => timed(i, d)),
      ...Array.from({ length: 10 }, (_, i) => timed(90 + i, 3_000)),
    ];
    const outcome = run(records).find((o) => o.rule === 'under-floor:form.submit')!;
    expect(outcome.statistics).toMatchObject({ n: 100, underFloor: 10, share: 0.1, floorMs: 10_000 });
    // P(X ≥ 10 | 100, 0.01) summed from the binomial formula (≈ 7.6e-8)
    expect(outcome.pValue! / binomialTailByFormula(10, 100, 0.01)).toBeCloseTo(1, 9);
    expect(outcome.pValue!).toBeLessThan(1e-7);
    expect(outcome.effectMet).toBe(true);
    expect(outcome.scope).toEqual({ kind: 'org', platformId: 'p1', orgId: 'o1' });
    expect(outcome.explain(1e-6).en).toContain('10 (10.0%) took under 10 s');
  });

  it('one fast actor among honest colleagues: the org test is diluted, the actor test fires', () => {
    // 20 honest actors × 50 forms (all ≥ 15 s) and one actor with 40 forms in 3 s: the org has
    // 40 of 1,040 under the floor (3.85 % < 5·1 %), the actor 40 of 40: P(X ≥ 40 | 40, 0.01) = 0.01⁴⁰
    const human = humanDurations(1000, 4).map((d) => Math.max(d, 15_000));
    const at = (i: number, durationMs: number, actorId: string) =>
      traceRecord({ actorId, action: 'form.submit', durationMs, occurredAt: MARCH + i * 600_000 });
    const records = [
      ...human.map((d, i) => at(i, d, `h${i % 20}`)),
      ...Array.from({ length: 40 }, (_, i) => at(1000 + i, 3_000, 'fast')),
    ];
    const outcomes = run(records);
    const org = outcomes.find((o) => o.rule === 'under-floor:form.submit')!;
    expect(org.statistics.share).toBeCloseTo(40 / 1040, 12);
    expect(org.effectMet).toBe(false);
    const actor = outcomes.find((o) => o.rule === 'under-floor-actor:form.submit' && o.scope.actorId === 'fast')!;
    expect(actor.scope).toEqual({ kind: 'actor', platformId: 'p1', orgId: 'o1', actorId: 'fast' });
    expect(actor.pValue! / 0.01 ** 40).toBeCloseTo(1, 9);
    expect(actor.effectMet).toBe(true);
    expect(actor.explain(1e-70).en).toContain('actor fast of org o1');
    // the honest actors are tested too, and none of them meets the effect rule
    const honest = outcomes.filter((o) => o.rule === 'under-floor-actor:form.submit' && o.scope.actorId !== 'fast');
    expect(honest.length).toBe(20);
    for (const o of honest) expect(o.effectMet).toBe(false);
  });

  it('fires on one actor filling in the same time (CV by hand)', () => {
    // 25 forms: 13 × 29.5 s and 12 × 30.5 s. mean = 749,500/25 = 29,980 ms;
    // SS = 13·480² + 12·520² = 2,995,200 + 3,244,800 = 6,240,000; s² = 6,240,000/24 = 260,000;
    // s = 509.90 → CV = 509.90/29,980 = 0.017008
    const records = Array.from({ length: 25 }, (_, i) => timed(i, i % 2 === 0 ? 29_500 : 30_500, 'bot'));
    const outcome = run(records).find((o) => o.rule === 'identical-durations:form.submit')!;
    expect(outcome.statistics.monthCv).toBeCloseTo(0.017008, 6);
    expect(outcome.statistics.lowestWindowCv).toBeLessThan(0.02);
    expect(outcome.effectMet).toBe(true);
    expect(outcome.scope.actorId).toBe('bot');
    expect(outcome.pValue).toBeNull();
  });

  it('a script used for part of the month is found in its window', () => {
    // 40 honest fills, then 20 at 60 s ± 0.25 s, then 40 honest: the month's CV stays high
    const human = humanDurations(80, 9);
    const script = Array.from({ length: 20 }, (_, i) => 60_000 + (i % 3) * 250 - 250);
    const series = [...human.slice(0, 40), ...script, ...human.slice(40)];
    const outcome = run(series.map((d, i) => timed(i, d, 'mixed'))).find((o) => o.rule.startsWith('identical'))!;
    expect(outcome.statistics.monthCv).toBeGreaterThan(0.3);
    // the script window: 7 × 59,750, 7 × 60,000, 6 × 60,250 ms; mean 1,199,750/20 = 59,987.5;
    // SS = 7·237.5² + 7·12.5² + 6·262.5² = 809,375; s = √(809,375/19) = 206.39 → CV = 0.0034406
    expect(outcome.statistics.lowestWindowCv).toBeCloseTo(0.0034406, 6);
    expect(outcome.effectMet).toBe(true);
  });

  it('stays silent on human fill times', () => {
    const records = humanDurations(400, 2).map((d, i) => timed(i, d, `a${i % 8}`));
    const outcomes = run(records);
    expect(outcomes.map((o) => o.rule)).toContain('under-floor:form.submit');
    expect(outcomes.filter((o) => o.rule.startsWith('identical')).length).toBe(8);
    for (const o of outcomes) expect(o.effectMet && (o.pValue === null || o.pValue <= 0.01)).toBe(false);
  });

  it('minimum samples: 30 for the floor rule, 20 per actor for the CV; system accounts left out', () => {
    const fast = (n: number) => Array.from({ length: n }, (_, i) => timed(i, 2_000, `a${i % 2}`));
    expect(run(fast(29)).find((o) => o.rule.startsWith('under-floor'))).toBeUndefined();
    expect(run(fast(30)).find((o) => o.rule.startsWith('under-floor'))?.effectMet).toBe(true);
    const bot = (n: number) => Array.from({ length: n }, (_, i) => timed(i, 30_000, 'bot', 'case.close'));
    expect(run(bot(19))).toEqual([]);
    expect(run(bot(20)).map((o) => o.rule)).toEqual(['identical-durations:case.close']); // no floor for case.close
    expect(run(fast(40).map((r) => ({ ...r, actorRole: 'system' as const })))).toEqual([]);
    // floors come from the options
    expect(run(bot(40), { floorsMs: { 'case.close': 60_000 } }).map((o) => o.rule)).toContain('under-floor:case.close');
  });

  it('a month still in progress is not judged', () => {
    const detector = createImplausibleDurationsDetector();
    for (let i = 0; i < 40; i++) detector.observe(timed(i, 2_000));
    expect(detector.evaluate(context(Date.parse('2026-03-31T23:00:00+08:00')))).toEqual([]);
  });

  it('a month older than the retention window is no longer judged', () => {
    const fast = Array.from({ length: 40 }, (_, i) => timed(i, 2_000));
    const late = traceRecord({ durationMs: 60_000, occurredAt: MARCH + 500 * 86_400_000 });
    const detector = createImplausibleDurationsDetector();
    for (const r of [...fast, late]) detector.observe(r);
    expect(detector.evaluate(context(MARCH + 600 * 86_400_000)).filter((o) => o.period.start === '2026-03-01')).toEqual(
      [],
    );
  });

  it('never throws and gives the same outcomes in any order or split (property)', () => {
    const row = fc.record({
      actor: fc.integer({ min: 0, max: 3 }),
      action: fc.constantFrom('form.submit', 'case.close'),
      duration: fc.oneof(fc.constant(5_000), fc.integer({ min: 0, max: 600_000 })),
      hour: fc.integer({ min: 0, max: 24 * 50 }),
      role: fc.constantFrom('public', 'staff', 'system'),
    });
    fc.assert(
      fc.property(fc.array(row, { maxLength: 150 }), fc.integer(), (rows, seed) => {
        const records = rows.map((r, i) =>
          traceRecord({
            id: `e${i}`,
            actorId: `a${r.actor}`,
            action: r.action,
            durationMs: r.duration,
            actorRole: r.role as TraceRecord['actorRole'],
            occurredAt: Date.parse('2026-02-20T00:00:00+08:00') + r.hour * 3_600_000,
          }),
        );
        const options = { minRecords: 10, minActorRecords: 5, retentionDays: retentionFor(seed) };
        const once = plain(run(records, options));
        const detector = createImplausibleDurationsDetector(options);
        const observe = observeOnce(detector); // replays dropped as by the engine
        const mixed = shuffled(records, mulberry32(seed));
        for (const r of mixed.slice(0, 50)) observe(r);
        detector.evaluate(ctx);
        for (const r of mixed.slice(50)) observe(r);
        for (const r of mixed.slice(0, 3)) observe(r);
        expect(plain(detector.evaluate(ctx))).toEqual(once);
      }),
      { numRuns: 60 },
    );
  });
});
