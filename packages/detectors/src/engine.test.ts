import type { TraceEvent } from '@tracewatch/schema';
import { describe, expect, it } from 'vitest';
import { AVAILABLE_DETECTORS, DetectionEngine } from './engine.js';
import { dayRecords, localMs } from './testing/records.js';
import { dayNumberToIso, isoToDayNumber } from './time.js';
import { DETECTOR_NAMES, type DetectorName, type EvaluateContext, type TraceRecord } from './types.js';

/**
 * Unit o1: 10 traces a day from 2024-06-01; in the week before the evaluation of 2024-08-26
 * (Aug 19–25) 30 more a day, all entered on the evening of Aug 25 (backfilled when over 24 h).
 */
function scenario(): TraceRecord[] {
  const out: TraceRecord[] = [];
  for (let day = isoToDayNumber('2024-06-01'); day <= isoToDayNumber('2024-09-05'); day++) {
    out.push(...dayRecords(dayNumberToIso(day), 10));
  }
  for (let day = isoToDayNumber('2024-08-19'); day <= isoToDayNumber('2024-08-25'); day++) {
    const extra = dayRecords(dayNumberToIso(day), 30, { recordedAt: localMs('2024-08-25', 20) }, ['x1', 'x2']);
    out.push(...extra.map((r) => ({ ...r, id: `extra-${r.id}` })));
  }
  return out;
}

const ctx: EvaluateContext = {
  asOf: localMs('2024-09-06', 0),
  evaluations: [
    {
      id: 'e1',
      name: '年度考核',
      kind: 'assessment',
      start: '2024-08-26T09:00:00+08:00',
      end: '2024-08-26T17:00:00+08:00',
    },
  ],
  metrics: [],
};

describe('DetectionEngine', () => {
  it('evaluate: the same findings, and the windows with data not ended by asOf', () => {
    const engine = new DetectionEngine({ enabled: ['burst-before-evaluation', 'backfill', 'under-dispersion'] });
    for (const r of scenario()) engine.observe(r);
    const { findings, pending } = engine.evaluate(ctx);
    expect(findings.map((f) => f.fingerprint)).toEqual(engine.findings(ctx).map((f) => f.fingerprint));
    // data run to 2024-09-05, asOf 2024-09-06 00:00: the ISO week of Sep 2–8 and the 4-week
    // windows reaching past Sep 5 are not over; the evaluation's pre-window is (Aug 19–25)
    expect(pending.reason).toBe('window-not-ended');
    const backfill = pending.byDetector.find((d) => d.detector === 'backfill')!;
    expect(backfill.periods).toEqual([{ start: '2024-09-02', end: '2024-09-08', windows: 1 }]);
    expect(pending.byDetector.find((d) => d.detector === 'burst-before-evaluation')).toBeUndefined();
    const dispersion = pending.byDetector.find((d) => d.detector === 'under-dispersion')!;
    // 4-week windows: those starting Aug 12, 19, 26 and Sep 2 all end on or after Sep 8
    expect(dispersion.periods.map((p) => p.start)).toEqual(['2024-08-12', '2024-08-19', '2024-08-26', '2024-09-02']);
    expect(pending.windows).toBe(pending.byDetector.reduce((s, d) => s + d.windows, 0));
    // a month later every window is over
    expect(engine.evaluate({ ...ctx, asOf: localMs('2024-10-07', 0) }).pending.windows).toBe(0);
    // an evaluation whose pre-window holds data but has not ended is reported by the burst detector
    const early = engine.evaluate({ ...ctx, asOf: localMs('2024-08-22', 0) }).pending;
    expect(early.byDetector.find((d) => d.detector === 'burst-before-evaluation')!.periods).toEqual([
      { start: '2024-08-19', end: '2024-08-25', windows: 1 },
    ]);
  });

  it('runs the enabled detectors and marks agreeing findings critical', () => {
    const engine = new DetectionEngine({ enabled: ['burst-before-evaluation', 'backfill'] });
    for (const r of scenario()) engine.observe(r);
    const findings = engine.findings(ctx);
    const burst = findings.find((f) => f.detector === 'burst-before-evaluation');
    const backfill = findings.find((f) => f.detector === 'backfill' && f.rule === 'pre-evaluation');
    // burst: X_P = 7·40 = 280 against 10 a day → RR = 4
    expect(burst?.statistics.rateRatio).toBeCloseTo(4, 10);
    expect(burst?.period).toEqual({ start: '2024-08-19', end: '2024-08-25' });
    // backfill: Aug 19–24 extras (6·30 = 180) are over 24 h late; the Aug 25 extras are not
    expect(backfill?.statistics.backfilled).toBe(180);
    expect(burst?.corroboratedBy).toEqual(['backfill']);
    expect(backfill?.corroboratedBy).toContain('burst-before-evaluation');
    expect(burst?.severity).toBe('critical');
    expect(burst?.explanation['zh-CN']).toContain('年度考核');
    expect(burst?.fingerprint).toMatch(/^[0-9a-f]{32}$/);
  });

  it('every available detector runs on the same data without throwing', () => {
    const engine = new DetectionEngine();
    expect(engine.detectors.map((d) => d.name)).toEqual([...AVAILABLE_DETECTORS]);
    for (const r of scenario()) engine.observe(r);
    expect(() => engine.findings(ctx)).not.toThrow();
  });

  it('passes per-detector options and rejects unavailable names', () => {
    const strict = new DetectionEngine({
      enabled: ['burst-before-evaluation'],
      detectors: { 'burst-before-evaluation': { minRateRatio: 5 } },
    });
    for (const r of scenario()) strict.observe(r);
    expect(strict.findings(ctx)).toHaveLength(0); // RR 4 < 5
    expect(() => new DetectionEngine({ enabled: ['no-such-detector' as DetectorName] })).toThrow(/not available/);
  });

  it('registers every detector', () => {
    expect([...AVAILABLE_DETECTORS]).toEqual([...DETECTOR_NAMES]);
  });

  it('observeEvent parses the wire event the same way as observe', () => {
    const byRecord = new DetectionEngine({ enabled: ['burst-before-evaluation'] });
    const byEvent = new DetectionEngine({ enabled: ['burst-before-evaluation'] });
    for (const r of scenario()) {
      byRecord.observe(r);
      const event: TraceEvent = {
        specversion: '1.0',
        id: r.id,
        source: 'p1',
        type: 'gov.trace.v1',
        time: new Date(r.recordedAt).toISOString(),
        data: {
          platformId: r.platformId,
          orgId: r.orgId,
          actorId: r.actorId,
          actorRole: r.actorRole,
          action: r.action,
          occurredAt: new Date(r.occurredAt).toISOString(),
        },
      };
      byEvent.observeEvent(event);
    }
    expect(byEvent.findings(ctx).map((f) => f.fingerprint)).toEqual(byRecord.findings(ctx).map((f) => f.fingerprint));
  });

  it('drops replayed events once for every detector: the same findings as without replays', () => {
    const records = scenario();
    const once = new DetectionEngine();
    for (const r of records) expect(once.observe(r)).toBe(true);
    const replayed = new DetectionEngine();
    let dropped = 0;
    // every third record arrives again, some as a copy and some as the same object, out of order
    const again = records.filter((_, i) => i % 3 === 0).map((r, i) => (i % 2 === 0 ? { ...r } : r));
    for (const r of [...again.slice(0, 50), ...records, ...again.slice(50)]) if (!replayed.observe(r)) dropped++;
    expect(dropped).toBe(again.length);
    const view = (e: DetectionEngine) =>
      e.findings(ctx).map((f) => ({ fingerprint: f.fingerprint, statistics: f.statistics, qValue: f.qValue }));
    expect(view(replayed)).toEqual(view(once));
    expect(view(once).length).toBeGreaterThan(0);
    expect(replayed.replayMemory.ids).toBe(records.length);
  });

  it('replay window: the longest retention given to a detector plus 30 days, or as given', () => {
    expect(new DetectionEngine().replayWindowDays).toBe(430);
    expect(new DetectionEngine({ detectors: { backfill: { retentionDays: 800 } } }).replayWindowDays).toBe(830);
    expect(new DetectionEngine({ replayWindowDays: 7 }).replayWindowDays).toBe(7);
    expect(() => new DetectionEngine({ replayWindowDays: -1 })).toThrow(RangeError);
  });
});
