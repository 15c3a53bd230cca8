import type { Message } from 'kafkajs';
import {
  type DeadLetter,
  deadLetterMessage,
  recordBytes,
  reducedDeadLetter,
  unencodableReason,
} from './dead-letter.js';
import type { BusLogger } from './kafka.js';
import type { BatchingProducer } from './producer.js';

/** Protocol errors that are the record's own fault: no retry can cure them. */
const RECORD_ERRORS = new Set([
  'MESSAGE_TOO_LARGE',
  'RECORD_LIST_TOO_LARGE',
  'INVALID_RECORD',
  'CORRUPT_MESSAGE',
  'INVALID_TIMESTAMP',
  'INVALID_REQUEST',
]);

interface ErrorLike {
  name?: string;
  type?: string;
  message?: string;
  cause?: unknown;
  originalError?: unknown;
}

/**
 * Retryable: a dependency is unavailable (connection lost, leader moving, timeout, topic not
 * there yet): the same send may succeed later. Permanent: this record can never be sent as
 * it is (too large for the topic, unencodable): retrying would stall the partition forever.
 * kafkajs wraps errors (KafkaJSNonRetriableError, ...NumberOfRetriesExceeded): the chain is
 * searched for the protocol error that says which.
 */
export function sendErrorKind(err: unknown): 'retryable' | 'permanent' {
  const seen = new Set<unknown>();
  for (let e = err as ErrorLike | undefined; e && !seen.has(e); e = (e.cause ?? e.originalError) as ErrorLike) {
    seen.add(e);
    if (e.name === 'KafkaJSProtocolError' && e.type && RECORD_ERRORS.has(e.type)) return 'permanent';
    if (e.name === 'TypeError' || e.name === 'RangeError') return 'permanent'; // encoding the record
  }
  return 'retryable';
}

export interface DeadLetterPublisherOptions {
  producer: BatchingProducer;
  topic: string;
  /** The largest record the dead-letter topic takes (its max.message.bytes, less framing). */
  maxRecordBytes: number;
  log: BusLogger;
  /** Waits before retry `attempt` (until `signal` aborts). */
  backoff: (attempt: number, signal: AbortSignal) => Promise<void>;
  /** Told of every dead letter that had to be reduced, and why. */
  onReduced?: (why: string) => void;
}

/**
 * Publishes dead letters so that none is lost and none stalls a partition for good: a record
 * that cannot be sent whole (unencodable, or larger than the topic takes, known before or
 * learnt from the broker) is sent as a reduced dead letter instead; retryable failures are
 * retried until the dependency is back. A dead letter may be sent twice (at least once).
 */
export class DeadLetterPublisher {
  constructor(private readonly opts: DeadLetterPublisherOptions) {}

  /** True once every letter is acknowledged; false if `signal` aborted first. */
  async publish(
    letters: DeadLetter[],
    nowMs: number,
    signal: AbortSignal,
    /** Told of every retryable failure (so a partition held by it can say why). */
    onRetry?: (err: Error) => void,
  ): Promise<boolean> {
    const retrying = (err: Error, attempt: number) => {
      this.opts.log.warn({ err: err.message, attempt }, 'dead-letter publish failed; retrying');
      onRetry?.(err);
    };
    const messages = letters.map((d) => this.sendable(deadLetterMessage(d, nowMs)));
    for (let attempt = 0; !signal.aborted; attempt++) {
      try {
        await this.opts.producer.send(this.opts.topic, messages);
        return true;
      } catch (err) {
        if (sendErrorKind(err) === 'permanent') return this.oneByOne(messages, signal, retrying);
        retrying(err as Error, attempt);
        await this.opts.backoff(attempt, signal);
      }
    }
    return false;
  }

  /** A permanent failure somewhere in a shared request: each record on its own, reduced if it fails so. */
  private async oneByOne(
    messages: Message[],
    signal: AbortSignal,
    retrying: (err: Error, attempt: number) => void,
  ): Promise<boolean> {
    for (let message of messages) {
      let reduced = false;
      for (let attempt = 0; ; attempt++) {
        if (signal.aborted) return false;
        try {
          await this.opts.producer.sendNow(this.opts.topic, [message]);
          break;
        } catch (err) {
          if (sendErrorKind(err) === 'permanent') {
            // A reduced letter is small and plain bytes: refused too means a defect, not data.
            if (reduced) throw new Error(`a reduced dead letter was refused: ${(err as Error).message}`);
            message = this.reduce(message, `refused by Kafka: ${(err as Error).message}`);
            reduced = true;
          } else {
            retrying(err as Error, attempt);
            await this.opts.backoff(attempt, signal);
          }
        }
      }
    }
    return true;
  }

  /** The record itself, or its reduced form when it is known it cannot be sent whole. */
  private sendable(m: Message): Message {
    const unencodable = unencodableReason(m);
    if (unencodable) return this.reduce(m, unencodable);
    const size = recordBytes(m);
    if (size > this.opts.maxRecordBytes)
      return this.reduce(m, `dead letter is ${size} bytes, the dead-letter topic takes ${this.opts.maxRecordBytes}`);
    return m;
  }

  private reduce(m: Message, why: string): Message {
    this.opts.log.warn({ why }, 'dead letter reduced (digest, size and first KB kept)');
    this.opts.onReduced?.(why);
    return reducedDeadLetter(m, why);
  }
}
