/**
 * Hostile producers against the real broker and ClickHouse (issue 8, items 1–4): messages
 * that used to stop a partition for good. Each case ends with every message accounted for
 * (stored, or dead-lettered with its reason) and the partition committed past it.
 */
import { DLQ_HEADERS, readDeadLetterHeaders } from '@tracewatch/bus';
import { TOPICS } from '@tracewatch/schema';
import { countTraceEvents, type Store } from '@tracewatch/store';
import { CompressionTypes, type KafkaMessage, Partitioners } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeEvent } from '../support/events.js';
import {
  type IngestProcess,
  readTopic,
  startIngest,
  testKafka,
  testStore,
  uniqueScope,
  waitFor,
} from '../support/harness.js';
import { javaProduce } from '../support/java-producer.js';

const kafka = testKafka();

/** Waits until the group's committed offsets on `topic` reach the partitions' ends. */
async function waitForAllCommitted(groupId: string, topic: string): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    await waitFor(`${topic} committed to its end`, async () => {
      const ends = await admin.fetchTopicOffsets(topic);
      const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
      return ends.every((e) => {
        const c = committed?.partitions.find((p) => p.partition === e.partition);
        return c !== undefined && BigInt(c.offset === '-1' ? '0' : c.offset) >= BigInt(e.high);
      });
    });
  } finally {
    await admin.disconnect();
  }
}

const eventJson = (i: number, idPrefix: string) => JSON.stringify(makeEvent(i, { idPrefix }));

/** Every (name, value) header pair of a message, sorted (the order across names is not kept). */
function headerPairs(m: KafkaMessage): string[] {
  const out: string[] = [];
  for (const name of Object.keys(m.headers ?? {})) {
    const v = m.headers![name];
    for (const one of Array.isArray(v) ? v : [v]) out.push(`${name}=${one?.toString()}`);
  }
  return out.sort();
}

describe('hostile producers: nothing stops a partition', () => {
  const scope = uniqueScope('hostile');
  const input = `${scope.topicPrefix}${TOPICS.traceEvents}`;
  const dlq = `${scope.topicPrefix}${TOPICS.traceEventsDlq}`;
  let ingest: IngestProcess;
  let store: Store;
  let dlqTotal = 0;
  /**
   * Every dead letter once `count` more than before arrived (partitions interleave, so callers
   * pick theirs by content).
   */
  const deadLetters = async (count: number) => {
    dlqTotal += count;
    return readTopic(kafka, dlq, dlqTotal, 90_000);
  };

  beforeAll(async () => {
    ingest = await startIngest(scope);
    store = testStore(scope.database);
  });
  afterAll(async () => {
    await ingest?.stop();
    await store?.close();
  });

  it('dead-letters invalid messages with headers named like Object.prototype properties, headers intact', async () => {
    const names = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf', 'isPrototypeOf'];
    const bad = names.map((name, i) => ({
      key: `org-bad-${i}`,
      value: `{"not json ${i}`,
      headers: [
        [name, `v${i}`] as [string, string],
        ['trace', `t${i}`] as [string, string],
        [name, `w${i}`] as [string, string],
      ],
    }));
    const good = Array.from({ length: 50 }, (_, i) => ({
      key: 'org-001',
      value: eventJson(i, 'proto'),
      headers: [['constructor', 'fine'] as [string, string]],
    }));
    await javaProduce(input, [...bad, ...good]);
    await waitFor(
      'the valid events stored',
      async () => (await countTraceEvents(store, "event_id LIKE 'proto-%'")) === 50,
    );
    const letters = await deadLetters(bad.length);
    expect(letters).toHaveLength(bad.length);
    for (const b of bad) {
      const m = letters.find((l) => l.value?.toString() === b.value);
      expect(m, `${b.value} dead-lettered`).toBeDefined();
      expect(readDeadLetterHeaders(m!).stage).toBe('json');
      const own = headerPairs(m!).filter((p) => !p.startsWith('tw-dlq-'));
      expect(own).toEqual(b.headers.map(([k, v]) => `${k}=${v}`).sort());
    }
    await waitForAllCommitted(scope.groupId, input);
    expect(ingest.output()).not.toMatch(/MaxListenersExceededWarning/);
  });

  for (const codec of ['gzip', 'snappy', 'lz4', 'zstd']) {
    it(`stores and dead-letters a ${codec}-compressed batch from the Java producer`, async () => {
      const prefix = `c${codec}`;
      const records = Array.from({ length: 300 }, (_, i) => ({ key: `org-00${i % 3}`, value: eventJson(i, prefix) }));
      records.splice(100, 0, { key: 'org-001', value: `{"broken ${codec}` });
      await javaProduce(input, records, { compression: codec });
      await waitFor(
        `300 ${codec} events stored`,
        async () => (await countTraceEvents(store, `event_id LIKE '${prefix}-%'`)) === 300,
      );
      const letters = await deadLetters(1);
      expect(letters.filter((l) => l.value?.toString() === `{"broken ${codec}`)).toHaveLength(1);
      await waitForAllCommitted(scope.groupId, input);
    });
  }

  it('dead-letters a batch that decompresses beyond the limit (a bomb), whole, with the reason', async () => {
    const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    // 40 records of 2 MB of zeros: 80 MB decompressed (the limit is 64 MiB), 80 KB compressed.
    const zeros = Buffer.alloc(2_000_000, 0x30);
    await producer.send({
      topic: input,
      compression: CompressionTypes.GZIP,
      messages: Array.from({ length: 40 }, () => ({ key: 'org-bomb', value: zeros })),
    });
    await producer.send({ topic: input, messages: [{ key: 'org-bomb', value: eventJson(0, 'after-bomb') }] });
    await producer.disconnect();
    const letter = (await deadLetters(1)).find((l) => readDeadLetterHeaders(l).stage === 'decompress');
    const h = readDeadLetterHeaders(letter!);
    expect(h.reason).toMatch(/gzip batch of 40 records refused .*more than 67108864 bytes/);
    expect(letter!.value!.length).toBeLessThan(1_000_000); // the compressed batch, not 80 MB
    await waitFor(
      'the event after the bomb stored',
      async () => (await countTraceEvents(store, "event_id = 'after-bomb-0'")) === 1,
    );
    await waitForAllCommitted(scope.groupId, input);
  });

  it('dead-letters a record just under the broker limit, and 1,000 just over 16 KB in one gzip batch', async () => {
    const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    // The broker takes batches up to message.max.bytes (10 MiB); its DLQ copy is larger.
    const big = Buffer.alloc(10 * 1024 * 1024 - 2048, 0x61);
    await producer.send({
      topic: input,
      messages: [{ key: 'org-big', value: big, headers: { origin: 'x'.repeat(500) } }],
    });
    const overLimit = Buffer.alloc(16 * 1024 + 1, 0x62);
    await producer.send({
      topic: input,
      compression: CompressionTypes.GZIP,
      messages: Array.from({ length: 1000 }, () => ({ key: 'org-many', value: overLimit })),
    });
    await producer.disconnect();
    const letters = (await deadLetters(1001)).filter((l) => ['org-big', 'org-many'].includes(String(l.key)));
    expect(letters).toHaveLength(1001);
    const whole = letters.find((l) => l.key?.toString() === 'org-big')!;
    expect(whole.value!.equals(big)).toBe(true); // stored whole, not reduced
    expect(readDeadLetterHeaders(whole).reduced).toBeUndefined();
    expect(letters.filter((l) => l.value?.equals(overLimit)).length).toBe(1000);
    for (const l of letters) expect(readDeadLetterHeaders(l).stage).toBe('size');
    await waitForAllCommitted(scope.groupId, input);
  });

  it('sends a reduced dead letter for a record larger than the DLQ takes: digest, size, first KB', async () => {
    const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    // 20 MB decompressed from a small gzip batch: more than the DLQ topic's 16 MiB.
    const huge = Buffer.alloc(20_000_000, 0x63);
    await producer.send({
      topic: input,
      compression: CompressionTypes.GZIP,
      messages: [{ key: 'org-huge', value: huge }],
    });
    await producer.disconnect();
    const letter = (await deadLetters(1)).find((l) => l.key?.toString() === 'org-huge');
    const h = readDeadLetterHeaders(letter!);
    expect(h.stage).toBe('size');
    expect(h.reduced).toMatch(/dead letter is \d+ bytes, the dead-letter topic takes/);
    expect(h.originalBytes).toBe('20000000');
    expect(h.originalSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(letter!.value!.equals(huge.subarray(0, 1024))).toBe(true);
    expect(letter!.headers?.[DLQ_HEADERS.sourceOffset]).toBeDefined();
    await waitForAllCommitted(scope.groupId, input);
  });
});
