import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createKafka, missingTopics } from '@tracewatch/bus';
import { TOPICS } from '@tracewatch/schema';
import type { Kafka, KafkaMessage } from 'kafkajs';
import { brokersFlag, intFlag, parseArgs, rejectUnknownFlags, stringFlag, UsageError } from '../args.js';
import { DeadLetterSummary, deadLetterEntry, firstPerSource, PREVIEW_BYTES } from '../dead-letters.js';

export const DLQ_USAGE = `tracewatch dlq [--brokers host:port,...] [--topic-prefix P] [--limit N] [--format table|json]
    [--timeout-ms N]
  Reads the dead-letter topic (trace-events.dlq) from its beginning to its end as of now and
  shows why each message was refused: where it came from (topic, partition, offset), the check
  that refused it (stage), the reason and the message itself, each refused message once (a
  copy dead-lettered again after a rebalance is shown once). table: the latest N (default
  50) with counts by stage and reason; json: every dead letter, one JSON object per line, as
  read (each partition in offset order). Streams: memory stays bounded on a topic of any size.
  Reads without committing anything (a throw-away consumer group, deleted afterwards).`;

/**
 * Hands every message of `topic` up to its end when called to `each`, batch by batch (the
 * next batch is fetched only once `each` settled: nothing piles up); fails after `timeoutMs`.
 */
async function readToEnd(
  kafka: Kafka,
  topic: string,
  timeoutMs: number,
  each: (m: KafkaMessage) => void | Promise<void>,
): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  const groupId = `tracewatch-cli-dlq-${randomBytes(4).toString('hex')}`;
  let read = 0;
  try {
    if ((await missingTopics(admin, [topic])).length > 0) throw new UsageError(`topic ${topic} does not exist`);
    const ends = new Map<number, bigint>(); // partition → offset of its last message + 1
    for (const p of await admin.fetchTopicOffsets(topic)) {
      if (BigInt(p.high) > BigInt(p.low)) ends.set(p.partition, BigInt(p.high));
    }
    if (ends.size === 0) return;
    const consumer = kafka.consumer({ groupId, allowAutoTopicCreation: false });
    await consumer.connect();
    try {
      await consumer.subscribe({ topic, fromBeginning: true });
      let failed: (err: unknown) => void = () => undefined;
      const reachedEnd = new Promise<void>((resolve, reject) => {
        failed = reject;
        void consumer.run({
          autoCommit: false,
          eachBatch: async ({ batch }) => {
            const end = ends.get(batch.partition) ?? 0n;
            try {
              for (const m of batch.messages) {
                if (BigInt(m.offset) >= end) break;
                await each(m);
                read++;
              }
            } catch (err) {
              failed(err);
              return;
            }
            if (BigInt(batch.lastOffset()) + 1n >= end) ends.delete(batch.partition);
            if (ends.size === 0) resolve();
          },
        });
      });
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), timeoutMs);
      });
      const result = await Promise.race([reachedEnd, timedOut]).finally(() => clearTimeout(timer));
      if (result === 'timeout')
        throw new Error(`read ${read} dead letters but not to the end of ${topic} within ${timeoutMs} ms`);
    } finally {
      await consumer.disconnect();
    }
  } finally {
    await admin.deleteGroups([groupId]).catch(() => undefined);
    await admin.disconnect();
  }
}

/** Writes to stdout, waiting when its buffer is full (a slow pipe must not fill memory). */
async function writeOut(text: string): Promise<void> {
  if (!process.stdout.write(text)) await once(process.stdout, 'drain');
}

export async function dlqCommand(argv: string[]): Promise<number> {
  const args = parseArgs(argv);
  rejectUnknownFlags(args, ['brokers', 'topic-prefix', 'limit', 'format', 'timeout-ms']);
  if (args.positional.length > 0) throw new UsageError(`unexpected argument ${args.positional[0]}\n${DLQ_USAGE}`);
  const format = stringFlag(args, 'format', 'table');
  if (format !== 'table' && format !== 'json') throw new UsageError('--format must be table or json');
  const limit = intFlag(args, 'limit', 50, 1);
  const timeoutMs = intFlag(args, 'timeout-ms', 60_000, 1_000);
  const brokers = brokersFlag(args);
  const topic = `${stringFlag(args, 'topic-prefix') ?? process.env.TOPIC_PREFIX ?? ''}${TOPICS.traceEventsDlq}`;

  const kafka = createKafka({ brokers, clientId: 'tracewatch-cli', retries: 3, silent: true });
  const once = firstPerSource();
  if (format === 'json') {
    await readToEnd(kafka, topic, timeoutMs, async (m) => {
      const entry = deadLetterEntry(m);
      if (once(entry)) await writeOut(`${JSON.stringify(entry)}\n`);
    });
    return 0;
  }
  const summary = new DeadLetterSummary(limit);
  await readToEnd(kafka, topic, timeoutMs, (m) => {
    const entry = deadLetterEntry(m, PREVIEW_BYTES);
    if (once(entry)) summary.add(entry);
  });
  await writeOut(summary.report(topic));
  return 0;
}
