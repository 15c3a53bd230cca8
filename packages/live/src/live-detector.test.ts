import { DetectionEngine } from '@tracewatch/detectors';
import type { Evaluation, ReportedMetric, TraceEvent } from '@tracewatch/schema';
import { simulate } from '@tracewatch/simulator';
import { describe, expect, it } from 'vitest';
import { LiveDetector } from './live-detector.js';

// A small simulated world with fabrication injected: 3 months, 12 units (~40k events).
function world() {
  const events: TraceEvent[] = [];
  const evaluations: Evaluation[] = [];
  const metrics: ReportedMetric[] = [];
  for (const r of simulate({ seed: 11, units: 12, months: 3, scenarioRate: 0.5 })) {
    if (r.kind === 'event') events.push(r.event);
    else if (r.kind === 'evaluation') evaluations.push(r.evaluation);
    else if (r.kind === 'metric') metrics.push(r.metric);
  }
  return { events, evaluations, metrics };
}

const options = { allowedLatenessMs: 0, evaluateEveryMs: 60_000, utcOffsetMinutes: 480, by: 'system:detector@test' };

describe('LiveDetector', () => {
  const { events, evaluations, metrics } = world();
  const asOf = Math.max(...events.map((e) => Date.parse(e.time)));
  const inputs = () => ({ evaluations, metrics });
  const offline = new DetectionEngine({ utcOffsetMinutes: 480 });
  for (const e of events) offline.observeEvent(e);
  const expected = offline
    .findings({ asOf, evaluations, metrics })
    .map((f) => f.fingerprint)
    .sort();

  it('finds what the offline engine finds, fed part from the store and the rest as messages with replays', () => {
    expect(expected.length).toBeGreaterThan(0);
    const live = new LiveDetector(options);
    const cut = Math.floor(events.length * 0.6);
    // The rebuild: the first 60 % as stored records (through the engine's record form).
    const stored = events.slice(0, cut);
    const asMessages = (list: TraceEvent[]) => list.map((e) => Buffer.from(JSON.stringify(e)));
    live.observeMessages(0, asMessages(stored.filter((_, i) => i % 2 === 0)), 0, asOf);
    live.observeMessages(1, asMessages(stored.filter((_, i) => i % 2 === 1)), 0, asOf);
    // Kafka from before the seam (replays of stored events) and after it, in reverse order, plus junk.
    const tail = events.slice(cut - 500).reverse();
    live.observeMessages(2, [...asMessages(tail), Buffer.from('not json'), null], 0, asOf);
    expect(live.counts.replays).toBe(500);
    expect(live.counts.invalid).toBe(2);
    const result = live.evaluate(Date.now(), inputs, true);
    expect(result?.asOf).toBe(asOf);
    expect(result?.findings.map((f) => f.fingerprint).sort()).toEqual(expected);
    expect(result?.commands.filter((c) => c.kind === 'finding')).toHaveLength(expected.length);
  });

  it('holds the watermark back while a partition is behind, and waits until it is known', () => {
    const live = new LiveDetector(options);
    live.setBehind(3, true);
    live.observeMessages(0, [Buffer.from(JSON.stringify(events.at(-1)))], 0, asOf);
    expect(live.evaluate(Date.now(), inputs)).toBeNull();
    live.observeMessages(3, [Buffer.from(JSON.stringify(events[0]))], 5, asOf);
    expect(live.watermark.value).toBe(Date.parse(events[0]!.time));
  });
});
