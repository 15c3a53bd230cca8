import {
  BatchingProducer,
  ConsumerRunner,
  createKafka,
  DeadLetterPublisher,
  ensureTopics,
  installCodecs,
  isStalled,
} from '@tracewatch/bus';
import { DLQ_MAX_MESSAGE_BYTES, TOPIC_CONFIGS, TOPIC_PARTITIONS, TOPICS } from '@tracewatch/schema';
import { backoffDelay, type Logger, type RunningService, sleep, startService } from '@tracewatch/service-kit';
import { createStore, EventIdentity, migrate } from '@tracewatch/store';
import type { IngestConfig } from './config.js';
import { BatchDecoder } from './decoder.js';
import { IngestHandler } from './ingest.js';
import { createIngestMetrics } from './metrics.js';
import { ROUTES, type Route } from './routes.js';

/** Wires config → ClickHouse, Kafka, HTTP. Holds no domain logic (that is IngestHandler's). */
export async function startIngestService(config: IngestConfig, log: Logger): Promise<RunningService> {
  const state = { migrated: false, started: false };
  let runner: ConsumerRunner | undefined;
  const metrics = createIngestMetrics(
    () => runner?.status,
    () => runner?.committedLag(),
  );
  let handler: IngestHandler | undefined;

  const notAlive = () => {
    const reasons: string[] = [];
    const status = runner?.status;
    if (status?.crashed) reasons.push(`consumer crashed: ${status.crashed}`);
    if (
      status &&
      isStalled({
        inFlight: status.inFlight,
        lastProgressAt: status.lastBatchAt,
        dependenciesAvailable: status.connected && (handler?.storeAvailable ?? false),
        now: Date.now(),
        timeoutMs: config.INGEST_STALL_TIMEOUT_MS,
      })
    ) {
      reasons.push(
        `stalled: ${status.inFlight} messages held, nothing committed for ${Math.round((Date.now() - status.lastBatchAt) / 1000)} s`,
      );
    }
    // One partition stuck while the others commit: the consumer-wide clock above misses it.
    if (runner && status?.connected && handler?.storeAvailable) {
      for (const p of runner.heldPartitions(config.INGEST_STALL_TIMEOUT_MS)) {
        reasons.push(
          `partition ${p.topic}[${p.partition}] stuck: ${p.messages} messages held uncommitted for ${Math.round(p.heldMs / 1000)} s${p.trouble ? ` (${p.trouble})` : ''}`,
        );
      }
    }
    return reasons;
  };
  const notReady = () => {
    const reasons: string[] = [];
    if (!state.migrated) reasons.push('ClickHouse not reached yet (migrations pending)');
    const kafka = runner?.status;
    if (!kafka) reasons.push('Kafka consumer not started yet');
    else if (!kafka.connected)
      reasons.push(
        `Kafka unreachable or consumer not joined (no broker answer for ${Math.round(kafka.quietMs / 1000)} s)`,
      );
    if (handler && !handler.storeAvailable) reasons.push('ClickHouse unavailable: consumption held, retrying');
    if (runner?.status.crashed) reasons.push(`consumer crashed: ${runner.status.crashed}`);
    return reasons;
  };

  const store = createStore({
    url: config.CLICKHOUSE_URL,
    database: config.CLICKHOUSE_DATABASE,
    username: config.CLICKHOUSE_USER,
    password: config.CLICKHOUSE_PASSWORD,
  });
  const identityStore = config.INGEST_REFUSE_REUSED_IDS
    ? createStore({
        url: config.CLICKHOUSE_URL,
        database: config.CLICKHOUSE_DATABASE,
        username: config.CLICKHOUSE_USER,
        password: config.CLICKHOUSE_PASSWORD,
      })
    : undefined;
  const kafka = createKafka({ brokers: config.KAFKA_BROKERS, clientId: 'tracewatch-ingest', log });
  const topic = (name: string) => `${config.TOPIC_PREFIX}${name}`;
  installCodecs(config.INGEST_MAX_DECOMPRESSED_BATCH_BYTES);
  const producer = new BatchingProducer(kafka, { maxMessages: 1_000, maxRequestBytes: 1024 * 1024, lingerMs: 5 });
  const decoder = new BatchDecoder(config.INGEST_DECODE_THREADS, (reason) => {
    metrics.decodeWorkerExits.inc();
    log.error({ reason }, 'decode worker died (replaced); the consumer stops short of its batches');
  });

  const boot = async (step: <T>(what: string, work: () => Promise<T>) => Promise<T>) => {
    const applied = await step('ClickHouse migrations', () => migrate(store));
    state.migrated = true;
    log.info({ applied, database: store.database }, 'ClickHouse schema ready');
    const topics = Object.entries(TOPIC_PARTITIONS).map(([t, numPartitions]) => ({
      topic: topic(t),
      numPartitions,
      configs: TOPIC_CONFIGS[t as keyof typeof TOPIC_CONFIGS] ?? {},
    }));
    await step('Kafka topic check', () => ensureTopics(kafka, topics));
    await step('Kafka producer connect', () => producer.connect());
    const routes = new Map<string, Route>(Object.entries(ROUTES).map(([t, r]) => [topic(t), r]));
    handler = new IngestHandler({
      store,
      // Its own client: lookups must not queue behind long inserts for the same connections.
      identity: identityStore ? new EventIdentity(identityStore) : undefined,
      decoder,
      deadLetters: new DeadLetterPublisher({
        producer,
        topic: topic(TOPICS.traceEventsDlq),
        maxRecordBytes: DLQ_MAX_MESSAGE_BYTES - 64 * 1024, // framing and the batch header
        log,
        backoff: (attempt, signal) => sleep(backoffDelay(attempt), signal),
      }),
      routes,
      metrics,
      log,
      maxBatchRows: config.INGEST_BATCH_MAX_ROWS,
      maxBatchWaitMs: config.INGEST_BATCH_MAX_WAIT_MS,
      maxMessageBytes: config.INGEST_MAX_MESSAGE_BYTES,
    });
    runner = new ConsumerRunner({
      kafka,
      groupId: config.KAFKA_GROUP_ID,
      topics: [...routes.keys()],
      partitionsConsumedConcurrently: config.INGEST_PARTITIONS_CONCURRENTLY,
      maxBytesPerPartition: config.INGEST_MAX_BYTES_PER_PARTITION,
      maxInFlightMessages: config.INGEST_MAX_IN_FLIGHT,
      maxInFlightBytes: config.INGEST_MAX_IN_FLIGHT_BYTES,
      sessionTimeoutMs: config.KAFKA_SESSION_TIMEOUT_MS,
      unreachableAfterMs: config.KAFKA_UNREACHABLE_AFTER_MS,
      handle: handler.handle,
      log,
    });
    await step('Kafka consumer start', () => runner!.start());
    state.started = true;
    log.info({ topics: [...routes.keys()], group: config.KAFKA_GROUP_ID }, 'consuming');
  };
  return startService({
    name: 'ingest',
    log,
    port: config.HTTP_PORT,
    host: config.HTTP_HOST,
    registry: metrics.registry,
    notAlive,
    notReady,
    boot,
    // Abandons (never commits) what is not stored, also while a boot step still waits.
    abandon: async () => {
      await runner?.stop();
    },
    stop: async () => {
      await producer.disconnect().catch(() => undefined);
      await decoder.close();
      await store.close();
      await identityStore?.close();
    },
  });
}
