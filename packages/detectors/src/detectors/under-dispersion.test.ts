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
    // March 2024 only (flat profile: < 8 weeks). 19, 21, 19, … from Fri Mar 1. Windows of 4 ISO
    // weeks that end by Mar 31 and hold ≥ 14 tested days: Feb 26–Mar 24 (16) and Mar 4–31 (20).
    // Mar 4–31: working days Mar 4–29 = 20, alternating 21, 19 (10 each): x̄ = 20, Σ(x−x̄)² = 20,
    // X² = 20/20 = 1, df = 19, D = 1/19 = 0.05263.
    // P(χ²₁₉ ≤ 1) = P(9.5, 0.5) = 0.5^9.5·e^(−0.5)/Γ(10.5)·(1 + 0.5/10.5 + 0.25/(10.5·11.5) + …)
    const outcomes = run(workingDays('2024-03-01', '2024-03-31', (i) => (i % 2 === 0 ? 19 : 21)));
    expect(outcomes.map((o) => o.evidence.window)).toEqual([
      { start: '2024-02-26', end: '2024-03-24' },
      { start: '2024-03-04', end: '2024-03-31' },
    ]);
    const outcome = outcomes[1]!;
    expect(outcome.statistics.days).toBe(20);
    expect(outcome.statistics.mean).toBe(20);
    expect(outcome.statistics.chiSquare).toBeCloseTo(1, 12);
    expect(outcome.statistics.dispersion).toBeCloseTo(1 / 19, 12);
    const series = Math.exp(9.5 * Math.log(0.5) - 0.5 - lnGamma(10.5)) * (1 + 0.5 / 10.5 + 0.25 / (10.5 * 11.5));
    expect(outcome.pValue! / series).toBeCloseTo(1, 3);
    expect(outcome.pValue! / chiSquareCdf(1, 19)).toBeCloseTo(1, 10);
    expect(outcome.effectMet).toBe(true);
    expect(outcome.evidence.expectation).toBe('flat');
    expect(outcome.period).toEqual({ start: '2024-03-04', end: '2024-03-29' });
    expect(outcome.explain(1e-8)['zh-CN']).toContain('D=0.05');
    expect(outcome.explain(1e-8).en).toContain('2024-03-04 to 2024-03-29');
  });

  it('stays silent on human-like (overdispersed) and on Poisson counts', () => {
    const random = seededRandom(7);
    const may = { ...ctx, asOf: localMs('2024-05-01', 0) };
    const human = run(
      workingDays('2024-03-01', '2024-04-30', () => overdispersedDraw(20, 3, random)),
      may,
    );
    expect(human.length).toBeGreaterThan(3);
    expect(human.every((o) => !o.effectMet)).toBe(true);
    expect(Math.min(...human.map((o) => o.statistics.dispersion!))).toBeGreaterThan(1);
    const poisson = run(
      workingDays('2024-03-01', '2024-04-30', () => poissonDraw(20, random)),
      may,
    );
    expect(poisson.every((o) => !o.effectMet && o.pValue! > 0.001)).toBe(true);
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

  it('tests against the profile as well: a steady Monday peak is still "too steady"', () => {
    // 12 weeks from 2024-01-08: Monday 40, other working days 20 (holidays and weekends 0). Own
    // profile (≥ 8 weeks): Monday weight = 2 × Tuesday's; the month ends (Jan 29–31, Feb 27–29:
    // 40 + 5·20 = 140 observed, 140 expected) give a month-end factor of exactly 1.
    // Window Mar 4–31: Mondays 40 (×4), other days 20 (×16). Against the profile every count is
    // its expectation: X² = 0 → p = min(1, 2·0) = 0, D = 0. Against a flat level: x̄ = 24,
    // Σ(x−x̄)² = 4·16² + 16·4² = 1280, X² = 1280/24 = 53.33, D = 53.33/19 = 2.807.
    const records = workingDays('2024-01-08', '2024-03-31', (_, day) => (isoWeekday(day) === 1 ? 40 : 20));
    const march = run(records).find(
      (o) => o.evidence.window && (o.evidence.window as { start: string }).start === '2024-03-04',
    );
    expect(march?.evidence.profileSource).toBe('own');
    expect(march?.evidence.expectation).toBe('profile');
    expect(march?.statistics.dispersion).toBeCloseTo(0, 10);
    expect(march?.statistics.dispersionFlat).toBeCloseTo(1280 / 24 / 19, 10);
    expect(march?.pValue).toBeCloseTo(0, 12);
    expect(march?.effectMet).toBe(true);
  });

  it('a constant script is steady even against a noisy profile (no division by the weights)', () => {
    // Org o2: a busy, overdispersed history with a weak Friday dip, then 4 weeks of exactly 45 a
    // day (Mar 4–29). Dividing 45 by the profile's weights would vary with them; against the flat
    // expectation the script has X² = 0.
    const random = seededRandom(3);
    const honest = workingDays(
      '2023-12-04',
      '2024-03-01',
      (_, day) => overdispersedDraw(isoWeekday(day) === 5 ? 35 : 50, 2, random),
      undefined,
      'o2',
    );
    const script = workingDays('2024-03-04', '2024-03-29', () => 45, undefined, 'o2');
    const window = run([...honest, ...script]).find(
      (o) => (o.evidence.window as { start: string }).start === '2024-03-04',
    );
    expect(window?.evidence.profileSource).toBe('own');
    expect(window?.evidence.expectation).toBe('flat');
    expect(window?.statistics.dispersion).toBe(0);
    expect(window?.statistics.dispersionProfile).toBeGreaterThan(0);
    expect(window?.effectMet).toBe(true);
  });

  it('finds a 5-week script that no calendar month holds', () => {
    // Script of 45 a day from Wed 2024-03-06 to Tue 2024-04-09 in a noisy unit. March and April
    // both mix in honest days; the window Mar 11–Apr 7 lies inside the script: 19 working days
    // (Mar 11–Apr 3 = 18, Qingming off Apr 4–6, Sunday Apr 7 worked under 调休).
    const random = seededRandom(5);
    const records = workingDays('2023-12-04', '2024-05-31', (_, day) =>
      day >= isoToDayNumber('2024-03-06') && day <= isoToDayNumber('2024-04-09')
        ? 45
        : overdispersedDraw(45, 2, random),
    );
    const flagged = run(records, { ...ctx, asOf: localMs('2024-06-01', 0) }).filter(
      (o) => o.effectMet && o.pValue! < 1e-6,
    );
    expect(flagged.map((o) => o.evidence.window)).toEqual([{ start: '2024-03-11', end: '2024-04-07' }]);
    expect(flagged[0]?.statistics.days).toBe(19);
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
