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

/** Wires config → ClickHouse and HTTP; the domain lives in packages/access and packages/inspect. */
export async function startApiService(config: ApiConfig, log: Logger): Promise<RunningApi> {
  const stopping = new AbortController();
  const state = { migrated: false };
  const store = createStore({
    url: config.CLICKHOUSE_URL,
    database: config.CLICKHOUSE_DATABASE,
    username: config.CLICKHOUSE_USER,
    password: config.CLICKHOUSE_PASSWORD,
  });
  const app = await buildApi({
    config,
    store,
    log,
    metrics: createApiMetrics(),
    health: {
      live: () => ({ ready: true, reasons: [] }),
      ready: () =>
        state.migrated
          ? { ready: true, reasons: [] }
          : { ready: false, reasons: ['ClickHouse not reached yet (migrations pending)'] },
    },
  });
  const booting = retryUntilDone('ClickHouse migrations', log, stopping.signal, () => migrate(store)).then(
    (applied) => {
      state.migrated = true;
      log.info({ applied, database: store.database }, 'ClickHouse schema ready');
    },
    (err: unknown) => {
      if (!(err instanceof StoppedBeforeDone)) throw err;
    },
  );
  const address = await app.listen({ port: config.HTTP_PORT, host: config.HTTP_HOST });
  log.info({ address }, 'api listening (console at /, OpenAPI at /docs)');
  return {
    app,
    address,
    async stop() {
      stopping.abort();
      await app.close();
      await booting;
      await store.close();
    },
  };
}
