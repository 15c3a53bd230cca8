import { describe, expect, it } from 'vitest';
import { DEFAULT_REPLAY_WINDOW_DAYS, ReplayFilter } from './replay-filter.js';
import { localMs, record } from './testing/records.js';

describe('ReplayFilter', () => {
  it('passes an event the first time and drops its replays', () => {
    const filter = new ReplayFilter();
    const a = record({ id: 'e1', occurredAt: localMs('2026-03-02') });
    const b = record({ id: 'e2', occurredAt: localMs('2026-03-02') });
    expect(filter.firstSeen(a)).toBe(true);
    expect(filter.firstSeen(b)).toBe(true);
    expect(filter.firstSeen({ ...a })).toBe(false);
    expect(filter.firstSeen(a)).toBe(false);
    expect(filter.memory.ids).toBe(2);
    expect(filter.memory.bytes).toBeGreaterThan(0);
  });
  it('keys ids by the later of the two times: a backfilled event is still one event', () => {
    const filter = new ReplayFilter();
    const late = record({ id: 'e1', occurredAt: localMs('2026-03-02'), recordedAt: localMs('2026-03-20') });
    expect(filter.firstSeen(late)).toBe(true);
    expect(filter.firstSeen({ ...late })).toBe(false);
    // the same id with other times is another event here (a producer bug; documented)
    expect(filter.firstSeen({ ...late, recordedAt: localMs('2026-03-21') })).toBe(true);
  });
  it('forgets ids older than the window before the latest day (the documented limit)', () => {
    const filter = new ReplayFilter(10);
    const old = record({ id: 'old', occurredAt: localMs('2026-03-01') });
    expect(filter.firstSeen(old)).toBe(true);
    expect(filter.firstSeen(record({ id: 'new', occurredAt: localMs('2026-03-11') }))).toBe(true);
    expect(filter.firstSeen(old)).toBe(false); // 10 days back: still remembered
    expect(filter.firstSeen(record({ id: 'newer', occurredAt: localMs('2026-03-12') }))).toBe(true);
    expect(filter.firstSeen(old)).toBe(true); // 11 days back: forgotten, passes again
    expect(filter.memory.ids).toBe(2);
  });
  it('validates the window; the default outlasts every detector’s 400-day retention', () => {
    expect(DEFAULT_REPLAY_WINDOW_DAYS).toBeGreaterThan(400);
    expect(() => new ReplayFilter(-1)).toThrow(RangeError);
    expect(() => new ReplayFilter(1.5)).toThrow(RangeError);
  });
});
