import type { ReportedMetric } from '@tracewatch/schema';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { poissonSf } from '../stats/index.js';
import type { TestOutcome, TraceRecord } from '../types.js';
import { createMetricInflationDetector, isInflated } from './metric-inflation.js';
import { context, observeOnce, plain, shuffled, traceRecord } from './support/fixtures.js';
import { mulberry32 } from './support/prng.js';

/** Half the property runs keep everything, half a short retention window (1–40 days). */
const retentionFor = (seed: number) => (seed % 2 === 0 ? 400 : 1 + (Math.abs(seed) % 40));

const DAY_MS = 86_400_000;
const MARCH_1 = Date.parse('2026-03-01T09:00:00+08:00');
const AFTER = Date.parse('2026-04-02T00:00:00+08:00');

const metric = (value: number, fields: Partial<ReportedMetric> = {}): ReportedMetric => ({
  id: 'm1',
  platformId: 'p1',
  orgId: 'o1',
  metric: 'cases.handled',
  periodStart: '2026-03-01',
  periodEnd: '2026-03-31',
  value,
  reportedAt: '2026-04-01T10:00:00+08:00',
  ...fields,
});

/** `n` case.close traces spread over March, plus one trace on 2026-04-01 so the data cover March. */
function closures(n: number, orgId = 'o1'): TraceRecord[] {
  return [
    ...Array.from({ length: n }, (_, i) =>
      traceRecord({
        orgId,
        action: 'case.close',
        actorId: `a${i % 4}`,
        occurredAt: MARCH_1 + (i % 31) * DAY_MS + i * 1000,
      }),
    ),
    traceRecord({ orgId, action: 'login', occurredAt: Date.parse('2026-04-01T08:00:00+08:00') }),
  ];
}

function run(records: readonly TraceRecord[], metrics: ReportedMetric[], asOf = AFTER, options = {}): TestOutcome[] {
  const detector = createMetricInflationDetector(options);
  for (const r of records) detector.observe(r);
  return detector.evaluate(context(asOf, { metrics }));
}

describe('isInflated', () => {
  it('both conditions, by hand', () => {
    // C = 100: 1.2·C = 120, C + 2√C + 5 = 125 → R must exceed 125
    expect(isInflated(126, 100)).toBe(true);
    expect(isInflated(125, 100)).toBe(false);
    // C = 0: R > 0 and R > 5
    expect(isInflated(6, 0)).toBe(true);
    expect(isInflated(5, 0)).toBe(false);
    // C = 400: C + 2·20 + 5 = 445, but 1.2·C = 480 binds
    expect(isInflated(480, 400)).toBe(false);
    expect(isInflated(481, 400)).toBe(true);
  });
});

describe('metric-inflation detector', () => {
  it('fires when 412 cases are reported against 100 closures', () => {
    const [outcome, ...rest] = run(closures(100), [metric(412)]);
    expect(rest).toEqual([]);
    expect(outcome!.rule).toBe('metric:cases.handled');
    expect(outcome!.statistics).toMatchObject({ reported: 412, counted: 100, excess: 312, allowed: 125 });
    expect(outcome!.statistics.poissonP).toBe(poissonSf(412, 100));
    expect(outcome!.effectMet).toBe(true);
    expect(outcome!.period).toEqual({ start: '2026-03-01', end: '2026-03-31' });
    expect(outcome!.scope).toEqual({ kind: 'org', platformId: 'p1', orgId: 'o1' });
    expect(outcome!.explain(null).en).toContain("'cases.handled' = 412");
  });

  it('stays silent when the report matches the traces within the allowance', () => {
    const [outcome] = run(closures(100), [metric(118)]);
    expect(outcome!.effectMet).toBe(false);
    // other orgs' traces do not count for o1
    const [mine] = run([...closures(100), ...closures(300, 'o2')], [metric(118)]);
    expect(mine!.statistics.counted).toBe(100);
  });

  it('judges only ended periods the data cover, mapped metrics, the latest report', () => {
    expect(run(closures(100), [metric(412)], Date.parse('2026-03-31T12:00:00+08:00'))).toEqual([]);
    const lateStart = closures(100).filter((r) => r.occurredAt >= MARCH_1 + 4 * DAY_MS);
    expect(run(lateStart, [metric(412)])).toEqual([]);
    expect(run(closures(100), [metric(412, { metric: 'meetings.held' })])).toEqual([]);
    const corrected = metric(105, { id: 'm2', reportedAt: '2026-04-01T12:00:00+08:00' });
    const [outcome] = run(closures(100), [corrected, metric(412)]);
    expect(outcome!.statistics.reported).toBe(105);
    expect(outcome!.effectMet).toBe(false);
    // a mapping from the options
    const [custom] = run(closures(10), [metric(80, { metric: 'closures' })], AFTER, {
      metricActions: { closures: ['case.close'] },
    });
    expect(custom!.statistics.counted).toBe(10);
    expect(custom!.effectMet).toBe(true);
  });

  it('a period older than the retention window is not covered, so not judged', () => {
    const late = traceRecord({ action: 'login', occurredAt: MARCH_1 + 500 * DAY_MS });
    const later = MARCH_1 + 600 * DAY_MS;
    expect(run([...closures(100), late], [metric(412)], later)).toEqual([]);
    expect(run([...closures(100), late], [metric(412)], later, { retentionDays: 600 })).toHaveLength(1);
  });

  it('never throws and gives the same outcomes in any order or split (property)', () => {
    const row = fc.record({
      day: fc.integer({ min: 0, max: 45 }),
      action: fc.constantFrom('case.close', 'visit.record', 'login'),
      org: fc.integer({ min: 0, max: 1 }),
    });
    fc.assert(
      fc.property(
        fc.array(row, { maxLength: 150 }),
        fc.integer({ min: 0, max: 200 }),
        fc.integer(),
        (rows, value, seed) => {
          const records = rows.map((r, i) =>
            traceRecord({
              id: `e${i}`,
              orgId: `o${r.org}`,
              action: r.action,
              occurredAt: Date.parse('2026-02-25T09:00:00+08:00') + r.day * DAY_MS,
            }),
          );
          const metrics = [metric(value), metric(value, { id: 'm3', orgId: 'o0', metric: 'visits.recorded' })];
          const options = { retentionDays: retentionFor(seed) };
          const once = plain(run(records, metrics, Date.parse('2026-05-01T00:00:00+08:00'), options));
          const detector = createMetricInflationDetector(options);
          const observe = observeOnce(detector); // replays dropped as by the engine
          const mixed = shuffled(records, mulberry32(seed));
          const ctx = context(Date.parse('2026-05-01T00:00:00+08:00'), { metrics: [...metrics].reverse() });
          for (const r of mixed.slice(0, 50)) observe(r);
          detector.evaluate(ctx);
          for (const r of mixed.slice(50)) observe(r);
          for (const r of mixed.slice(0, 3)) observe(r);
          expect(plain(detector.evaluate(ctx))).toEqual(once);
        },
      ),
      { numRuns: 60 },
    );
  });
});
