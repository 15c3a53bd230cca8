import type { IHeaders, KafkaMessage, Message } from 'kafkajs';

/** Headers a dead-lettered message gains; its key and value stay the original bytes. */
export const DLQ_HEADERS = {
  reason: 'tw-dlq-reason',
  stage: 'tw-dlq-stage',
  sourceTopic: 'tw-dlq-source-topic',
  sourcePartition: 'tw-dlq-source-partition',
  sourceOffset: 'tw-dlq-source-offset',
  time: 'tw-dlq-time',
} as const;

export interface DeadLetter {
  topic: string;
  partition: number;
  /** The original message (from kafkajs, or unpacked from a packed batch). */
  message: Pick<KafkaMessage, 'key' | 'value' | 'headers' | 'offset'>;
  stage: string;
  reason: string;
}

/** Builds the DLQ record: original key, value and headers, plus why, where and when. */
export function deadLetterMessage(d: DeadLetter, nowMs: number): Message {
  const headers: IHeaders = { ...(d.message.headers ?? {}) };
  headers[DLQ_HEADERS.reason] = d.reason.slice(0, 2000);
  headers[DLQ_HEADERS.stage] = d.stage;
  headers[DLQ_HEADERS.sourceTopic] = d.topic;
  headers[DLQ_HEADERS.sourcePartition] = String(d.partition);
  headers[DLQ_HEADERS.sourceOffset] = d.message.offset;
  headers[DLQ_HEADERS.time] = new Date(nowMs).toISOString();
  return { key: d.message.key, value: d.message.value, headers };
}

/** Reads the DLQ headers back (for tests, tools and the console). */
export function readDeadLetterHeaders(message: KafkaMessage): Record<keyof typeof DLQ_HEADERS, string | undefined> {
  const h = message.headers ?? {};
  const get = (k: string) => {
    const v = h[k];
    if (v === undefined) return undefined;
    return (Array.isArray(v) ? v[0] : v)?.toString();
  };
  return {
    reason: get(DLQ_HEADERS.reason),
    stage: get(DLQ_HEADERS.stage),
    sourceTopic: get(DLQ_HEADERS.sourceTopic),
    sourcePartition: get(DLQ_HEADERS.sourcePartition),
    sourceOffset: get(DLQ_HEADERS.sourceOffset),
    time: get(DLQ_HEADERS.time),
  };
}
