import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { TestOutcome, TraceRecord } from '../types.js';
import { createPresenceOnlyDetector, isPresence } from './presence-only.js';
import { binomialTailByFormula, context, observeOnce, plain, shuffled, traceRecord } from './support/fixtures.js';
import { mulberry32 } from './support/prng.js';

const AFTER = context(Date.parse('2026-04-01T00:00:00+08:00'));
const FEB = Date.parse('2026-02-02T09:00:00+08:00');
const MAR = Date.parse('2026-03-02T09:00:00+08:00');

function run(records: readonly TraceRecord[], ctx = AFTER, options = {}): TestOutcome[] {
  const detector = createPresenceOnlyDetector(options);
  for (const r of records) detector.observe(r);
  return detector.evaluate(ctx);
}

/** n staff traces of `orgId` from `start` (10 minutes apart), the first `presence` of them log-ins or views. */
function month(start: number, n: number, presence: number, orgId = 'o1'): TraceRecord[] {
  return Array.from({ length: n }, (_, i) =>
    traceRecord({
      orgId,
      actorId: `s${i % 4}`,
      actorRole: 'staff',
      action: i < presence ? (i % 2 === 0 ? 'login' : 'doc.view') : i % 2 === 0 ? 'case.close' : 'form.submit',
      occurredAt: start + i * 600_000,
    }),
  );
}

describe('presence actions', () => {
  it('by the last word of the dotted name', () => {
    const words = new Set(['login', 'view', 'checkin']);
    expect(
      ['login', 'doc.view', 'site.checkin', 'case.close', 'review', 'view.count'].map((a) => isPresence(a, words)),
    ).toEqual([true, true, true, false, false, false]);
  });
});

describe('presence-only detector', () => {
  it('fires when 180 of 200 March traces are presence against 60 of 200 in February (binomial by hand)', () => {
    // p0 = (60 + 1)/(200 + 2) = 61/202; one reference group: no dispersion estimate, φ = 1
    const outcomes = run([...month(FEB, 200, 60), ...month(MAR, 200, 180)]);
    const march = outcomes.find((o) => o.period.start === '2026-03-01')!;
    expect(march.statistics).toMatchObject({ n: 200, presence: 180, share: 0.9, referenceTraces: 200, phi: 1 });
    expect(march.statistics.referenceShare).toBeCloseTo(61 / 202, 15);
    expect(march.pValue! / binomialTailByFormula(180, 200, 61 / 202)).toBeCloseTo(1, 9);
    expect(march.effectMet).toBe(true); // 0.9 ≥ 0.8 and 0.1 ≤ 0.5·(1 − 61/202) = 0.349
    expect(march.evidence.reference).toBe('own-history');
    expect(march.explain(1e-30).en).toContain('180 (90.0%) are presence only');
    expect(march.explain(1e-30)['zh-CN']).toContain('只留痕');
    // February has no reference: not tested
    expect(outcomes.find((o) => o.period.start === '2026-02-01')).toBeUndefined();
  });

  it('stays silent when presence is added and the work goes on (a month of online study)', () => {
    // March: 500 of 620 presence (80.6 %, substantive share 19.4 % ≤ 0.5·(1 − 61/202) = 34.9 %):
    // the shares alone would fire, but 120 substantive actions are not ≤ 0.5 × February's 140
    const march = run([...month(FEB, 200, 60), ...month(MAR, 620, 500)]).find((o) => o.period.start === '2026-03-01')!;
    expect(march.statistics).toMatchObject({ share: 500 / 620, substantive: 120, usualSubstantivePerMonth: 140 });
    expect(march.pValue).toBeLessThan(1e-10);
    expect(march.effectMet).toBe(false);
    expect(march.explain(null).en).toContain('120 substantive actions, against 140');
    // the same shares with the work really dropped (70 = half of February) fire
    const dropped = run([...month(FEB, 200, 60), ...month(MAR, 350, 280)]).find(
      (o) => o.period.start === '2026-03-01',
    )!;
    expect(dropped.statistics.substantive).toBe(70);
    expect(dropped.effectMet).toBe(true);
  });

  it('a young unit is judged against its peers; the larger reference wins', () => {
    const peers = [...month(MAR, 300, 90, 'o2'), ...month(MAR, 300, 150, 'o3')];
    const young = run([...peers, ...month(MAR, 150, 140, 'o1')]).find((o) => o.scope.orgId === 'o1')!;
    // peers pooled: 240 of 600 → (241)/(602); φ from the two peer months (30 % and 50 %)
    expect(young.evidence.reference).toBe('peers-same-month');
    expect(young.statistics.referenceShare).toBeCloseTo(241 / 602, 15);
    expect(young.statistics.phi).toBeGreaterThan(1);
    expect(young.effectMet).toBe(true);
  });

  it('stays silent on a unit that keeps its habits, below 100 traces, and on public traces', () => {
    const steady = run([...month(FEB, 200, 60), ...month(MAR, 200, 70)]).find((o) => o.period.start === '2026-03-01')!;
    expect(steady.effectMet && steady.pValue! <= 0.01).toBe(false);
    expect(run([...month(FEB, 200, 60), ...month(MAR, 99, 99)]).filter((o) => o.period.start === '2026-03-01')).toEqual(
      [],
    );
    const publicOnly = month(MAR, 200, 200).map((r) => ({ ...r, actorRole: 'public' as const }));
    expect(run([...month(FEB, 200, 60), ...publicOnly])).toEqual([]);
  });

  it('never throws and gives the same outcomes in any order or split (property)', () => {
    const row = fc.record({
      org: fc.constantFrom('o1', 'o2'),
      presence: fc.boolean(),
      minute: fc.integer({ min: 0, max: 60 * 24 * 80 }),
    });
    fc.assert(
      fc.property(fc.array(row, { minLength: 1, maxLength: 200 }), fc.integer(), (rows, seed) => {
        const records = rows.map((r, i) =>
          traceRecord({
            id: `e${i}`,
            orgId: r.org,
            actorRole: 'staff',
            action: r.presence ? 'login' : 'case.close',
            occurredAt: Date.parse('2026-01-10T00:00:00+08:00') + r.minute * 60_000,
          }),
        );
        const options = {
          minTraces: 10,
          minReference: 10,
          retentionDays: seed % 2 === 0 ? 400 : 1 + (Math.abs(seed) % 40),
        };
        const once = plain(run(records, AFTER, options));
        const detector = createPresenceOnlyDetector(options);
        const observe = observeOnce(detector);
        const mixed = shuffled(records, mulberry32(seed));
        for (const r of mixed.slice(0, 50)) observe(r);
        detector.evaluate(AFTER);
        for (const r of mixed.slice(50)) observe(r);
        for (const r of mixed.slice(0, 3)) observe(r);
        expect(plain(detector.evaluate(AFTER))).toEqual(once);
      }),
      { numRuns: 60 },
    );
  });
});
