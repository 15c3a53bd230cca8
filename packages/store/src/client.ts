import { type ClickHouseClient, ClickHouseLogLevel, createClient } from '@clickhouse/client';
import { sqlIdentifier } from './sql.js';

export interface StoreConfig {
  url: string;
  database: string;
  username?: string;
  password?: string;
  /** Per-request timeout; a stalled server must not hang a batch forever. */
  requestTimeoutMs?: number;
}

export interface Store {
  client: ClickHouseClient;
  database: string;
  close(): Promise<void>;
}

/**
 * A client bound to no database on the wire (statements name `{db}` explicitly), so the same
 * client can create the database it will use.
 */
export function createStore(config: StoreConfig): Store {
  const database = sqlIdentifier(config.database);
  const client = createClient({
    url: config.url,
    username: config.username ?? 'default',
    password: config.password ?? '',
    request_timeout: config.requestTimeoutMs ?? 30_000,
    compression: { request: false, response: false },
    // Failures reach the caller, which logs them once with context; the client stays quiet.
    log: { level: ClickHouseLogLevel.OFF },
    clickhouse_settings: {
      // Answers in 18.16 and current releases alike: numbers as JSON numbers.
      output_format_json_quote_64bit_integers: 0,
    },
  });
  return { client, database, close: () => client.close() };
}

/** Replaces the `{db}` placeholder with the (validated) database name. */
export function withDatabase(sql: string, database: string): string {
  return sql.replaceAll('{db}', sqlIdentifier(database));
}
