import type { Consumer, Kafka, KafkaMessage } from 'kafkajs';
import type { BusLogger } from './kafka.js';

export interface PartitionBatch {
  topic: string;
  partition: number;
  messages: KafkaMessage[];
  /** Messages left in the partition after this batch (consumer lag, as kafkajs saw it). */
  lag: number;
}

export interface BatchContext {
  /** Aborted when the consumer is stopping: abandon the batch (it is not committed). */
  signal: AbortSignal;
}

/**
 * What the handler did with the batch. 'done': every message is durably handled (stored or
 * dead-lettered), so its offsets may be committed. 'abandoned': nothing may be committed;
 * the batch will be read again (after a restart or by another member of the group).
 */
export type BatchOutcome = 'done' | 'abandoned';

export interface ConsumerRunnerOptions {
  kafka: Kafka;
  groupId: string;
  topics: string[];
  fromBeginning?: boolean;
  /** Partitions handled at once; with maxBytesPerPartition it bounds the work in flight. */
  partitionsConsumedConcurrently?: number;
  maxBytesPerPartition?: number;
  sessionTimeoutMs?: number;
  handle: (batch: PartitionBatch, ctx: BatchContext) => Promise<BatchOutcome>;
  log: BusLogger;
}

const HEARTBEAT_EVERY_MS = 3_000;

/**
 * A consumer-group loop on eachBatch with manual offsets: kafkajs' auto-resolve and
 * auto-commit are off (kafkajs would otherwise resolve a batch's last offset as soon as
 * eachBatch returns, and commit offsets resolved before a throw). An offset is resolved and
 * committed only after the handler said the whole batch is done.
 */
export class ConsumerRunner {
  private consumer: Consumer | undefined;
  private readonly abort = new AbortController();
  private connected = false;
  private crashed: string | undefined;
  private lastBatchAt = 0;

  constructor(private readonly opts: ConsumerRunnerOptions) {}

  /** Connects (retrying with backoff while Kafka is unreachable) and starts the loop. */
  async start(): Promise<void> {
    const { kafka, groupId, log } = this.opts;
    const consumer = kafka.consumer({
      groupId,
      sessionTimeout: this.opts.sessionTimeoutMs ?? 30_000,
      heartbeatInterval: HEARTBEAT_EVERY_MS,
      maxBytesPerPartition: this.opts.maxBytesPerPartition ?? 2 * 1024 * 1024,
      maxBytes: 32 * 1024 * 1024,
      allowAutoTopicCreation: false,
      retry: { retries: Number.MAX_SAFE_INTEGER, initialRetryTime: 300, maxRetryTime: 10_000 },
    });
    this.consumer = consumer;
    consumer.on(consumer.events.CONNECT, () => {
      this.connected = true;
    });
    consumer.on(consumer.events.DISCONNECT, () => {
      this.connected = false;
    });
    consumer.on(consumer.events.CRASH, (e) => {
      const err = e.payload.error as Error;
      this.crashed = e.payload.restart ? undefined : err.message;
      log.error({ err: { message: err.message, name: err.name }, restart: e.payload.restart }, 'consumer crashed');
    });
    await consumer.connect();
    for (const topic of this.opts.topics) {
      await consumer.subscribe({ topic, fromBeginning: this.opts.fromBeginning ?? true });
    }
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: this.opts.partitionsConsumedConcurrently ?? 3,
      eachBatch: async ({ batch, resolveOffset, heartbeat, commitOffsetsIfNecessary, isRunning, isStale }) => {
        if (batch.messages.length === 0 || !isRunning() || isStale()) return;
        const beat = setInterval(() => {
          heartbeat().catch(() => undefined); // a failed heartbeat shows up as a rebalance later
        }, HEARTBEAT_EVERY_MS);
        let outcome: BatchOutcome;
        try {
          outcome = await this.opts.handle(
            {
              topic: batch.topic,
              partition: batch.partition,
              messages: batch.messages,
              lag: Number(batch.offsetLagLow()),
            },
            { signal: this.abort.signal },
          );
        } finally {
          clearInterval(beat);
        }
        if (outcome !== 'done') return;
        const last = batch.lastOffset();
        resolveOffset(last);
        await commitOffsetsIfNecessary({
          topics: [
            { topic: batch.topic, partitions: [{ partition: batch.partition, offset: String(BigInt(last) + 1n) }] },
          ],
        });
        this.lastBatchAt = Date.now();
      },
    });
  }

  /** Abandons the batch in hand (uncommitted) and leaves the group. */
  async stop(): Promise<void> {
    this.abort.abort();
    await this.consumer?.disconnect();
  }

  get status() {
    return { connected: this.connected, crashed: this.crashed, lastBatchAt: this.lastBatchAt };
  }
}
