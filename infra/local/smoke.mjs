#!/usr/bin/env node
// Proves the running stack does real work: a Kafka produce → consume round-trip on a
// throw-away topic, and a ClickHouse create → insert → select → drop on a throw-away table.
// Exits non-zero with the reason when either fails. Leaves nothing behind.
// Env: KAFKA_BROKERS (default 127.0.0.1:9092), CLICKHOUSE_URL (default http://127.0.0.1:8123).
import { randomUUID } from 'node:crypto';
import { createClient } from '@clickhouse/client';
import { Kafka, logLevel } from 'kafkajs';

const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092')
  .split(',')
  .map((b) => b.trim())
  .filter(Boolean);
const clickhouseUrl = process.env.CLICKHOUSE_URL ?? 'http://127.0.0.1:8123';
const MESSAGES = 50;
const TIMEOUT_MS = 30_000;

async function kafkaRoundTrip() {
  const started = Date.now();
  const topic = `smoke-${randomUUID()}`;
  const kafka = new Kafka({ clientId: 'tracewatch-smoke', brokers, logLevel: logLevel.ERROR });
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 3, replicationFactor: 1 }], waitForLeaders: true });
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  const consumer = kafka.consumer({ groupId: `${topic}-group` });
  try {
    await producer.connect();
    const sent = Array.from({ length: MESSAGES }, (_, i) => ({ key: `org-${i % 7}`, value: `message-${i}` }));
    await producer.send({ topic, messages: sent });

    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    const received = new Set();
    await new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`consumed ${received.size}/${MESSAGES} in ${TIMEOUT_MS} ms`)),
        TIMEOUT_MS,
      );
      consumer
        .run({
          eachMessage: async ({ message }) => {
            received.add(message.value?.toString());
            if (received.size === MESSAGES) {
              clearTimeout(timer);
              resolve();
            }
          },
        })
        .catch(reject);
    });
    const missing = sent.filter((m) => !received.has(m.value));
    if (missing.length > 0) throw new Error(`kafka: ${missing.length} messages never came back`);
    return `kafka: ${MESSAGES} messages produced and consumed back on ${topic} in ${Date.now() - started} ms`;
  } finally {
    await consumer.disconnect().catch(() => {});
    await producer.disconnect().catch(() => {});
    await admin.deleteTopics({ topics: [topic] }).catch(() => {});
    await admin.disconnect();
  }
}

async function clickhouseRoundTrip() {
  const started = Date.now();
  const table = `smoke_${randomUUID().replaceAll('-', '')}`;
  const client = createClient({ url: clickhouseUrl });
  try {
    const version = await (await client.query({ query: 'SELECT version() AS v', format: 'JSONEachRow' })).json();
    await client.command({
      query: `CREATE TABLE default.${table} (id UInt32, ts DateTime, org String) ENGINE = MergeTree ORDER BY (org, id)`,
    });
    const rows = Array.from({ length: MESSAGES }, (_, i) => ({ id: i, ts: 1767225600 + i, org: `org-${i % 7}` }));
    await client.insert({ table: `default.${table}`, values: rows, format: 'JSONEachRow' });
    const result = await client.query({
      query: `SELECT count() AS n, uniqExact(org) AS orgs FROM default.${table}`,
      format: 'JSONEachRow',
    });
    const [{ n, orgs }] = await result.json();
    if (Number(n) !== MESSAGES || Number(orgs) !== 7) {
      throw new Error(`clickhouse: read back ${n} rows / ${orgs} orgs, expected ${MESSAGES} / 7`);
    }
    return `clickhouse ${version[0]?.v}: ${MESSAGES} rows inserted and counted back in ${Date.now() - started} ms`;
  } finally {
    await client.command({ query: `DROP TABLE IF EXISTS default.${table}` }).catch(() => {});
    await client.close();
  }
}

try {
  for (const line of await Promise.all([kafkaRoundTrip(), clickhouseRoundTrip()])) console.log(`smoke: ${line}`);
} catch (err) {
  console.error(`smoke: failed: ${err.message}`);
  process.exit(1);
}
