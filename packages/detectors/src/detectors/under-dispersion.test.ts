import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PRC_CALENDAR } from '../calendar/calendar.js';
import { chiSquareCdf } from '../stats/chi-square.js';
import { lnGamma } from '../stats/ln-gamma.js';
import { dayRecords, localMs, overdispersedDraw, poissonDraw, seededRandom } from '../testing/records.js';
import { dayNumberToIso, isoToDayNumber, isoWeekday } from '../time.js';
import type { EvaluateContext, TestOutcome, TraceRecord } from '../types.js';
import { createUnderDispersionDetector } from './under-dispersion.js';

/** Records on the working days of [first, last]: count(i) for the i-th working day. */
function workingDays(
  firstIso: string,
  lastIso: string,
  count: (i: number, day: number) => number,
  actors?: string[],
  orgId = 'o1',
): TraceRecord[] {
  const out: TraceRecord[] = [];
  let i = 0;
  for (let day = isoToDayNumber(firstIso); day <= isoToDayNumber(lastIso); day++) {
    if (!PRC_CALENDAR.isWorkingDay(day)) continue;
    out.push(
      ...dayRecords(dayNumberToIso(day), count(i, day), { orgId }, actors).map((r) => ({
        ...r,
        id: `${orgId}-${r.id}`,
      })),
    );
    i += 1;
  }
  return out;
}

const ctx: EvaluateContext = { asOf: localMs('2024-04-01', 0), evaluations: [], metrics: [] };

function run(records: readonly TraceRecord[], context = ctx, actorLevel = false): TestOutcome[] {
  const detector = createUnderDispersionDetector({ actorLevel });
  for (const r of records) detector.observe(r);
  return detector.evaluate(context);
}

describe('under-dispersion', () => {
  it('fires on near-constant daily counts; statistic by hand', () => {
    // March 2024: 21 working days (31 − 10 weekend days, no holiday); 19, 21, 19, … (11 × 19, 10 × 21).
    // Only one month of data → flat profile. x̄ = 419/21 = 19.952; SS = 11·361 + 10·441 − 419²/21
    // = 8381 − 8360.048 = 20.952; s² = SS/20 = 1.0476; D = s²/x̄ = 0.05251; T = 20·D = 1.0501.
    // P(χ²₂₀ ≤ 1.05) ≈ (T/2)^10·e^(−T/2)/Γ(11)·(1 + (T/2)/11 + …) ≈ 2.7e-10
    const [outcome, ...rest] = run(workingDays('2024-03-01', '2024-03-31', (i) => (i % 2 === 0 ? 19 : 21)));
    expect(rest).toHaveLength(0);
    const T = 20 * (20.952380952380953 / 20 / (419 / 21));
    expect(outcome?.statistics.days).toBe(21);
    expect(outcome?.statistics.mean).toBeCloseTo(419 / 21, 12);
    expect(outcome?.statistics.dispersion).toBeCloseTo(0.05251, 5);
    expect(outcome?.statistics.chiSquare).toBeCloseTo(T, 10);
    // leading terms of the series for the lower incomplete gamma, computed independently
    const half = T / 2;
    const series = Math.exp(10 * Math.log(half) - half - lnGamma(11)) * (1 + half / 11 + half ** 2 / (11 * 12));
    expect(outcome!.pValue! / series).toBeCloseTo(1, 3);
    expect(outcome!.pValue! / chiSquareCdf(T, 20)).toBeCloseTo(1, 10);
    expect(outcome?.effectMet).toBe(true);
    expect(outcome?.period).toEqual({ start: '2024-03-01', end: '2024-03-29' });
    expect(outcome?.explain(1e-8)['zh-CN']).toContain('D=0.05');
  });

  it('stays silent on human-like (overdispersed) and on Poisson counts', () => {
    const random = seededRandom(7);
    const [human] = run(workingDays('2024-03-01', '2024-03-31', () => overdispersedDraw(20, 3, random)));
    expect(human?.effectMet).toBe(false);
    expect(human?.statistics.dispersion).toBeGreaterThan(1);
    const [poisson] = run(workingDays('2024-03-01', '2024-03-31', () => poissonDraw(20, random)));
    expect(poisson?.pValue).toBeGreaterThan(0.001);
    expect(poisson?.effectMet).toBe(false);
  });

  it('minimum sample: 14 tested days and a mean of 3', () => {
    // from Tue 2024-03-12: 4 + 5 + 5 = 14 working days → tested; from Mar 13: 13 → not tested
    const constant = (from: string) => run(workingDays(from, '2024-03-31', () => 10));
    expect(constant('2024-03-12')).toHaveLength(1);
    expect(constant('2024-03-12')[0]?.pValue).toBe(0); // a constant series: T = 0
    expect(constant('2024-03-13')).toHaveLength(0);
    // mean 2.5 (2, 3, 2, …) is below 3 → not tested; the incomplete month (April) is not judged
    expect(run(workingDays('2024-03-01', '2024-03-31', (i) => 2 + (i % 2)))).toHaveLength(0);
    expect(run(workingDays('2024-04-01', '2024-04-30', () => 10))).toHaveLength(0);
  });

  it('divides by the weekday profile: a steady Monday peak is still "too steady"', () => {
    // 12 weeks from 2024-01-08: Monday 40, other working days 20 (holidays and weekends 0).
    // Own profile (≥ 8 weeks): Monday weight / Tuesday weight = 40/20 = 2, so dividing by the
    // relative weights makes the March series constant: D = 0. Undivided: 4 Mondays at 40 and 17 days at 20, x̄ = 500/21 = 23.81,
    // s² = (4·16.19² + 17·3.81²)/20 = 64.8, D ≈ 2.7.
    const records = workingDays('2024-01-08', '2024-03-31', (_, day) => (isoWeekday(day) === 1 ? 40 : 20));
    const march = run(records).find((o) => o.evidence.month === '2024-03');
    expect(march?.evidence.profileSource).toBe('own');
    expect(march?.statistics.dispersion).toBeCloseTo(0, 10);
    expect(march?.effectMet).toBe(true);
  });

  it('actor level: a scripted account inside a noisy unit', () => {
    const random = seededRandom(11);
    const noisy = workingDays('2024-03-01', '2024-03-31', () => overdispersedDraw(30, 2, random), ['h1', 'h2', 'h3']);
    const script = workingDays('2024-03-01', '2024-03-31', () => 8, ['bot']);
    const outcomes = run([...noisy, ...script], ctx, true);
    const bot = outcomes.find((o) => o.scope.actorId === 'bot');
    const unit = outcomes.find((o) => o.scope.kind === 'org');
    expect(bot?.effectMet).toBe(true);
    expect(bot?.scope).toEqual({ kind: 'actor', platformId: 'p1', orgId: 'o1', actorId: 'bot' });
    expect(unit?.effectMet).toBe(false);
  });
});

describe('under-dispersion properties', () => {
  const start = localMs('2024-01-01', 0);
  const base = workingDays('2024-01-01', '2024-03-31', (i) => 3 + (i % 5), ['a1', 'a2']);
  const arbRecord = fc
    .record({
      org: fc.constantFrom('o1', 'o2'),
      actor: fc.constantFrom('a1', 'a2', 'a3'),
      at: fc.integer({ min: 0, max: 95 * 86_400_000 }),
    })
    .map(
      ({ org, actor, at }): TraceRecord => ({
        id: `${org}-${actor}-${at}`,
        platformId: 'p1',
        orgId: org,
        actorId: actor,
        actorRole: 'staff',
        action: 'visit.record',
        occurredAt: start + at,
        recordedAt: start + at,
      }),
    );
  const comparable = (outcomes: TestOutcome[]) =>
    JSON.stringify(outcomes.map(({ explain, ...rest }) => ({ ...rest, text: explain(0.01) })));

  it('never throws; order and batching do not change the outcomes', () => {
    fc.assert(
      fc.property(fc.array(arbRecord, { maxLength: 200 }), fc.integer({ min: 1, max: 1000 }), (extra, seed) => {
        const all = [...base, ...extra];
        const reference = comparable(run(all, ctx, true));
        const shuffled = [...all].sort(
          (a, b) => (((a.occurredAt / 1000) * seed) % 89) - (((b.occurredAt / 1000) * seed) % 89),
        );
        expect(comparable(run(shuffled, ctx, true))).toBe(reference);
        const detector = createUnderDispersionDetector();
        const half = Math.floor(all.length / 2);
        for (const r of all.slice(half)) detector.observe(r);
        detector.evaluate(ctx);
        for (const r of all.slice(0, half)) detector.observe(r);
        expect(comparable(detector.evaluate(ctx))).toBe(reference);
      }),
      { numRuns: 20 },
    );
  });
});
