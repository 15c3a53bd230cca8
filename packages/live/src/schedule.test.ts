import { describe, expect, it } from 'vitest';
import { evaluationDue } from './schedule.js';

const opts = { evaluateEveryMs: 60_000, utcOffsetMinutes: 480 };
const at = (iso: string) => Date.parse(iso);

describe('evaluationDue', () => {
  it('waits for a watermark, then evaluates at once', () => {
    expect(evaluationDue(null, null, 0, opts)).toBeNull();
    expect(evaluationDue(at('2026-03-01T00:00:00Z'), null, 0, opts)).toBe('interval');
  });

  it('evaluates as soon as the watermark enters a new local day (Asia/Shanghai midnight = 16:00Z)', () => {
    const last = { at: 1_000, watermark: at('2026-03-01T15:59:00Z') };
    expect(evaluationDue(at('2026-03-01T16:00:01Z'), last, 1_001, opts)).toBe('day-closed');
    expect(evaluationDue(at('2026-03-01T15:59:30Z'), last, 1_001, opts)).toBeNull();
  });

  it('otherwise evaluates once the interval has passed and the watermark moved', () => {
    const last = { at: 0, watermark: at('2026-03-01T01:00:00Z') };
    expect(evaluationDue(at('2026-03-01T01:00:10Z'), last, 59_999, opts)).toBeNull();
    expect(evaluationDue(at('2026-03-01T01:00:10Z'), last, 60_000, opts)).toBe('interval');
    expect(evaluationDue(at('2026-03-01T01:00:00Z'), last, 600_000, opts)).toBeNull();
  });

  it('while catching up, paces runs by the interval only, however many days the watermark crosses', () => {
    const last = { at: 0, watermark: at('2026-03-01T15:59:00Z') };
    expect(evaluationDue(at('2026-03-05T16:00:01Z'), last, 1_000, opts, false)).toBeNull();
    expect(evaluationDue(at('2026-03-05T16:00:01Z'), last, 60_000, opts, false)).toBe('interval');
  });
});
