import {
  type AlertFeed,
  alertTopics,
  createCommandProducer,
  sendAlertCommands,
  startAlertFeed,
} from '@tracewatch/alerts';
import { createKafka, ensureTopics } from '@tracewatch/bus';
import { TOPIC_PARTITIONS, TOPICS } from '@tracewatch/schema';
import { type Logger, retryUntilDone, StoppedBeforeDone } from '@tracewatch/service-kit';
import { createStore, migrate } from '@tracewatch/store';
import type { FastifyInstance } from 'fastify';
import { buildApi } from './app.js';
import type { ApiConfig } from './config.js';
import { createApiMetrics } from './metrics.js';

export interface RunningApi {
  app: FastifyInstance;
  /** http://host:port the server listens on. */
  address: string;
  stop(): Promise<void>;
}

/**
 * Wires config → ClickHouse, Kafka and HTTP; the domain lives in packages/access,
 * packages/inspect and packages/alerts.
 */
export async function startApiService(config: ApiConfig, log: Logger): Promise<RunningApi> {
  const stopping = new AbortController();
  const state: { migrated: boolean; producer: boolean; feed: AlertFeed | undefined } = {
    migrated: false,
    producer: false,
    feed: undefined,
  };
  const store = createStore({
    url: config.CLICKHOUSE_URL,
    database: config.CLICKHOUSE_DATABASE,
    username: config.CLICKHOUSE_USER,
    password: config.CLICKHOUSE_PASSWORD,
  });
  const kafka = createKafka({ brokers: config.KAFKA_BROKERS, clientId: 'tracewatch-api', log });
  const producer = createCommandProducer(kafka);
  const metrics = createApiMetrics();
  const app = await buildApi({
    config,
    store,
    log,
    metrics,
    alerts: {
      async send(command) {
        if (!state.producer) throw new Error('not connected to Kafka yet');
        await sendAlertCommands(producer, config.TOPIC_PREFIX, [command]);
      },
      feed: () => state.feed,
    },
    health: {
      live: () => ({ ready: true, reasons: [] }),
      ready: () => {
        const reasons = [
          ...(state.migrated ? [] : ['ClickHouse not reached yet (migrations pending)']),
          ...(state.producer ? [] : ['Kafka not reached yet (alert commands cannot be sent)']),
          ...(state.feed?.ready() ? [] : ['the alerts stream has not joined Kafka yet']),
        ];
        return { ready: reasons.length === 0, reasons };
      },
    },
  });
  const untilStopped = (err: unknown) => {
    if (!(err instanceof StoppedBeforeDone)) throw err;
  };
  const booting = retryUntilDone('ClickHouse migrations', log, stopping.signal, () => migrate(store)).then(
    (applied) => {
      state.migrated = true;
      log.info({ applied, database: store.database }, 'ClickHouse schema ready');
    },
    untilStopped,
  );
  const topics = alertTopics(config.TOPIC_PREFIX);
  const connecting = retryUntilDone('Kafka alert topics and command producer', log, stopping.signal, async () => {
    // The same partitions as the detector creates them with (the keeper checks them).
    await ensureTopics(kafka, [
      { topic: topics.commands, numPartitions: TOPIC_PARTITIONS[TOPICS.alertCommands] },
      { topic: topics.alerts, numPartitions: TOPIC_PARTITIONS[TOPICS.alerts] },
    ]);
    await producer.connect();
    state.producer = true;
  })
    .then(() =>
      retryUntilDone('alerts stream (Kafka consumer)', log, stopping.signal, () =>
        startAlertFeed({ kafka, topicPrefix: config.TOPIC_PREFIX, log, replaySize: config.API_STREAM_REPLAY }),
      ),
    )
    .then((feed) => {
      state.feed = feed;
      if (stopping.signal.aborted) return;
      log.info({ topic: topics.alerts }, 'alerts stream reading');
    }, untilStopped);
  const address = await app.listen({ port: config.HTTP_PORT, host: config.HTTP_HOST });
  log.info({ address }, 'api listening (console at /, OpenAPI at /docs)');
  return {
    app,
    address,
    async stop() {
      stopping.abort();
      // Closes the live streams first (preClose), then the server.
      await app.close();
      await Promise.all([booting, connecting]);
      await state.feed?.stop();
      if (state.producer) await producer.disconnect();
      await store.close();
    },
  };
}
