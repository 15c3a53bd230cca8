/**
 * The ingest service against the real Kafka and the real ClickHouse: exactly-once counts
 * over at-least-once delivery, dead letters with reasons, outages and crashes.
 */

import { spawnSync } from 'node:child_process';
import { readDeadLetterHeaders } from '@tracewatch/bus';
import { TOPICS } from '@tracewatch/schema';
import { countTraceEvents, type Store, selectRows } from '@tracewatch/store';
import type { KafkaMessage } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeEvent } from './support/events.js';
import {
  type IngestProcess,
  localClickhouse,
  localKafka,
  produceRaw,
  readTopic,
  readTopicUntil,
  runCli,
  runsOnLocalStack,
  startIngest,
  testKafka,
  testStore,
  uniqueScope,
  waitFor,
} from './support/harness.js';
import { REPO_ROOT } from './support/servers.js';

const kafka = testKafka();

/** Every way the project counts events must agree. */
async function allCounts(store: Store) {
  const [distinct] = await Promise.all([countTraceEvents(store)]);
  const final = await selectRows<{ n: string }>(store, `SELECT count() AS n FROM ${store.database}.trace_events FINAL`);
  const hourly = await selectRows<{ n: string }>(
    store,
    `SELECT uniqExactMerge(events) AS n FROM ${store.database}.trace_hourly`,
  );
  const recorded = await selectRows<{ n: string }>(
    store,
    `SELECT uniqExactMerge(events) AS n FROM ${store.database}.trace_hourly_recorded`,
  );
  const perHourSum = await selectRows<{ n: string }>(
    store,
    `SELECT sum(c) AS n FROM (SELECT hour, org_id, uniqExactMerge(events) AS c FROM ${store.database}.trace_hourly GROUP BY hour, org_id)`,
  );
  return {
    distinct,
    final: Number(final[0]?.n),
    hourly: Number(hourly[0]?.n),
    recorded: Number(recorded[0]?.n),
    perHourSum: Number(perHourSum[0]?.n),
  };
}

function eventsMessages(from: number, to: number, idPrefix = 'e') {
  const out = [];
  for (let i = from; i < to; i++) {
    const e = makeEvent(i, { idPrefix });
    out.push({ key: e.data.orgId, value: JSON.stringify(e) });
  }
  return out;
}

describe('ingest: exactly-once counts over at-least-once delivery', () => {
  const scope = uniqueScope('counts');
  let ingest: IngestProcess;
  let store: Store;
  beforeAll(async () => {
    ingest = await startIngest(scope);
    store = testStore(scope.database);
  });
  afterAll(async () => {
    await ingest?.stop();
    await store?.close();
  });

  it('stores N produced events once, and still N after all of them are produced again', async () => {
    const N = 5_000;
    const topic = `${scope.topicPrefix}${TOPICS.traceEvents}`;
    await produceRaw(kafka, topic, eventsMessages(0, N));
    await waitFor('N events stored', async () => (await countTraceEvents(store)) === N);
    expect(await allCounts(store)).toEqual({ distinct: N, final: N, hourly: N, recorded: N, perHourSum: N });

    await produceRaw(kafka, topic, eventsMessages(0, N)); // a replay: the same ids again
    await produceRaw(kafka, topic, eventsMessages(N, N + 1)); // a marker behind the replay
    await waitFor('the marker stored', async () => (await countTraceEvents(store)) === N + 1);
    expect(await allCounts(store)).toEqual({
      distinct: N + 1,
      final: N + 1,
      hourly: N + 1,
      recorded: N + 1,
      perHourSum: N + 1,
    });
  });

  it('serves Prometheus metrics with what it consumed and inserted', async () => {
    const text = await (await fetch(`http://127.0.0.1:${ingest.port}/metrics`)).text();
    const consumed = Number(/tw_ingest_consumed_total\{topic="[^"]*trace-events"\} (\d+)/.exec(text)?.[1]);
    expect(consumed).toBeGreaterThanOrEqual(10_001);
    expect(text).toMatch(/tw_ingest_inserted_total\{table="trace_events"\} \d+/);
    expect(text).toMatch(/tw_ingest_batch_seconds_bucket/);
    expect(text).toMatch(/tw_ingest_consumer_lag\{topic=/);
    expect(Number(/tw_ingest_decode_seconds_count\{topic="[^"]*trace-events"\} (\d+)/.exec(text)?.[1])).toBeGreaterThan(
      0,
    );
    expect(text).toMatch(/tw_ingest_decode_worker_exits_total 0/);
  });
});

describe('ingest: invalid input goes to the dead-letter topic with its reason', () => {
  const scope = uniqueScope('dlq');
  let ingest: IngestProcess;
  let store: Store;
  beforeAll(async () => {
    // Decoding on the main thread here (the other tests use the worker pool).
    ingest = await startIngest(scope, { INGEST_MAX_MESSAGE_BYTES: '4096', INGEST_DECODE_THREADS: '0' });
    store = testStore(scope.database);
  });
  afterAll(async () => {
    await ingest?.stop();
    await store?.close();
  });

  it('dead-letters every bad message, stores none of them and all of their valid neighbours', async () => {
    const good = (i: number) => {
      const e = makeEvent(i, { idPrefix: 'good' });
      return { key: e.data.orgId, value: JSON.stringify(e) };
    };
    const future = makeEvent(1, { idPrefix: 'future' });
    future.time = new Date(Date.now() + 3_600_000).toISOString();
    future.data.occurredAt = future.time;
    const bad: Array<{ key: string | null; value: string | null; expect: RegExp }> = [
      { key: 'org-001', value: '{not json', expect: /not JSON/ },
      { key: null, value: null, expect: /empty message/ },
      { key: 'org-001', value: JSON.stringify({ hello: 'world' }), expect: /specversion/ },
      {
        key: 'org-001',
        value: JSON.stringify({ ...makeEvent(2, { idPrefix: 'bad' }), id: "x'; DROP TABLE trace_events; --" }),
        expect: /id/,
      },
      {
        key: 'org-001',
        value: JSON.stringify({
          ...makeEvent(3, { idPrefix: 'bad' }),
          data: { ...makeEvent(3).data, actorRole: 'root' },
        }),
        expect: /actorRole/,
      },
      {
        key: 'org-001',
        value: JSON.stringify({ ...makeEvent(4, { idPrefix: 'bad' }), subject: 'x'.repeat(5000) }),
        expect: /bytes, the limit is 4096/,
      },
      { key: 'org-001', value: JSON.stringify(future), expect: /in the future/ },
      { key: 'org-001', value: '\u0000\u0001binary', expect: /not JSON/ },
    ];
    const messages = [];
    for (let i = 0; i < 200; i++) {
      messages.push(good(i));
      const b = i % 25 === 0 ? bad[i / 25] : undefined; // each bad message once, among good ones
      if (b) messages.push({ key: b.key, value: b.value });
    }
    await produceRaw(kafka, `${scope.topicPrefix}${TOPICS.traceEvents}`, messages);
    // Dead-lettering is at least once (a batch re-read after a rebalance on a loaded machine is
    // dead-lettered again): every bad message there, nothing else, each source offset a copy of one.
    const sourcesOf = (messages: readonly KafkaMessage[]) =>
      new Set(messages.map((m) => readDeadLetterHeaders(m)).map((h) => `${h.sourcePartition}@${h.sourceOffset}`));
    const dlqTopic = `${scope.topicPrefix}${TOPICS.traceEventsDlq}`;
    const dlq = await readTopicUntil(
      kafka,
      dlqTopic,
      `${bad.length} source offsets`,
      (got) => sourcesOf(got).size >= bad.length,
    );
    expect(sourcesOf(dlq).size).toBe(bad.length);
    for (const m of dlq) {
      const h = readDeadLetterHeaders(m);
      const original = bad.find((b) => (b.value === null ? m.value === null : m.value?.toString() === b.value));
      expect(original, `unexpected DLQ message ${m.value?.toString().slice(0, 80)}`).toBeDefined();
      expect(h.reason).toMatch(original!.expect);
      expect(h.stage).toMatch(/^(json|schema|size|clock)$/);
      expect(h.sourceTopic).toBe(`${scope.topicPrefix}${TOPICS.traceEvents}`);
      expect(Number(h.sourceOffset)).toBeGreaterThanOrEqual(0);
    }
    await waitFor('200 valid events stored', async () => (await countTraceEvents(store)) === 200);
    expect(await countTraceEvents(store, "event_id NOT LIKE 'good-%'")).toBe(0);

    // What an operator sees of them: `tracewatch dlq`.
    const json = runCli(['dlq', '--topic-prefix', scope.topicPrefix, '--format', 'json']);
    expect(json.status, json.stderr).toBe(0);
    const entries = json.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(entries).toHaveLength(bad.length);
    for (const b of bad) {
      const e = entries.find((x) => x.value === b.value && (b.value !== null || x.valueEncoding === 'utf8'));
      expect(e, `${b.value?.slice(0, 40)} listed`).toBeDefined();
      expect(e.reason).toMatch(b.expect);
      expect(e.sourceTopic).toBe(`${scope.topicPrefix}${TOPICS.traceEvents}`);
    }
    const table = runCli(['dlq', '--topic-prefix', scope.topicPrefix, '--limit', '3']);
    expect(table.stdout).toContain(`${bad.length} dead letter(s); the latest 3 of ${bad.length} below`);
    expect(table.stdout).toMatch(/by stage: json 3, schema 3, clock 1, size 1/);
  });

  it('ingests evaluations and reported metrics from their own topics', async () => {
    const evaluation = {
      id: 'ev-1',
      name: '季度考核 Q1',
      kind: 'assessment',
      platformId: 'zwfw',
      start: '2026-03-31T00:00:00+08:00',
      end: '2026-04-01T00:00:00+08:00',
    };
    const metric = {
      id: 'm-1',
      platformId: 'zwfw',
      orgId: 'org-001',
      metric: 'cases.handled',
      periodStart: '2026-02-01',
      periodEnd: '2026-02-28',
      value: 412,
      reportedAt: '2026-03-01T09:00:00+08:00',
    };
    await produceRaw(kafka, `${scope.topicPrefix}${TOPICS.evaluations}`, [
      { key: null, value: JSON.stringify(evaluation) },
    ]);
    await produceRaw(kafka, `${scope.topicPrefix}${TOPICS.reportedMetrics}`, [
      { key: 'org-001', value: JSON.stringify(metric) },
    ]);
    await waitFor('evaluation and metric stored', async () => {
      const e = await selectRows<{ name: string }>(store, `SELECT name FROM ${store.database}.evaluations FINAL`);
      const m = await selectRows<{ value: number }>(
        store,
        `SELECT value FROM ${store.database}.reported_metrics FINAL`,
      );
      return e[0]?.name === '季度考核 Q1' && m[0]?.value === 412;
    });
  });
});

describe('ingest: faults', () => {
  it('holds and retries while ClickHouse is down, reports not ready, and loses nothing', async (ctx) => {
    if (!runsOnLocalStack()) ctx.skip(); // needs control of the ClickHouse process
    const scope = uniqueScope('chdown');
    // A small in-flight bound: the outage must pause consumption, not fill the memory.
    const ingest = await startIngest(scope, { INGEST_MAX_IN_FLIGHT: '1000' });
    const store = testStore(scope.database);
    const topic = `${scope.topicPrefix}${TOPICS.traceEvents}`;
    const metric = async (name: string) => {
      const text = await (await fetch(`http://127.0.0.1:${ingest.port}/metrics`)).text();
      return Number(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'm').exec(text)?.[1]);
    };
    try {
      await produceRaw(kafka, topic, eventsMessages(0, 2_000));
      await waitFor('first part stored', async () => (await countTraceEvents(store)) === 2_000);
      localClickhouse('stop');
      try {
        await produceRaw(kafka, topic, eventsMessages(2_000, 6_000));
        await waitFor(
          'readyz reports ClickHouse down',
          async () => {
            const r = await ingest.readyz();
            return r.status === 503 && r.body.includes('ClickHouse unavailable');
          },
          30_000,
        );
        // Backpressure: paused above the bound, with at most one more fetch read beyond it.
        await waitFor('consumption paused', async () => (await metric('tw_ingest_consumer_paused')) === 1, 30_000);
        expect(await metric('tw_ingest_in_flight_messages')).toBeGreaterThan(1_000);
        expect(await metric('tw_ingest_consumed_total')).toBeLessThan(6_000);
        // Waiting on a dependency that is down is not a stall: the process stays live.
        expect((await fetch(`http://127.0.0.1:${ingest.port}/healthz`)).status).toBe(200);
      } finally {
        localClickhouse('start');
      }
      await produceRaw(kafka, topic, eventsMessages(0, 500)); // replays after the outage, too
      await waitFor('all 6000 stored after the outage', async () => (await countTraceEvents(store)) === 6_000, 90_000);
      await waitFor('ready again', async () => (await ingest.readyz()).status === 200, 30_000);
      expect(await metric('tw_ingest_consumer_paused')).toBe(0);
      expect(await allCounts(store)).toEqual({
        distinct: 6_000,
        final: 6_000,
        hourly: 6_000,
        recorded: 6_000,
        perHourSum: 6_000,
      });
    } finally {
      await ingest.stop();
      await store.close();
    }
  });

  it('waits while Kafka is down mid-stream, reports not ready, and resumes without loss', async (ctx) => {
    if (!runsOnLocalStack()) ctx.skip(); // needs control of the broker
    const scope = uniqueScope('kdown');
    // Small in-flight bound: the stop lands while batches are being read, stored and committed.
    const ingest = await startIngest(scope, { KAFKA_UNREACHABLE_AFTER_MS: '6000', INGEST_MAX_IN_FLIGHT: '2000' });
    const store = testStore(scope.database);
    const topic = `${scope.topicPrefix}${TOPICS.traceEvents}`;
    try {
      await produceRaw(kafka, topic, eventsMessages(0, 30_000));
      await waitFor('some stored', async () => (await countTraceEvents(store)) > 0, 30_000, 50);
      localKafka('stop');
      try {
        await waitFor(
          'readyz reports Kafka unreachable',
          async () => {
            const r = await ingest.readyz();
            return r.status === 503 && r.body.includes('Kafka unreachable');
          },
          30_000,
        );
        // Waiting on a dependency that is down is not a stall: the process stays live.
        expect((await fetch(`http://127.0.0.1:${ingest.port}/healthz`)).status).toBe(200);
        expect(await countTraceEvents(store)).toBeLessThan(30_000);
      } finally {
        localKafka('start');
      }
      await waitFor(
        'all 30000 stored after the outage',
        async () => (await countTraceEvents(store)) === 30_000,
        90_000,
      );
      await waitFor('ready again', async () => (await ingest.readyz()).status === 200, 30_000);
      expect(await allCounts(store)).toEqual({
        distinct: 30_000,
        final: 30_000,
        hourly: 30_000,
        recorded: 30_000,
        perHourSum: 30_000,
      });
    } finally {
      await ingest.stop();
      await store.close();
    }
  });

  it('loses nothing and counts nothing twice when killed with SIGKILL mid-stream', async () => {
    const scope = uniqueScope('sigkill');
    const store = testStore(scope.database);
    const topic = `${scope.topicPrefix}${TOPICS.traceEvents}`;
    // Two decode workers: batches of one partition finish out of order, commits must not.
    let ingest = await startIngest(scope, { INGEST_BATCH_MAX_ROWS: '500', INGEST_DECODE_THREADS: '2' });
    try {
      const N = 30_000;
      const producing = produceRaw(kafka, topic, eventsMessages(0, N));
      await waitFor('some stored', async () => (await countTraceEvents(store)) > 1_000, 60_000, 50);
      await ingest.kill();
      const atKill = await countTraceEvents(store);
      await producing;
      ingest = await startIngest(scope, { INGEST_BATCH_MAX_ROWS: '500' });
      await waitFor(`all ${N} stored after restart`, async () => (await countTraceEvents(store)) === N, 90_000);
      expect(atKill).toBeLessThan(N);
      expect(await allCounts(store)).toEqual({ distinct: N, final: N, hourly: N, recorded: N, perHourSum: N });
    } finally {
      await ingest.stop();
      await store.close();
    }
  });

  it('on SIGTERM abandons what it could not store without committing it: a restart stores all', async (ctx) => {
    // The kafkajs trap (EXAMPLES.md): offsets resolved for the fetch position must never be
    // committed for rows that were not stored, not even on shutdown.
    if (!runsOnLocalStack()) ctx.skip(); // needs control of the ClickHouse process
    const scope = uniqueScope('abandon');
    const store = testStore(scope.database);
    const topic = `${scope.topicPrefix}${TOPICS.traceEvents}`;
    let ingest = await startIngest(scope);
    try {
      localClickhouse('stop');
      try {
        await produceRaw(kafka, topic, eventsMessages(0, 3_000));
        await waitFor('all 3000 read and held', async () => {
          const text = await (await fetch(`http://127.0.0.1:${ingest.port}/metrics`)).text();
          return Number(/tw_ingest_consumed_total\{topic="[^"]*trace-events"\} (\d+)/.exec(text)?.[1]) >= 3_000;
        });
        expect(await ingest.stop()).toBe(0);
      } finally {
        localClickhouse('start');
      }
      expect(ingest.output()).toMatch(/stopped cleanly/);
      ingest = await startIngest(scope);
      await waitFor('all 3000 stored after the restart', async () => (await countTraceEvents(store)) === 3_000, 90_000);
    } finally {
      await ingest.stop();
      await store.close();
    }
  });

  it('exits 0 on SIGTERM', async () => {
    const scope = uniqueScope('sigterm');
    const ingest = await startIngest(scope);
    expect(await ingest.stop()).toBe(0);
    expect(ingest.output()).toMatch(/stopped cleanly/);
  });

  it('refuses bad configuration with a message naming the variable', () => {
    const r = spawnSync(process.execPath, [`${REPO_ROOT}services/ingest/dist/main.js`], {
      env: { ...process.env, KAFKA_BROKERS: 'no-port-here', HTTP_PORT: '99999' },
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(r.status).toBe(78);
    expect(r.stderr).toMatch(/KAFKA_BROKERS/);
    expect(r.stderr).toMatch(/HTTP_PORT/);
  });
});
