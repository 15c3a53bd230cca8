import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/** What the consumer says of itself, read when metrics are scraped. */
export type ConsumerState = () => { inFlight: number; inFlightBytes: number; paused: boolean } | undefined;

/** Lag per partition from the committed offsets (see ConsumerRunner.committedLag). */
export type CommittedLag = () => Promise<Array<{ topic: string; partition: number; lag: number }>> | undefined;

export function createIngestMetrics(
  consumer: ConsumerState = () => undefined,
  committedLag: CommittedLag = () => undefined,
) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'tw_ingest_process_' });
  return {
    registry,
    consumed: new Counter({
      name: 'tw_ingest_consumed_total',
      help: 'Messages read from Kafka',
      labelNames: ['topic'],
      registers: [registry],
    }),
    inserted: new Counter({
      name: 'tw_ingest_inserted_total',
      help: 'Rows stored in ClickHouse',
      labelNames: ['table'],
      registers: [registry],
    }),
    deadLettered: new Counter({
      name: 'tw_ingest_dead_lettered_total',
      help: 'Messages sent to the dead-letter topic',
      labelNames: ['topic', 'stage'],
      registers: [registry],
    }),
    batchSeconds: new Histogram({
      name: 'tw_ingest_batch_seconds',
      help: 'Time from receiving a partition batch to committing it',
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
      registers: [registry],
    }),
    insertSeconds: new Histogram({
      name: 'tw_ingest_insert_seconds',
      help: 'Duration of one ClickHouse insert (including retries while unavailable)',
      labelNames: ['table'],
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    }),
    decodeSeconds: new Histogram({
      name: 'tw_ingest_decode_seconds',
      help: 'Time to decode and encode one partition batch, waiting for a decode thread included',
      labelNames: ['topic'],
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5],
      registers: [registry],
    }),
    decodeWorkerExits: new Counter({
      name: 'tw_ingest_decode_worker_exits_total',
      help: 'Decode threads that died unexpectedly (a defect: the consumer stops short of their batches)',
      registers: [registry],
    }),
    lag: new Gauge({
      name: 'tw_ingest_consumer_lag',
      help: 'Messages behind the partition end, from the committed offset (high watermark - committed)',
      labelNames: ['topic', 'partition'],
      registers: [registry],
      async collect() {
        // A failed lookup leaves the last figures (a scrape must not fail while Kafka is away).
        const lag = await committedLag()?.catch(() => undefined);
        for (const l of lag ?? []) this.set({ topic: l.topic, partition: String(l.partition) }, l.lag);
      },
    }),
    inFlight: new Gauge({
      name: 'tw_ingest_in_flight_messages',
      help: 'Messages read from Kafka and not yet stored or dead-lettered',
      registers: [registry],
      collect() {
        this.set(consumer()?.inFlight ?? 0);
      },
    }),
    inFlightBytes: new Gauge({
      name: 'tw_ingest_in_flight_bytes',
      help: 'Bytes of keys and values read from Kafka and not yet stored or dead-lettered',
      registers: [registry],
      collect() {
        this.set(consumer()?.inFlightBytes ?? 0);
      },
    }),
    paused: new Gauge({
      name: 'tw_ingest_consumer_paused',
      help: '1 while consumption is paused because too many messages are in flight (backpressure)',
      registers: [registry],
      collect() {
        this.set(consumer()?.paused ? 1 : 0);
      },
    }),
    storeAvailable: new Gauge({
      name: 'tw_ingest_store_available',
      help: '1 when the last ClickHouse insert succeeded',
      registers: [registry],
    }),
  };
}

export type IngestMetrics = ReturnType<typeof createIngestMetrics>;
