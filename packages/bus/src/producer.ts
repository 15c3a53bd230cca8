import { type CompressionTypes, type Kafka, type Message, Partitioners, type Producer } from 'kafkajs';
import { recordBytes } from './dead-letter.js';

export interface BatchingProducerOptions {
  /** Flush when this many messages wait for one topic... */
  maxMessages?: number;
  /** ...or when they add up to this many bytes; also the most one request carries (one larger record goes alone). */
  maxRequestBytes?: number;
  /** ...or when the oldest has waited this long. */
  lingerMs?: number;
  compression?: CompressionTypes;
}

/**
 * A producer that groups messages per topic into few large requests (acks from all
 * in-sync replicas, idempotent). `send` resolves when the message's batch is acknowledged.
 */
export class BatchingProducer {
  private readonly producer: Producer;
  private readonly pending = new Map<
    string,
    {
      messages: Message[];
      bytes: number;
      waiters: Array<{ resolve: () => void; reject: (e: unknown) => void }>;
      timer?: NodeJS.Timeout;
    }
  >();
  private readonly maxMessages: number;
  private readonly maxRequestBytes: number;
  private readonly lingerMs: number;

  constructor(
    kafka: Kafka,
    private readonly opts: BatchingProducerOptions = {},
  ) {
    this.producer = kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      createPartitioner: Partitioners.DefaultPartitioner,
      // Idempotence needs unlimited retries; callers bound the wait with their own signals.
      retry: { retries: Number.MAX_SAFE_INTEGER, initialRetryTime: 200, maxRetryTime: 5_000 },
    });
    this.maxMessages = opts.maxMessages ?? 5_000;
    this.maxRequestBytes = opts.maxRequestBytes ?? 1024 * 1024;
    this.lingerMs = opts.lingerMs ?? 20;
  }

  connect(): Promise<void> {
    return this.producer.connect();
  }

  /** Queues messages; resolves once they are acknowledged by Kafka. */
  send(topic: string, messages: Message[]): Promise<void> {
    let entry = this.pending.get(topic);
    if (!entry) {
      entry = { messages: [], bytes: 0, waiters: [] };
      this.pending.set(topic, entry);
    }
    for (const m of messages) {
      entry.messages.push(m);
      entry.bytes += recordBytes(m);
    }
    const done = new Promise<void>((resolve, reject) => entry.waiters.push({ resolve, reject }));
    if (entry.messages.length >= this.maxMessages || entry.bytes >= this.maxRequestBytes) void this.flushTopic(topic);
    else if (!entry.timer) entry.timer = setTimeout(() => void this.flushTopic(topic), this.lingerMs);
    return done;
  }

  /**
   * Sends now, without batching (for the few messages that must not wait), in requests of at
   * most maxRequestBytes: the broker refuses a record batch over the topic's max.message.bytes
   * whole, so many small records must not travel as one large batch.
   */
  async sendNow(topic: string, messages: Message[]): Promise<void> {
    for (const chunk of chunksByBytes(messages, this.maxRequestBytes)) {
      await this.producer.send({
        topic,
        messages: chunk,
        acks: -1,
        ...(this.opts.compression !== undefined ? { compression: this.opts.compression } : {}),
      });
    }
  }

  private async flushTopic(topic: string): Promise<void> {
    const entry = this.pending.get(topic);
    if (!entry || entry.messages.length === 0) return;
    this.pending.delete(topic);
    if (entry.timer) clearTimeout(entry.timer);
    try {
      await this.sendNow(topic, entry.messages);
      for (const w of entry.waiters) w.resolve();
    } catch (err) {
      for (const w of entry.waiters) w.reject(err);
    }
  }

  async flush(): Promise<void> {
    await Promise.all([...this.pending.keys()].map((t) => this.flushTopic(t)));
  }

  async disconnect(): Promise<void> {
    await this.flush();
    await this.producer.disconnect();
  }
}

/** Consecutive runs of messages of at most maxBytes each (a larger message is a run of its own). */
export function chunksByBytes(messages: Message[], maxBytes: number): Message[][] {
  const chunks: Message[][] = [];
  let chunk: Message[] = [];
  let bytes = 0;
  for (const m of messages) {
    const size = recordBytes(m);
    if (chunk.length > 0 && bytes + size > maxBytes) {
      chunks.push(chunk);
      chunk = [];
      bytes = 0;
    }
    chunk.push(m);
    bytes += size;
  }
  if (chunk.length > 0) chunks.push(chunk);
  return chunks;
}
