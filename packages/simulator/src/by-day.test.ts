import { describe, expect, it } from 'vitest';
import { defaultLiveStart, liveRunEndsBefore, simulateByDay } from './by-day.js';
import { simulate } from './simulate.js';

describe('simulateByDay', () => {
  const options = { seed: 4, units: 4, months: 1, start: '2025-03-01' };

  it('holds exactly what simulate yields, by day, days in order, each in recording order', () => {
    const expected = { event: 0, evaluation: 0, metric: 0, label: 0 };
    for (const r of simulate(options)) expected[r.kind]++;
    const sim = simulateByDay(options);
    expect(sim.evaluations).toHaveLength(expected.evaluation);
    expect(sim.labels).toHaveLength(expected.label);
    expect(sim.firstDay).toBe('2025-03-01');
    expect(sim.lastDay).toBe('2025-03-31');
    expect(sim.startMs).toBe(Date.parse('2025-02-28T16:00:00Z'));
    let events = 0;
    let metrics = 0;
    let previousDay = '';
    let previousTime = Number.NEGATIVE_INFINITY;
    for (const day of sim.days) {
      expect(day.day > previousDay).toBe(true);
      previousDay = day.day;
      expect(day.startMs).toBe(Date.parse(`${day.day}T00:00:00+08:00`));
      for (const e of day.events) {
        const t = Date.parse(e.time);
        expect(t).toBeGreaterThanOrEqual(Math.max(previousTime, day.startMs));
        expect(t).toBeLessThan(day.startMs + 86_400_000);
        previousTime = t;
      }
      for (const m of day.metrics) {
        const t = Date.parse(m.reportedAt);
        expect(t).toBeGreaterThanOrEqual(day.startMs);
        expect(t).toBeLessThan(day.startMs + 86_400_000);
      }
      events += day.events.length;
      metrics += day.metrics.length;
    }
    expect(events).toBe(expected.event);
    expect(metrics).toBe(expected.metric);
    expect(metrics).toBeGreaterThan(0); // March's reports, filed in April (the tail)
  });

  it('a live run starts early enough to lie in the past, and a later start is refused', () => {
    const now = Date.parse('2026-12-01T21:00:00Z'); // Dec 2 in UTC+8
    expect(defaultLiveStart(2, now)).toBe('2026-09-01');
    expect(liveRunEndsBefore('2026-09-01', 2, now)).toBe(true); // Sep–Oct, then November
    expect(liveRunEndsBefore('2026-10-01', 2, now)).toBe(false); // Oct–Nov, December is not over
    expect(liveRunEndsBefore(defaultLiveStart(12, now), 12, now)).toBe(true);
  });
});
