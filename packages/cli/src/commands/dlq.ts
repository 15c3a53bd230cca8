import { randomBytes } from 'node:crypto';
import { createKafka, missingTopics } from '@tracewatch/bus';
import { TOPICS } from '@tracewatch/schema';
import type { Kafka, KafkaMessage } from 'kafkajs';
import { brokersFlag, intFlag, parseArgs, rejectUnknownFlags, stringFlag, UsageError } from '../args.js';
import { deadLetterEntry, deadLetterReport, firstPerSource, inWrittenOrder } from '../dead-letters.js';

export const DLQ_USAGE = `tracewatch dlq [--brokers host:port,...] [--topic-prefix P] [--limit N] [--format table|json]
    [--timeout-ms N]
  Reads the dead-letter topic (trace-events.dlq) from its beginning to its end as of now and
  shows why each message was refused: where it came from (topic, partition, offset), the check
  that refused it (stage), the reason and the message itself, each refused message once (a
  copy dead-lettered again after a rebalance is shown once). table: the latest N (default
  50) with counts by stage and reason; json: every dead letter, one JSON object per line.
  Reads without committing anything (a throw-away consumer group, deleted afterwards).`;

/** Every message of `topic` up to its end when called; fails after `timeoutMs`. */
async function readToEnd(kafka: Kafka, topic: string, timeoutMs: number): Promise<KafkaMessage[]> {
  const admin = kafka.admin();
  await admin.connect();
  const groupId = `tracewatch-cli-dlq-${randomBytes(4).toString('hex')}`;
  try {
    if ((await missingTopics(admin, [topic])).length > 0) throw new UsageError(`topic ${topic} does not exist`);
    const ends = new Map<number, bigint>(); // partition → offset of its last message + 1
    for (const p of await admin.fetchTopicOffsets(topic)) {
      if (BigInt(p.high) > BigInt(p.low)) ends.set(p.partition, BigInt(p.high));
    }
    const messages: KafkaMessage[] = [];
    if (ends.size === 0) return messages;
    const consumer = kafka.consumer({ groupId, allowAutoTopicCreation: false });
    await consumer.connect();
    try {
      await consumer.subscribe({ topic, fromBeginning: true });
      const reachedEnd = new Promise<void>((resolve) => {
        void consumer.run({
          autoCommit: false,
          eachBatch: async ({ batch }) => {
            for (const m of batch.messages) if (BigInt(m.offset) < (ends.get(batch.partition) ?? 0n)) messages.push(m);
            if (BigInt(batch.lastOffset()) + 1n >= (ends.get(batch.partition) ?? 0n)) ends.delete(batch.partition);
            if (ends.size === 0) resolve();
          },
        });
      });
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), timeoutMs);
      });
      const result = await Promise.race([reachedEnd, timedOut]);
      clearTimeout(timer);
      if (result === 'timeout')
        throw new Error(`read ${messages.length} dead letters but not to the end of ${topic} within ${timeoutMs} ms`);
    } finally {
      await consumer.disconnect();
    }
    return messages;
  } finally {
    await admin.deleteGroups([groupId]).catch(() => undefined);
    await admin.disconnect();
  }
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
  const entries = inWrittenOrder(
    (await readToEnd(kafka, topic, timeoutMs)).map(deadLetterEntry).filter(firstPerSource()),
  );
  if (format === 'json') for (const e of entries) process.stdout.write(`${JSON.stringify(e)}\n`);
  else process.stdout.write(deadLetterReport(entries, limit, topic));
  return 0;
}
