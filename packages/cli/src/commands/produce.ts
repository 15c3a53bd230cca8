import { createKafka, missingTopics, withAdmin } from '@tracewatch/bus';
import { type Decoded, decodeEvaluation, decodeReportedMetric, decodeTraceEvent, TOPICS } from '@tracewatch/schema';
import { Partitioners, type Producer } from 'kafkajs';
import { brokersFlag, intFlag, parseArgs, rejectUnknownFlags, stringFlag, UsageError } from '../args.js';
import { progressReporter, readJsonlLines } from '../jsonl.js';

export const PRODUCE_USAGE = `tracewatch produce <file.jsonl> [--topic trace-events|evaluations|reported-metrics]
    [--brokers host:port,...] [--topic-prefix P] [--raw] [--batch N]
  Sends one message per line. Trace events are keyed by data.orgId. Lines that fail the
  schema are reported with their line number and not sent, unless --raw (then every line
  is sent as it is, for testing the dead-letter path).`;

export const DECODERS: Record<string, (line: string, o: { now: number }) => Decoded<unknown>> = {
  [TOPICS.traceEvents]: decodeTraceEvent,
  [TOPICS.evaluations]: decodeEvaluation,
  [TOPICS.reportedMetrics]: decodeReportedMetric,
};

/** The partition key: orgId where the record has one (events of one unit stay in order). */
export function keyOf(record: unknown): string | null {
  const v = record as { data?: { orgId?: unknown }; orgId?: unknown } | null;
  const org = v?.data?.orgId ?? v?.orgId;
  return typeof org === 'string' ? org : null;
}

/** The key of a line sent as it is (--raw): parsed only for the key; no key when not JSON. */
function rawKey(text: string): string | null {
  try {
    return keyOf(JSON.parse(text));
  } catch {
    return null;
  }
}

/** Where to produce: --brokers / KAFKA_BROKERS and --topic-prefix / TOPIC_PREFIX. */
export function kafkaTarget(args: ReturnType<typeof parseArgs>): { brokers: string[]; topicPrefix: string } {
  return {
    brokers: brokersFlag(args),
    topicPrefix: stringFlag(args, 'topic-prefix') ?? process.env.TOPIC_PREFIX ?? '',
  };
}

/**
 * The producer of `tracewatch produce` (idempotent, acks from all replicas, the default
 * partitioner, so a key always lands on the same partition), connected, once the topics are
 * known to exist.
 * @throws UsageError naming a missing topic (kafkajs would retry it forever, silently)
 */
export async function connectProducer(brokers: string[], topics: readonly string[]): Promise<Producer> {
  const kafka = createKafka({ brokers, clientId: 'tracewatch-cli', retries: 5, silent: true });
  const missing = await withAdmin(kafka, (admin) => missingTopics(admin, [...topics]));
  if (missing.length > 0)
    throw new UsageError(`topic ${missing[0]} does not exist (ingest or \`npm run stack:up\` creates the topics)`);
  const producer = kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    allowAutoTopicCreation: false,
    createPartitioner: Partitioners.DefaultPartitioner,
    retry: { retries: Number.MAX_SAFE_INTEGER, maxRetryTime: 5_000 },
  });
  await producer.connect();
  return producer;
}

export async function produceCommand(argv: string[]): Promise<number> {
  const args = parseArgs(argv, ['raw']);
  rejectUnknownFlags(args, ['topic', 'brokers', 'topic-prefix', 'raw', 'batch']);
  const file = args.positional[0];
  if (!file) throw new UsageError(`missing <file.jsonl>\n${PRODUCE_USAGE}`);
  const topicName = stringFlag(args, 'topic', TOPICS.traceEvents)!;
  const decode = DECODERS[topicName];
  if (!decode) throw new UsageError(`--topic must be one of ${Object.keys(DECODERS).join(', ')}`);
  const raw = args.flags.get('raw') === true;
  const batchSize = intFlag(args, 'batch', 5_000, 1);
  const { brokers, topicPrefix } = kafkaTarget(args);
  const topic = `${topicPrefix}${topicName}`;
  const producer = await connectProducer(brokers, [topic]);
  const progress = progressReporter('produced');
  let sent = 0;
  let refused = 0;
  let batch: Array<{ key: string | null; value: string }> = [];
  const flush = async () => {
    if (batch.length === 0) return;
    await producer.send({ topic, messages: batch, acks: -1 });
    sent += batch.length;
    batch = [];
    progress.tick(sent);
  };
  try {
    for await (const { lineNo, text } of readJsonlLines(file)) {
      let key: string | null;
      if (raw) key = rawKey(text);
      else {
        const d = decode(text, { now: Date.now() });
        if (!d.ok) {
          refused++;
          if (refused <= 20) process.stderr.write(`${file}:${lineNo}: not sent: ${d.reason}\n`);
          continue;
        }
        key = keyOf(d.value);
      }
      batch.push({ key, value: text });
      if (batch.length >= batchSize) await flush();
    }
    await flush();
  } finally {
    await producer.disconnect();
  }
  process.stderr.write(
    `sent ${sent} message(s) to ${topic}${refused ? `; ${refused} invalid line(s) not sent` : ''}\n`,
  );
  return refused > 0 ? 2 : 0;
}
