#!/usr/bin/env node
// Creates tracewatch's Kafka topics when they are missing; existing topics are left as
// they are (a partition-count mismatch is reported, never "fixed": that would reorder keys).
// Env: KAFKA_BROKERS (comma-separated, default 127.0.0.1:9092), TOPIC_PREFIX (optional,
// e.g. "test-1a2b." so that parallel test runs get their own topics).
import { pathToFileURL } from 'node:url';
import { Kafka, logLevel } from 'kafkajs';

/**
 * Topic name (without prefix) → partition count. Replication is 1 on a one-node broker.
 * The same as TOPIC_PARTITIONS in packages/schema (a unit test holds them equal).
 */
export const TOPIC_PARTITIONS = {
  'trace-events': 6,
  'trace-events.dlq': 3,
  evaluations: 1,
  'reported-metrics': 3,
  alerts: 3,
  'alert-commands': 3,
};

/**
 * Topic configs set on creation: the DLQ takes every record an input topic takes (10 MiB, the
 * broker's message.max.bytes) plus its DLQ headers. The same as TOPIC_CONFIGS in packages/schema.
 */
export const TOPIC_CONFIGS = {
  'trace-events.dlq': { 'max.message.bytes': String(16 * 1024 * 1024) },
};

/**
 * Creates every topic of TOPIC_PARTITIONS (with `prefix` in front of the name) that does not exist.
 * @param {{ brokers: string[], prefix?: string, replicationFactor?: number }} options
 * @returns {Promise<{ created: string[], existing: string[], mismatched: string[] }>}
 */
export async function createTopics({ brokers, prefix = '', replicationFactor = 1 }) {
  const kafka = new Kafka({
    clientId: 'tracewatch-create-topics',
    brokers,
    // Quiet: the warm-up below meets one retriable error on a fresh broker; real failures throw.
    logLevel: logLevel.NOTHING,
    retry: { retries: 8 },
  });
  const admin = kafka.admin();
  await admin.connect();
  try {
    const wanted = Object.entries(TOPIC_PARTITIONS).map(([name, numPartitions]) => ({
      topic: `${prefix}${name}`,
      numPartitions,
      replicationFactor,
      configEntries: Object.entries(TOPIC_CONFIGS[name] ?? {}).map(([configName, value]) => ({
        name: configName,
        value,
      })),
    }));
    const present = new Set(await admin.listTopics());
    const missing = wanted.filter((t) => !present.has(t.topic));
    if (missing.length > 0) {
      // waitForLeaders: producers may write right after this returns.
      await admin.createTopics({ topics: missing, waitForLeaders: true });
    }
    // A fresh broker creates __consumer_offsets on the first coordinator lookup, and every
    // consumer that comes first waits (and logs "group coordinator not available") meanwhile.
    // Looking up a coordinator here moves that wait into `stack up`.
    await admin.describeGroups(['tracewatch-warm-up']);
    const existing = wanted.filter((t) => present.has(t.topic));
    const mismatched = [];
    if (existing.length > 0) {
      const { topics } = await admin.fetchTopicMetadata({ topics: existing.map((t) => t.topic) });
      for (const meta of topics) {
        const want = wanted.find((t) => t.topic === meta.name);
        if (want && meta.partitions.length !== want.numPartitions) {
          mismatched.push(`${meta.name} has ${meta.partitions.length} partitions, expected ${want.numPartitions}`);
        }
      }
    }
    return {
      created: missing.map((t) => t.topic),
      existing: existing.map((t) => t.topic),
      mismatched,
    };
  } finally {
    await admin.disconnect();
  }
}

async function main() {
  const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092')
    .split(',')
    .map((b) => b.trim())
    .filter(Boolean);
  const prefix = process.env.TOPIC_PREFIX ?? '';
  const { created, existing, mismatched } = await createTopics({ brokers, prefix });
  console.log(`topics: created [${created.join(', ')}], already present [${existing.join(', ')}]`);
  for (const line of mismatched) console.warn(`topics: warning: ${line}`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((err) => {
    console.error(`topics: failed: ${err.message}`);
    process.exit(1);
  });
}
