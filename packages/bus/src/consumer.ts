import type { Consumer, Kafka, KafkaMessage } from 'kafkajs';
import { type BusLogger, withAdmin } from './kafka.js';

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
  /** Says why the batch is not finished yet (shown while its partition is held too long). */
  trouble: (reason: string) => void;
}

/** A partition whose oldest uncommitted batch has been held longer than asked about. */
export interface HeldPartition {
  topic: string;
  partition: number;
  /** Since its oldest uncommitted batch was handed over. */
  heldMs: number;
  /** Messages handed over and not committed. */
  messages: number;
  /** The handler's last word on why (see BatchContext.trouble). */
  trouble: string | undefined;
}

/** Per partition: what was handed over and not yet committed. */
interface PartitionHold {
  topic: string;
  partition: number;
  batches: number;
  messages: number;
  /** When the oldest uncommitted batch was handed over (or the last commit, if later). */
  since: number;
  trouble: string | undefined;
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
  /** Partitions handled at once. */
  partitionsConsumedConcurrently?: number;
  maxBytesPerPartition?: number;
  /**
   * Messages read but not yet durably handled. Above the bound the consumer pauses its topics
   * (backpressure) and resumes once half of them are handled.
   */
  maxInFlightMessages?: number;
  /**
   * The same bound in bytes (keys and values held): a few large messages must not fill the
   * memory while the message count stays far below its bound.
   */
  maxInFlightBytes?: number;
  sessionTimeoutMs?: number;
  /**
   * Kafka counts as unreachable after this long without any broker response (fetches answer
   * at least every 250 ms and heartbeats go every 3 s, so a live broker is never this quiet).
   */
  unreachableAfterMs?: number;
  /**
   * Handles one batch. Its synchronous part runs in the fetch loop; the promise settles when
   * every message is durably handled ('done') or given up ('abandoned'). Batches may settle
   * in any order: commits follow the order they were handed over in.
   */
  handle: (batch: PartitionBatch, ctx: BatchContext) => Promise<BatchOutcome>;
  log: BusLogger;
}

const HEARTBEAT_EVERY_MS = 3_000;

/**
 * A consumer-group loop on eachBatch with manual offsets, pipelined: while the rows of one
 * fetch are being stored, the next fetch is already decoded.
 *
 * kafkajs keeps two offsets per partition: the fetch position (moved by resolveOffset) and
 * the committed offset. Auto-commit is off, so kafkajs never commits on its own (runner.js
 * commits resolved offsets only when autoCommit is on, also on errors and shutdown). So the
 * fetch position may run ahead, and the *commit* of `last + 1` is sent by us only after the
 * handler's promise for that batch, and for every earlier batch of the partition, said
 * 'done'. A crash or an abandoned batch leaves the committed offset behind: the messages
 * are read again (at-least-once; the store is idempotent by event id).
 */
export class ConsumerRunner {
  private consumer: Consumer | undefined;
  private readonly abort = new AbortController();
  private connected = false;
  /** When a broker last answered any request of this consumer. */
  private lastContactAt = Date.now();
  private crashed: string | undefined;
  /** Last commit, or when work began after an idle spell: the stall detector's clock. */
  private lastBatchAt = Date.now();
  private inFlight = 0;
  private inFlightBytes = 0;
  private paused = false;
  /** Per topic-partition: the chain of pending commits, in hand-over order. */
  private readonly chains = new Map<string, Promise<boolean>>();
  private readonly holds = new Map<string, PartitionHold>();

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
      // Also how long kafkajs sleeps while every partition is paused: short, so that a resume
      // is acted on at once (an idle long poll costing one small request per 250 ms).
      maxWaitTimeInMs: 250,
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
    consumer.on(consumer.events.REQUEST, () => {
      this.lastContactAt = Date.now();
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
    const maxInFlight = this.opts.maxInFlightMessages ?? 200_000;
    const maxInFlightBytes = this.opts.maxInFlightBytes ?? 256 * 1024 * 1024;
    const overBound = (fraction: number) =>
      this.inFlight > fraction * maxInFlight || this.inFlightBytes > fraction * maxInFlightBytes;
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: this.opts.partitionsConsumedConcurrently ?? 3,
      eachBatch: async ({ batch, resolveOffset, isRunning, isStale }) => {
        if (batch.messages.length === 0 || !isRunning() || isStale() || this.abort.signal.aborted) return;
        // Fetched before the pause took effect: not resolved, so read again after the resume.
        if (this.paused) return;
        const { topic, partition } = batch;
        const count = batch.messages.length;
        let bytes = 0;
        for (const m of batch.messages) bytes += (m.value?.length ?? 0) + (m.key?.length ?? 0);
        const last = batch.lastOffset();
        const key = `${topic}\u0000${partition}`;
        let hold = this.holds.get(key);
        if (!hold) {
          hold = { topic, partition, batches: 0, messages: 0, since: Date.now(), trouble: undefined };
          this.holds.set(key, hold);
        }
        if (hold.batches === 0) hold.since = Date.now();
        hold.batches += 1;
        hold.messages += count;
        const held = hold;
        const outcome = this.opts.handle(
          { topic, partition, messages: batch.messages, lag: Number(batch.offsetLagLow()) },
          {
            signal: this.abort.signal,
            trouble: (reason) => {
              held.trouble = reason;
            },
          },
        );
        outcome.catch(() => undefined); // a rejection is handled in the chain below, maybe later
        if (this.inFlight === 0) this.lastBatchAt = Date.now(); // idle until now: not a stall
        this.inFlight += count;
        this.inFlightBytes += bytes;
        // The chain says whether every earlier batch of the partition was done: a commit
        // covers all earlier offsets, so none may follow a batch that was not done.
        // (Closures below take plain values, not `batch`: its messages must not outlive it.)
        const previous = this.chains.get(key) ?? Promise.resolve(true);
        const chained = previous.then(async (earlierDone) => {
          let done = false;
          try {
            done = (await outcome) === 'done';
          } catch (err) {
            this.fail(`handler failed on ${topic}[${partition}] at offset ${last}: ${(err as Error)?.message}`);
          }
          try {
            if (done && earlierDone) {
              await consumer.commitOffsets([{ topic, partition, offset: String(BigInt(last) + 1n) }]);
              this.lastBatchAt = Date.now();
              held.since = this.lastBatchAt; // progress: the next batch's wait counts from here
              held.trouble = undefined;
            }
          } catch (err) {
            // Not committed: read again after a restart or rebalance, unless a later commit covers it.
            log.warn({ err: (err as Error).message, topic, partition }, 'offset commit failed');
          } finally {
            held.batches -= 1;
            held.messages -= count;
            this.inFlight -= count;
            this.inFlightBytes -= bytes;
            if (this.paused && !overBound(0.8)) this.setPaused(consumer, false);
          }
          return done && earlierDone;
        });
        this.chains.set(key, chained);
        resolveOffset(last); // moves the fetch position only (see the class comment)
        if (overBound(1)) this.setPaused(consumer, true);
      },
    });
  }

  /**
   * Backpressure by kafkajs's pause/resume rather than by holding eachBatch: the fetch loop
   * goes on, so heartbeats and rebalances proceed while ClickHouse is slow or down.
   */
  private setPaused(consumer: Consumer, paused: boolean): void {
    if (paused === this.paused) return;
    this.paused = paused;
    const topics = this.opts.topics.map((topic) => ({ topic }));
    if (paused) consumer.pause(topics);
    else consumer.resume(topics);
    this.opts.log.info(
      { inFlight: this.inFlight, inFlightBytes: this.inFlightBytes },
      paused ? 'consumption paused (backpressure)' : 'consumption resumed',
    );
  }

  /**
   * A handler that throws is a defect, not a data problem: stop taking work (nothing after
   * the failed batch is committed) and report the consumer crashed, so /healthz fails and the
   * process is restarted from the last commit.
   */
  private fail(message: string): void {
    if (this.crashed) return;
    this.crashed = message;
    this.opts.log.error({ err: { message } }, 'batch handler failed: consumer stopped');
    this.abort.abort();
    void this.consumer?.stop().catch(() => undefined);
  }

  /** Abandons the work in hand (uncommitted), waits for pending commits, leaves the group. */
  async stop(): Promise<void> {
    this.abort.abort();
    await Promise.allSettled([...this.chains.values()]);
    await this.consumer?.disconnect();
  }

  /**
   * Partitions holding uncommitted messages for longer than `olderThanMs`: one stuck partition
   * shows here while the others commit (the consumer-wide clock in `status` would not see it).
   */
  heldPartitions(olderThanMs: number, now = Date.now()): HeldPartition[] {
    const out: HeldPartition[] = [];
    for (const h of this.holds.values()) {
      if (h.batches > 0 && now - h.since > olderThanMs)
        out.push({
          topic: h.topic,
          partition: h.partition,
          heldMs: now - h.since,
          messages: h.messages,
          trouble: h.trouble,
        });
    }
    return out;
  }

  /**
   * Consumer lag per partition from the group's committed offsets (high watermark minus
   * committed; the whole partition while nothing is committed), so a partition that reads on
   * but never commits shows its real lag.
   */
  async committedLag(): Promise<Array<{ topic: string; partition: number; lag: number }>> {
    const { kafka, groupId, topics } = this.opts;
    return withAdmin(kafka, async (admin) => {
      const committed = await admin.fetchOffsets({ groupId, topics });
      const out: Array<{ topic: string; partition: number; lag: number }> = [];
      for (const topic of topics) {
        const ends = await admin.fetchTopicOffsets(topic);
        const mine = committed.find((c) => c.topic === topic)?.partitions ?? [];
        for (const e of ends) {
          const c = mine.find((p) => p.partition === e.partition)?.offset ?? '-1';
          const from = c === '-1' ? BigInt(e.low) : BigInt(c);
          out.push({ topic, partition: e.partition, lag: Number(BigInt(e.high) - from) });
        }
      }
      return out;
    });
  }

  get status() {
    const quietMs = Date.now() - this.lastContactAt;
    return {
      /** Joined, and a broker answered within `unreachableAfterMs`. */
      connected: this.connected && quietMs < (this.opts.unreachableAfterMs ?? 15_000),
      /** Since a broker last answered. */
      quietMs,
      crashed: this.crashed,
      lastBatchAt: this.lastBatchAt,
      inFlight: this.inFlight,
      inFlightBytes: this.inFlightBytes,
      /** Paused by backpressure (too many messages or bytes in flight). */
      paused: this.paused,
    };
  }
}
