import type { ReportedMetric } from '@tracewatch/schema';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { TestOutcome, TraceRecord } from '../types.js';
import { createRepeatedEntryDetector } from './repeated-entry.js';
import { context, observeOnce, plain, shuffled, traceRecord } from './support/fixtures.js';
import { mulberry32 } from './support/prng.js';

const MARCH = Date.parse('2026-03-02T10:00:00+08:00');
const AFTER = context(Date.parse('2026-04-01T00:00:00+08:00'));
const hash = (n: number) => n.toString(16).padStart(64, '0');

function run(records: readonly TraceRecord[], ctx = AFTER, options = {}): TestOutcome[] {
  const detector = createRepeatedEntryDetector(options);
  for (const r of records) detector.observe(r);
  return detector.evaluate(ctx);
}

/** A report with content hash `n`, on `platformId`, `hours` after March 2 10:00. */
const report = (n: number, platformId: string, hours: number, orgId = 'o1') =>
  traceRecord({
    platformId,
    orgId,
    action: 'report.file',
    contentHash: hash(n),
    occurredAt: MARCH + hours * 3_600_000,
  });

const metric = (platformId: string, value: number, metricName = 'cases.handled'): ReportedMetric => ({
  id: `m-${platformId}-${metricName}-${value}`,
  platformId,
  orgId: 'o1',
  metric: metricName,
  periodStart: '2026-03-01',
  periodEnd: '2026-03-31',
  value,
  reportedAt: '2026-04-03T10:00:00+08:00',
});

describe('repeated-entry detector', () => {
  it('fires when 4 reports of one unit are entered on two platforms, listing them', () => {
    // reports 1–4 on p1, re-entered on p2 a day later; 5 and 6 only on p1; 7 only on p2
    const records = [
      ...[1, 2, 3, 4].flatMap((n) => [report(n, 'p1', n), report(n, 'p2', 24 + n)]),
      report(5, 'p1', 5),
      report(6, 'p1', 6),
      report(7, 'p2', 7),
    ];
    const outcomes = run(records);
    expect(outcomes).toHaveLength(1);
    const o = outcomes[0]!;
    expect(o.rule).toBe('same-content:p2');
    expect(o.scope).toEqual({ kind: 'org', platformId: 'p1', orgId: 'o1' });
    expect(o.period).toEqual({ start: '2026-03-01', end: '2026-03-31' });
    expect(o.statistics).toEqual({ sharedContents: 4, submissions: 8 });
    expect(o.effectMet).toBe(true);
    expect(o.pValue).toBeNull();
    const duplicated = o.evidence.duplicated as { contentHash: string; submissions: { platformId: string }[] }[];
    expect(duplicated.map((d) => d.contentHash)).toEqual([1, 2, 3, 4].map(hash));
    expect(duplicated[0]!.submissions.map((s) => s.platformId)).toEqual(['p1', 'p2']);
    expect(o.explain(null).en).toContain('4 identical documents (8 submissions) on both platform p1 and platform p2');
    expect(o.explain(null)['zh-CN']).toContain('重复填报');
  });

  it('stays silent below 3 shared texts, on one platform, and across different units', () => {
    expect(run([1, 2].flatMap((n) => [report(n, 'p1', n), report(n, 'p2', 30 + n)]))[0]!.effectMet).toBe(false);
    // the same text five times on one platform is duplicate-content's business
    expect(run([1, 1, 1, 1, 1].map((n, i) => report(n, 'p1', i)))).toEqual([]);
    // another unit's copy on another platform is not this unit entering it twice
    expect(run([1, 2, 3].flatMap((n) => [report(n, 'p1', n), report(n, 'p2', n, 'o2')]))).toEqual([]);
  });

  it('the same report on two platforms, equal values only', () => {
    const ctx = { ...AFTER, asOf: Date.parse('2026-04-05T00:00:00+08:00') };
    const metrics = [
      metric('p1', 120),
      metric('p2', 120),
      metric('p1', 40, 'visits.recorded'),
      metric('p2', 41, 'visits.recorded'),
    ];
    const outcomes = run([], { ...ctx, metrics });
    expect(outcomes).toHaveLength(1);
    expect(outcomes[0]!.rule).toBe('same-report:p2');
    expect(outcomes[0]!.statistics.sameReports).toBe(1);
    expect(outcomes[0]!.evidence.duplicated).toEqual([
      { metric: 'cases.handled', value: 120, ids: ['m-p1-cases.handled-120', 'm-p2-cases.handled-120'] },
    ]);
    expect(outcomes[0]!.effectMet).toBe(true);
    expect(run([], { ...ctx, metrics: [metric('p1', 120), metric('p2', 121)] })).toEqual([]);
  });

  it('a month in progress is not judged, and is reported as pending', () => {
    const pending: string[] = [];
    const early = {
      ...context(Date.parse('2026-03-20T00:00:00+08:00')),
      onPending: (w: { period: { start: string } }) => pending.push(w.period.start),
    };
    expect(
      run(
        [1, 2, 3].flatMap((n) => [report(n, 'p1', n), report(n, 'p2', 30 + n)]),
        early,
      ),
    ).toEqual([]);
    expect(pending).toEqual(['2026-03-01']);
  });

  it('never throws and gives the same outcomes in any order or split (property)', () => {
    const row = fc.record({
      n: fc.integer({ min: 0, max: 12 }),
      platform: fc.constantFrom('p1', 'p2', 'p3'),
      org: fc.constantFrom('o1', 'o2'),
      hours: fc.integer({ min: 0, max: 24 * 40 }),
    });
    fc.assert(
      fc.property(fc.array(row, { minLength: 1, maxLength: 80 }), fc.integer(), (rows, seed) => {
        const records = rows.map((r, i) => ({ ...report(r.n, r.platform, r.hours, r.org), id: `e${i}` }));
        const options = { minRepeated: 2, retentionDays: seed % 2 === 0 ? 400 : 1 + (Math.abs(seed) % 40) };
        const once = plain(run(records, AFTER, options));
        const detector = createRepeatedEntryDetector(options);
        const observe = observeOnce(detector);
        const mixed = shuffled(records, mulberry32(seed));
        for (const r of mixed.slice(0, 10)) observe(r);
        detector.evaluate(AFTER);
        for (const r of mixed.slice(10)) observe(r);
        for (const r of mixed.slice(0, 3)) observe(r);
        expect(plain(detector.evaluate(AFTER))).toEqual(once);
      }),
      { numRuns: 60 },
    );
  });
});
