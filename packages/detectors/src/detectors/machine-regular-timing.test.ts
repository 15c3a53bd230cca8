import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { TestOutcome, TraceRecord } from '../types.js';
import {
  busiestCellPValue,
  createMachineRegularTimingDetector,
  finiteSizeBurstiness,
  modalGapShare,
  secondOfMinuteChiSquare,
} from './machine-regular-timing.js';
import { context, observeOnce, plain, shuffled, traceRecord } from './support/fixtures.js';
import { mulberry32 } from './support/prng.js';

const START = Date.parse('2026-03-02T09:00:00+08:00');
const ctx = context(Date.parse('2026-04-01T00:00:00+08:00'));

function run(records: readonly TraceRecord[], options = {}): TestOutcome[] {
  const detector = createMachineRegularTimingDetector(options);
  for (const r of records) detector.observe(r);
  return detector.evaluate(ctx);
}

function find(outcomes: TestOutcome[], rule: string, actorId = 'bot'): TestOutcome | undefined {
  return outcomes.find((o) => o.rule === rule && o.scope.actorId === actorId);
}

/** A person: lognormal pauses (median 90 s, σ = 1.2 in log space), millisecond clock times. */
function humanRecords(actorId: string, count: number, seed: number): TraceRecord[] {
  const random = mulberry32(seed);
  const records: TraceRecord[] = [];
  let t = START + Math.floor(random() * 3_600_000);
  for (let i = 0; i < count; i++) {
    records.push(traceRecord({ actorId, occurredAt: t }));
    const z = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
    t += Math.round(Math.exp(Math.log(90_000) + 1.2 * z));
  }
  return records;
}

/** A script: 120 actions, gaps alternating 59 s and 61 s from 09:00:00. */
function botRecords(): TraceRecord[] {
  const records: TraceRecord[] = [];
  let t = START;
  for (let i = 0; i < 120; i++) {
    records.push(traceRecord({ actorId: 'bot', occurredAt: t }));
    t += i % 2 === 0 ? 59_000 : 61_000;
  }
  return records;
}

describe('finiteSizeBurstiness', () => {
  it('−1 for equal gaps, +1 for the most bursty sample, by hand for r = 1', () => {
    expect(finiteSizeBurstiness([5, 5, 5, 5])).toBe(-1);
    expect(finiteSizeBurstiness([0, 0, 0])).toBe(-1);
    // n = 10, one gap of 10: μ = 1, σ² = 100/10 − 1 = 9, r = 3 = √(n−1) → A_n = 1
    expect(finiteSizeBurstiness([0, 0, 0, 0, 0, 0, 0, 0, 0, 10])).toBeCloseTo(1, 12);
    // n = 4, gaps 0,0,2,2: μ = 1, σ = 1, r = 1 → (√5 − √3)/(√5 − 2 + √3) = 0.504017/1.968119 = 0.256091
    expect(finiteSizeBurstiness([0, 0, 2, 2])).toBeCloseTo(0.256091, 6);
    expect(finiteSizeBurstiness([1, 2])).toBeNaN();
  });
});

describe('modalGapShare and secondOfMinuteChiSquare', () => {
  it('mode in whole seconds, ties to the shorter gap', () => {
    expect(modalGapShare([59_000, 61_000, 59_000, 61_000], 1000)).toEqual({ modeMs: 59_000, share: 0.5 });
    expect(modalGapShare([10_400, 9_700, 30_000], 1000)).toEqual({ modeMs: 10_000, share: 2 / 3 });
  });
  it('χ² of second-of-minute counts', () => {
    const counts = new Array(60).fill(0);
    counts[0] = 60;
    counts[59] = 60;
    // n = 120, expected 2 per bin: 2·(58²/2) + 58·(2²/2) = 3364 + 116 = 3480
    expect(secondOfMinuteChiSquare(counts)).toBeCloseTo(3480, 9);
    expect(secondOfMinuteChiSquare(new Array(60).fill(3))).toBe(0);
    expect(secondOfMinuteChiSquare(new Array(60).fill(0))).toBe(0);
  });
});

describe('busiestCellPValue', () => {
  // Reference values: the binomial tail summed term by term with exact fractions,
  // P(X ≥ k) = Σ_{x ≥ k} C(n, x)·(1/60)^x·(59/60)^(n − x), times 60.
  it('n = 100: the edge of p ≤ 0.01 lies between 8 and 9 on one second', () => {
    // k = 9: terms 4.08951e-5 + 6.30755e-6 + 8.74699e-7 + 1.09955e-7 + … = 4.82014e-5; × 60 = 0.00289208
    expect(busiestCellPValue(9, 100)).toBeCloseTo(0.00289208, 7);
    // k = 8: 2.36036e-4 + 4.82014e-5 = 2.84237e-4; × 60 = 0.0170542
    expect(busiestCellPValue(8, 100)).toBeCloseTo(0.0170542, 6);
  });
  it('n = 144, busiest second 10 (the honest actor the χ² flagged at q = 0.009): p = 0.010037', () => {
    // 1.33490e-4 + 2.75618e-5 + 5.17757e-6 + 8.91055e-7 + … = 1.67285e-4; × 60 = 0.0100371
    expect(busiestCellPValue(10, 144)).toBeCloseTo(0.0100371, 6);
  });
  it('edges: capped at 1, no events, an empty busiest cell', () => {
    expect(busiestCellPValue(3, 100)).toBe(1); // 60 × P(X ≥ 3) > 1
    expect(busiestCellPValue(0, 0)).toBe(1);
    expect(busiestCellPValue(0, 10)).toBe(1);
    expect(busiestCellPValue(5, 5, 2)).toBeCloseTo(2 * 0.5 ** 5, 15); // two cells, all five in one
  });
});

/** `count` actions of one actor a few minutes apart, with the given second-of-minute counts. */
function clockRecords(actorId: string, secondCounts: readonly number[], seed: number): TraceRecord[] {
  const random = mulberry32(seed);
  const seconds = secondCounts.flatMap((c, second) => new Array<number>(c).fill(second));
  const records: TraceRecord[] = [];
  let minute = 0;
  for (const second of shuffled(seconds, random)) {
    minute += 1 + Math.floor(random() * 6);
    records.push(traceRecord({ actorId, occurredAt: START + minute * 60_000 + second * 1000 + 17 }));
  }
  return records;
}

describe('machine-regular timing detector', () => {
  it('fires on a script: every rule, with the statistics worked out by hand', () => {
    const outcomes = run([...botRecords(), ...humanRecords('h1', 200, 1), ...humanRecords('h2', 200, 2)]);
    const gaps = find(outcomes, 'regular-gaps')!;
    // 119 gaps, 60 of 59 s and 59 of 61 s: μ = 59.99160 s, σ = 0.99996 s, r = 0.0166685;
    // A = (√120·r − √118)/((√120 − 2)·r + √118) = (0.182594 − 10.862781)/(0.149257 + 10.862781) = −0.969868
    expect(gaps.statistics.burstiness).toBeCloseTo(-0.96987, 4);
    expect(gaps.effectMet).toBe(true);
    expect(gaps.pValue).toBeNull();
    expect(gaps.period).toEqual({ start: '2026-03-02', end: '2026-03-08' }); // the ISO week
    expect(gaps.evidence.peerPercentile).toBe(0); // below both people
    expect(gaps.evidence.peerScope).toBe('platform'); // 2 org peers < 5
    const modal = find(outcomes, 'modal-gap')!;
    // mode 59 s; 61 s is 2 s away, so only the 60 gaps of 59 s count: 60/119
    expect(modal.statistics.modalShare).toBeCloseTo(60 / 119, 12);
    expect(modal.effectMet).toBe(true);
    const heaping = find(outcomes, 'second-heaping')!;
    // seconds :00 and :59, 60 each: χ² = 3480 (above, a description); busiest second 60 of 120:
    // P(X ≥ 60) = 7.21132e-73 (x = 60) + … = 7.33351e-73 (exact sum); × 60 = 4.40011e-71
    expect(heaping.statistics.chiSquare).toBeCloseTo(3480, 9);
    expect(heaping.statistics.zeroSecondShare).toBe(0.5);
    expect(heaping.pValue! / 4.40011e-71).toBeCloseTo(1, 5);
    expect(heaping.score).toBe(30); // half the actions on one second: 30× its fair share
    expect(heaping.effectMet).toBe(true);
    const text = gaps.explain(null);
    expect(text.en).toContain('-0.97');
    expect(text['zh-CN']).toContain('A_n');
  });

  it('stays silent for people working in bursts', () => {
    const records = [1, 2, 3, 4, 5, 6].flatMap((i) => humanRecords(`h${i}`, 300, 100 + i));
    const outcomes = run(records);
    expect(outcomes.filter((o) => o.rule === 'regular-gaps')).toHaveLength(6);
    for (const o of outcomes) {
      expect(o.effectMet && (o.pValue === null || o.pValue < 0.01)).toBe(false);
    }
    const burstiness = outcomes.filter((o) => o.rule === 'regular-gaps').map((o) => o.statistics.burstiness!);
    expect(Math.min(...burstiness)).toBeGreaterThan(0);
    // with 5 org peers the percentile is taken within the org
    expect(find(outcomes, 'regular-gaps', 'h1')!.evidence.peerScope).toBe('org');
  });

  it('second-heaping on the edge: 9 of 100 on one second is tested as heaped, 8 is not significant', () => {
    const spread = (top: number) => {
      // the busiest second :07 holds `top`; the other 100 − top go 1 or 2 to every other second
      const counts = new Array<number>(60).fill(1);
      counts[7] = top;
      for (let s = 0, rest = 100 - top - 59; rest > 0; s++) {
        if (s === 7) continue;
        counts[s]!++;
        rest--;
      }
      return counts;
    };
    for (const top of [8, 9]) expect(spread(top).reduce((a, c) => a + c, 0)).toBe(100);
    const nine = find(run(clockRecords('p', spread(9), 1)), 'second-heaping', 'p')!;
    expect(nine.pValue).toBeCloseTo(0.00289208, 7); // busiestCellPValue(9, 100), by hand above
    expect(nine.statistics.topSecond).toBe(7);
    expect(nine.effectMet).toBe(true); // 9 % ≥ 1/20
    const eight = find(run(clockRecords('p', spread(8), 1)), 'second-heaping', 'p')!;
    expect(eight.pValue).toBeCloseTo(0.0170542, 6);
    expect(eight.pValue!).toBeGreaterThan(eight.qThreshold); // q ≥ p: never a finding
  });

  it('the honest actor the χ² flagged: 144 timestamps, busiest second 10 — p above 0.01', () => {
    // second-of-minute counts of that actor's week on the simulator (χ² = 112.7, df 59, p = 3·10⁻⁵)
    const counts = [
      1, 1, 1, 5, 2, 0, 1, 10, 0, 4, 1, 1, 3, 5, 2, 2, 1, 0, 1, 1, 0, 0, 2, 1, 6, 2, 3, 5, 2, 2, 0, 4, 9, 1, 4, 4, 0, 1,
      4, 3, 7, 1, 1, 1, 3, 1, 4, 2, 3, 0, 3, 1, 3, 2, 1, 4, 1, 4, 2, 5,
    ];
    const outcome = find(run(clockRecords('s03', counts, 2)), 'second-heaping', 's03')!;
    expect(outcome.statistics.timestamps).toBe(144);
    expect(outcome.statistics.chiSquare).toBeCloseTo(112.6667, 4);
    expect(outcome.pValue).toBeCloseTo(0.0100371, 6);
    expect(outcome.pValue!).toBeGreaterThan(outcome.qThreshold);
  });

  it('minimum samples: 30 gaps for the gap rules, 100 timestamps for the busiest-second test', () => {
    const bot = botRecords();
    const people = [...humanRecords('h1', 200, 1), ...humanRecords('h2', 200, 2)];
    const at30 = run([...bot.slice(0, 31), ...people]);
    expect(find(at30, 'regular-gaps')?.statistics.gaps).toBe(30);
    expect(find(at30, 'second-heaping')!.pValue).toBeNull(); // 31 timestamps: :00 share rule only
    expect(find(at30, 'second-heaping')!.effectMet).toBe(true); // 16 of 31 on :00
    const at29 = run(bot.slice(0, 30));
    expect(find(at29, 'regular-gaps')).toBeUndefined();
    expect(find(at29, 'modal-gap')).toBeUndefined();
    expect(find(run(bot.slice(0, 99)), 'second-heaping')!.pValue).toBeNull();
    expect(find(run(bot.slice(0, 100)), 'second-heaping')!.pValue).not.toBeNull();
    expect(find(run(bot.slice(0, 29)), 'second-heaping')).toBeUndefined();
  });

  it('gaps over 8 h are breaks; system accounts are not judged', () => {
    // two sessions of 40 actions, 10 h apart: 39 + 39 gaps, the 10 h gap left out
    const sessions = botRecords()
      .slice(0, 80)
      .map((r, i) => ({ ...r, occurredAt: r.occurredAt + (i >= 40 ? 10 * 3_600_000 : 0) }));
    expect(find(run(sessions), 'regular-gaps')!.statistics.gaps).toBe(78);
    expect(run(botRecords().map((r) => ({ ...r, actorRole: 'system' as const })))).toEqual([]);
  });

  it('a platform that records only minutes does not make its actors heaped', () => {
    const minuteClock = [1, 2, 3].flatMap((i) =>
      humanRecords(`h${i}`, 150, 200 + i).map((r) => ({
        ...r,
        occurredAt: Math.floor(r.occurredAt / 60_000) * 60_000,
      })),
    );
    const outcomes = run(minuteClock);
    const heaping = outcomes.filter((o) => o.rule === 'second-heaping');
    expect(heaping).toHaveLength(3);
    for (const o of heaping) {
      expect(o.statistics.zeroSecondShare).toBe(1);
      expect(o.effectMet).toBe(false);
      expect(o.evidence.platformZeroSecondShare).toBe(1);
    }
  });

  it('judges each ISO week on its own, once it has ended', () => {
    const WEEK = 7 * 86_400_000;
    // the script runs in the second week only; the person works in both
    const records = [
      ...humanRecords('bot', 150, 31),
      ...botRecords().map((r) => ({ ...r, occurredAt: r.occurredAt + WEEK })),
      ...humanRecords('h1', 150, 32),
      ...humanRecords('h2', 150, 33),
    ];
    const outcomes = run(records);
    const bot = outcomes.filter((o) => o.rule === 'regular-gaps' && o.scope.actorId === 'bot');
    expect(bot.map((o) => [o.period.start, o.effectMet])).toEqual([
      ['2026-03-02', false],
      ['2026-03-09', true],
    ]);
    // the second week is not over on Sunday evening: not judged yet
    const detector = createMachineRegularTimingDetector();
    for (const r of records) detector.observe(r);
    const sunday = detector.evaluate(context(Date.parse('2026-03-15T20:00:00+08:00')));
    expect(sunday.filter((o) => o.period.start === '2026-03-09')).toEqual([]);
  });

  it('keeps only the latest timestamps per actor and week (bounded memory)', () => {
    const outcomes = run(botRecords(), { maxTimestampsPerActorWeek: 40 });
    expect(find(outcomes, 'regular-gaps')!.statistics.gaps).toBe(39);
    expect(find(outcomes, 'regular-gaps')!.evidence.truncated).toBe(true);
  });

  const arbitraryRecords = fc.array(
    fc.record({
      actor: fc.integer({ min: 0, max: 3 }),
      org: fc.integer({ min: 0, max: 1 }),
      role: fc.constantFrom('staff', 'public', 'system'),
      offset: fc.integer({ min: 0, max: 10 * 86_400_000 }),
      repeatEvery: fc.constantFrom(0, 60_000),
    }),
    { maxLength: 150 },
  );
  const toRecords = (rows: { actor: number; org: number; role: string; offset: number; repeatEvery: number }[]) =>
    rows.map((row, i) =>
      traceRecord({
        id: `e${i}`,
        actorId: `a${row.actor}`,
        orgId: `o${row.org}`,
        actorRole: row.role as TraceRecord['actorRole'],
        occurredAt: START + (row.repeatEvery > 0 ? (i % 40) * row.repeatEvery : row.offset),
      }),
    );

  it('forgets actions older than the retention window (400 days before the latest seen)', () => {
    const late = traceRecord({ actorId: 'h9', occurredAt: START + 500 * 86_400_000 });
    expect(find(run([...botRecords(), late]), 'regular-gaps')).toBeUndefined();
    expect(find(run([...botRecords(), late], { retentionDays: 600 }), 'regular-gaps')).toBeDefined();
  });

  it('never throws and gives the same outcomes in any order or split (property)', () => {
    fc.assert(
      fc.property(arbitraryRecords, fc.integer(), (rows, seed) => {
        const records = toRecords(rows);
        const options = { retentionDays: seed % 2 === 0 ? 400 : Math.abs(seed) % 3 };
        const once = plain(run(records, options));
        const detector = createMachineRegularTimingDetector(options);
        const observe = observeOnce(detector); // replays dropped as by the engine
        const mixed = shuffled(records, mulberry32(seed));
        const half = Math.floor(mixed.length / 2);
        for (const r of mixed.slice(0, half)) observe(r);
        detector.evaluate(ctx);
        for (const r of mixed.slice(half)) observe(r);
        for (const r of mixed.slice(0, 5)) observe(r); // replays count once
        expect(plain(detector.evaluate(ctx))).toEqual(once);
      }),
      { numRuns: 60 },
    );
  });
});
