/** `tracewatch simulate --live` against the real Kafka: counts, keys, order, pacing, Ctrl-C. */
import { spawn } from 'node:child_process';
import { ensureTopics } from '@tracewatch/bus';
import type { ReportedMetric, TraceEvent } from '@tracewatch/schema';
import { simulate } from '@tracewatch/simulator';
import type { KafkaMessage } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { brokers, readTopic, runCli, testKafka, uniqueScope, waitFor } from './support/harness.js';
import { REPO_ROOT } from './support/servers.js';

const kafka = testKafka();
const DAY_MS = 86_400_000;

async function liveTopics(label: string) {
  const scope = uniqueScope(label);
  const topics = {
    events: `${scope.topicPrefix}trace-events`,
    evaluations: `${scope.topicPrefix}evaluations`,
    metrics: `${scope.topicPrefix}reported-metrics`,
  };
  await ensureTopics(
    kafka,
    Object.values(topics).map((topic) => ({ topic, numPartitions: 3 })),
  );
  return { scope, topics };
}

const json = <T>(m: KafkaMessage) => JSON.parse(m.value!.toString()) as T;
const byOffset = (a: KafkaMessage, b: KafkaMessage) => Number(a.offset) - Number(b.offset);

describe('tracewatch simulate --live', () => {
  it('sends the whole simulation, keyed by org, in recording order, one simulated day per --day-seconds', async () => {
    const { scope, topics } = await liveTopics('simlive');
    const options = { seed: 3, units: 3, months: 1, start: '2025-03-01' };
    const expected = { event: 0, evaluation: 0, metric: 0, label: 0 };
    for (const r of simulate(options)) expected[r.kind]++;
    const daySeconds = 0.05;
    const r = runCli([
      'simulate',
      '--live',
      ...['--seed', '3', '--units', '3', '--months', '1', '--start', '2025-03-01'],
      ...['--day-seconds', String(daySeconds), '--topic-prefix', scope.topicPrefix],
    ]);
    expect(r.stderr).toMatch(/2025-03-01 \(day 1 of 31\): [\d,]+ events/);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(`sent ${expected.event.toLocaleString('en-US')} events to ${topics.events}`);

    const events = await readTopic(kafka, topics.events, expected.event);
    const evaluations = await readTopic(kafka, topics.evaluations, expected.evaluation);
    const metrics = await readTopic(kafka, topics.metrics, expected.metric);
    expect([events.length, evaluations.length, metrics.length]).toEqual([
      expected.event,
      expected.evaluation,
      expected.metric,
    ]);
    for (const m of events) expect(m.key?.toString()).toBe(json<TraceEvent>(m).data.orgId);
    for (const m of metrics) expect(m.key?.toString()).toBe(json<ReportedMetric>(m).orgId);

    // Order: one org's events share a partition; there they are in recording order. Every event
    // was produced after every evaluation.
    const lastEvaluationTs = Math.max(...evaluations.map((m) => Number(m.timestamp)));
    const byKey = new Map<string, KafkaMessage[]>();
    for (const m of events) byKey.set(m.key!.toString(), [...(byKey.get(m.key!.toString()) ?? []), m]);
    for (const list of byKey.values()) {
      list.sort(byOffset);
      for (let i = 1; i < list.length; i++)
        expect(Date.parse(json<TraceEvent>(list[i]!).time)).toBeGreaterThanOrEqual(
          Date.parse(json<TraceEvent>(list[i - 1]!).time),
        );
    }
    // Pacing: simulated time t after 2025-03-01 00:00 (UTC+8) is not produced before t / 1 day ×
    // day-seconds after the evaluations (a lower bound: no test of the machine's speed).
    const startMs = Date.parse('2025-03-01T00:00:00+08:00');
    const now = Date.now();
    for (const m of events) {
      const t = Date.parse(json<TraceEvent>(m).time);
      expect(t).toBeLessThan(now); // nothing in the future
      const paced = ((t - startMs) / DAY_MS) * daySeconds * 1000;
      expect(Number(m.timestamp) - lastEvaluationTs).toBeGreaterThanOrEqual(Math.floor(paced) - 1);
    }
    const span = Math.max(...events.map((m) => Number(m.timestamp))) - lastEvaluationTs;
    expect(span).toBeGreaterThanOrEqual(30 * daySeconds * 1000);
    // A report goes out on the day it is filed, before that org's traces of later days.
    for (const m of metrics) {
      const reportedDay = Math.floor((Date.parse(json<ReportedMetric>(m).reportedAt) - startMs) / DAY_MS);
      const later = (byKey.get(m.key!.toString()) ?? []).filter(
        (e) => Math.floor((Date.parse(json<TraceEvent>(e).time) - startMs) / DAY_MS) > reportedDay,
      );
      for (const e of later) expect(Number(e.timestamp)).toBeGreaterThanOrEqual(Number(m.timestamp));
    }
  });

  it('stops cleanly on Ctrl-C: exit 130, and what it says it sent is on the topic', async () => {
    const { scope, topics } = await liveTopics('simlivestop');
    const child = spawn(
      process.execPath,
      [
        `${REPO_ROOT}packages/cli/dist/main.js`,
        'simulate',
        '--live',
        ...['--seed', '3', '--units', '3', '--months', '1', '--start', '2025-03-01'],
        ...['--day-seconds', '2', '--topic-prefix', scope.topicPrefix],
      ],
      { env: { ...process.env, KAFKA_BROKERS: brokers().join(',') } },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    await waitFor('the first simulated day', async () => /day 1 of 31/.test(stderr), 60_000);
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    const sent = /stopped on 2025-03-0\d: sent ([\d,]+) events/.exec(stdout);
    expect(sent, stdout + stderr).not.toBeNull();
    const n = Number(sent![1]!.replaceAll(',', ''));
    expect(n).toBeGreaterThan(0);
    const got = await readTopic(kafka, topics.events, n, 30_000);
    expect(got).toHaveLength(n);
  });

  it('refuses a start that would put times in the future, and options of the file mode', () => {
    const future = runCli([
      'simulate',
      '--live',
      '--seed',
      '1',
      '--units',
      '2',
      '--months',
      '1',
      '--start',
      '2099-01-01',
    ]);
    expect(future.status).toBe(2);
    expect(future.stderr).toMatch(/--start 2099-01-01: .* must lie in the past; start on \d{4}-\d{2}-01 or earlier/);
    const out = runCli(['simulate', '--live', '--seed', '1', '--units', '2', '--months', '1', '--out', '/tmp/x']);
    expect(out.status).toBe(2);
    expect(out.stderr).toMatch(/unknown option --out/);
    const pace = runCli(['simulate', '--live', '--seed', '1', '--units', '2', '--months', '1', '--day-seconds', '0']);
    expect(pace.stderr).toMatch(/--day-seconds must be a number of seconds > 0/);
  });
});
