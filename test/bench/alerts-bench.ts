/**
 * bench:alerts — the alert keeper on the real Kafka and ClickHouse (numbers printed, no asserts).
 *
 *   npm run bench:alerts [-- --alerts 5000 --transitions 100]
 *
 * 1. N finding commands for N new fingerprints: commands/s until every result is in ClickHouse.
 * 2. The same N findings re-sent (nothing material): commands/s, and how many changes that
 *    published (should be 0).
 * 3. T operator transitions one after another: latency from send to the keeper's answer
 *    visible in ClickHouse (what `tracewatch alerts ack` waits for), p50 / p95.
 * 4. A fresh keeper on the same data: start → ready (fence, read the topic, load N alerts).
 * Traffic goes to 127.0.0.1 only; the database and topics are removed afterwards.
 */
import { randomBytes } from 'node:crypto';
import {
  ALERT_TABLES,
  alertTopics,
  awaitCommandResult,
  createCommandProducer,
  sendAlertCommands,
  startAlertKeeper,
} from '@tracewatch/alerts';
import { createKafka, ensureTopics, withAdmin } from '@tracewatch/bus';
import { createStore, migrate, selectRows } from '@tracewatch/store';
import pino from 'pino';
import {
  finding,
  findingCommand,
  fingerprintN,
  transitionCommand,
} from '../../packages/alerts/src/testing/fixtures.js';

const arg = (name: string, def: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : def;
};
const N = arg('alerts', 5_000);
const T = arg('transitions', 100);
const runId = `${Date.now().toString(36)}_${randomBytes(2).toString('hex')}`;
const prefix = `bench_alerts_${runId}.`;
const database = `tw_bench_alerts_${runId}`;
const groupId = `bench-alerts-${runId}`;
const fmt = (n: number) => Math.round(n).toLocaleString('en');
const log = pino({ level: 'warn' });

const kafka = createKafka({ brokers: (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(','), clientId: 'bench' });
const store = createStore({ url: process.env.CLICKHOUSE_URL ?? 'http://127.0.0.1:8123', database });
const topics = alertTopics(prefix);

async function resultsCount(): Promise<number> {
  const rows = await selectRows<{ n: number }>(
    store,
    `SELECT uniqExact(command_id) AS n FROM ${database}.${ALERT_TABLES.commandResults}`,
  );
  return Number(rows[0]?.n ?? 0);
}

async function untilResults(n: number, timeoutMs = 10 * 60_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while ((await resultsCount()) < n) {
    if (Date.now() > until) throw new Error(`fewer than ${n} results after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function topicMessages(): Promise<number> {
  return withAdmin(kafka, async (admin) =>
    (await admin.fetchTopicOffsets(topics.alerts)).reduce((n, p) => n + Number(p.high), 0),
  );
}

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;

async function main() {
  await migrate(store);
  await ensureTopics(kafka, [
    { topic: topics.commands, numPartitions: 3 },
    { topic: topics.alerts, numPartitions: 3 },
  ]);
  const producer = createCommandProducer(kafka);
  await producer.connect();
  const keeperOptions = { kafka, store, topicPrefix: prefix, groupId, log } as const;
  let keeper = await startAlertKeeper({ ...keeperOptions, instanceId: 'bench-1' });
  try {
    const day = '2026-03-15T00:00:00.000Z';
    const findings = Array.from({ length: N }, (_, i) => finding({ fingerprint: fingerprintN(10_000 + i) }));

    let t0 = Date.now();
    for (let i = 0; i < N; i += 1_000)
      await sendAlertCommands(
        producer,
        prefix,
        findings.slice(i, i + 1_000).map((f) => findingCommand(f, day)),
      );
    await untilResults(N);
    const createSeconds = (Date.now() - t0) / 1000;
    console.log(`1. ${fmt(N)} new alerts: ${fmt(N / createSeconds)} commands/s (${createSeconds.toFixed(1)} s)`);

    const before = await topicMessages();
    t0 = Date.now();
    for (let i = 0; i < N; i += 1_000)
      await sendAlertCommands(
        producer,
        prefix,
        findings.slice(i, i + 1_000).map((f) => findingCommand(f, day)),
      );
    await untilResults(2 * N);
    const resendSeconds = (Date.now() - t0) / 1000;
    const published = (await topicMessages()) - before;
    console.log(
      `2. ${fmt(N)} unchanged findings re-sent: ${fmt(N / resendSeconds)} commands/s; alerts topic grew by ${published} record(s) (expected 0: such transactions carry offsets only)`,
    );

    const latencies: number[] = [];
    for (let i = 0; i < T; i++) {
      const command = transitionCommand(findings[i]!.fingerprint, 'acknowledged', 1, { by: 'bench' });
      const start = Date.now();
      await sendAlertCommands(producer, prefix, [command]);
      await awaitCommandResult(store, command.commandId, { timeoutMs: 60_000, pollMs: 10 });
      latencies.push(Date.now() - start);
    }
    latencies.sort((a, b) => a - b);
    console.log(
      `3. ${T} transitions, send → answer in ClickHouse: p50 ${quantile(latencies, 0.5)} ms, p95 ${quantile(latencies, 0.95)} ms, max ${latencies.at(-1)} ms`,
    );

    await keeper.stop();
    t0 = Date.now();
    keeper = await startAlertKeeper({ ...keeperOptions, instanceId: 'bench-2' });
    while (!keeper.ready().ready) await new Promise((r) => setTimeout(r, 20));
    console.log(`4. a fresh keeper with ${fmt(N)} alerts: start → ready in ${Date.now() - t0} ms`);
    console.log(`   memory: rss ${fmt(process.memoryUsage().rss / 2 ** 20)} MiB (bench process, keeper included)`);
  } finally {
    await keeper.stop();
    await producer.disconnect();
    await store.client.command({ query: `DROP DATABASE IF EXISTS ${database}` });
    await store.close();
    await withAdmin(kafka, (admin) => admin.deleteTopics({ topics: [topics.commands, topics.alerts] })).catch(
      () => undefined,
    );
  }
}

await main();
