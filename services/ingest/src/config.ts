import { availableParallelism } from 'node:os';
import { clickhouseEnv, envTypes, httpEnv, kafkaEnv } from '@tracewatch/service-kit';
import { z } from 'zod';

export const ingestConfigSchema = z.object({
  ...kafkaEnv,
  ...clickhouseEnv,
  ...httpEnv(8081),
  KAFKA_GROUP_ID: z.string().min(1).default('tracewatch-ingest'),
  INGEST_BATCH_MAX_ROWS: envTypes.positiveInt(50_000),
  INGEST_BATCH_MAX_WAIT_MS: envTypes.positiveInt(250),
  INGEST_PARTITIONS_CONCURRENTLY: envTypes.positiveInt(6),
  INGEST_MAX_BYTES_PER_PARTITION: envTypes.positiveInt(4 * 1024 * 1024),
  // /healthz fails when messages are held this long with ClickHouse and Kafka up (a stalled loop).
  INGEST_STALL_TIMEOUT_MS: envTypes.positiveInt(300_000),
  INGEST_MAX_MESSAGE_BYTES: envTypes.positiveInt(16 * 1024),
  // Refuse trace events whose id was stored before with other content (a lookup per batch in
  // trace_event_ids). Off by default: under bench:ingest's 1M events the lookups stalled
  // (30 s request timeouts, "socket hang up") and need work before this can be the default.
  INGEST_REFUSE_REUSED_IDS: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
  // A compressed batch that decompresses beyond this is dead-lettered whole, never held.
  INGEST_MAX_DECOMPRESSED_BATCH_BYTES: envTypes.positiveInt(64 * 1024 * 1024),
  // Messages read but not yet stored; at the bound consumption waits (backpressure).
  INGEST_MAX_IN_FLIGHT: envTypes.positiveInt(200_000),
  // ...and at this many bytes of keys and values held (a few large messages, not only many).
  INGEST_MAX_IN_FLIGHT_BYTES: envTypes.positiveInt(256 * 1024 * 1024),
  // Worker threads that decode and encode (0: on the main thread). One fewer than the cores:
  // the main thread keeps Kafka and ClickHouse I/O, and ClickHouse itself needs a share.
  INGEST_DECODE_THREADS: z.coerce
    .number()
    .int()
    .min(0)
    .max(64)
    .default(Math.max(1, Math.min(4, availableParallelism() - 1))),
});

export type IngestConfig = z.infer<typeof ingestConfigSchema>;
