import { describe, expect, it } from 'vitest';
import { createBackfillDetector } from './detectors/backfill.js';
import { dayRange, pruneDays, RetentionWindow } from './retention.js';
import { localMs, record } from './testing/records.js';
import type { EvaluateContext, TraceRecord } from './types.js';

describe('RetentionWindow', () => {
  it('drops days older than retentionDays before the latest day seen', () => {
    const w = new RetentionWindow(10);
    expect(w.cutoff()).toBe(Number.NEGATIVE_INFINITY);
    expect(w.admit(100)).toBe(true);
    expect(w.admit(95)).toBe(true);
    expect(w.admit(120)).toBe(true); // cutoff moves to 110
    expect(w.admit(109)).toBe(false);
    expect(w.cutoff()).toBe(110);
  });
  it('pruneDays and dayRange', () => {
    const days = new Map([
      [5, 1],
      [9, 1],
      [12, 1],
    ]);
    pruneDays(days, 9);
    expect([...days.keys()]).toEqual([9, 12]);
    expect(dayRange(days)).toEqual({ first: 9, last: 12 });
    expect(dayRange(new Map())).toBeNull();
  });
  it('a detector with a short retention gives the same outcomes in either arrival order', () => {
    const ctx: EvaluateContext = { asOf: localMs('2024-06-01', 0), evaluations: [], metrics: [] };
    const records: TraceRecord[] = [];
    for (let d = 0; d < 120; d++) {
      const at = localMs('2024-02-01', 10) + d * 86_400_000;
      for (let i = 0; i < 5; i++)
        records.push(record({ occurredAt: at - (i === 0 ? 3 * 86_400_000 : 0), recordedAt: at + i }));
    }
    const run = (input: typeof records) => {
      const detector = createBackfillDetector({ retentionDays: 70, minBaselineCount: 5, minBackfilled: 5 });
      for (const r of input) detector.observe(r);
      return JSON.stringify(detector.evaluate(ctx).map(({ explain, ...rest }) => rest));
    };
    const forward = run(records);
    expect(forward).not.toBe('[]');
    expect(run([...records].reverse())).toBe(forward);
  });
});
