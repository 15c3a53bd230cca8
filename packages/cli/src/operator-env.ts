/**
 * Where the operator commands (alerts, silence) find Kafka and ClickHouse: --brokers /
 * KAFKA_BROKERS, CLICKHOUSE_URL, CLICKHOUSE_DATABASE, --topic-prefix / TOPIC_PREFIX; and how a
 * server that does not answer becomes one plain message.
 */
import { createKafka } from '@tracewatch/bus';
import { createStore, type Store, sqlIdentifier } from '@tracewatch/store';
import type { Kafka } from 'kafkajs';
import { type ParsedArgs, stringFlag, UsageError } from './args.js';

export const OPERATOR_FLAGS = ['brokers', 'topic-prefix'] as const;

export interface OperatorEnv {
  brokers: string[];
  topicPrefix: string;
  clickhouseUrl: string;
  database: string;
}

export function operatorEnv(args: ParsedArgs, env: NodeJS.ProcessEnv = process.env): OperatorEnv {
  const database = env.CLICKHOUSE_DATABASE || 'tracewatch';
  try {
    sqlIdentifier(database);
  } catch {
    throw new UsageError(`CLICKHOUSE_DATABASE must be a plain name (a-z, 0-9, _), got ${JSON.stringify(database)}`);
  }
  const url = env.CLICKHOUSE_URL || 'http://127.0.0.1:8123';
  if (!/^https?:\/\/[^\s]+$/.test(url))
    throw new UsageError(`CLICKHOUSE_URL must be an http(s) URL, got ${JSON.stringify(url)}`);
  return {
    brokers: (stringFlag(args, 'brokers') ?? env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(','),
    topicPrefix: stringFlag(args, 'topic-prefix') ?? env.TOPIC_PREFIX ?? '',
    clickhouseUrl: url,
    database,
  };
}

/** A server did not answer: printed as one line, exit 1 (not the user's mistake, not a bug). */
export class UnavailableError extends Error {
  override name = 'UnavailableError';
}

const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'ETIMEDOUT', 'EHOSTUNREACH']);

/** Runs `work` with a store; ClickHouse unreachable or missing tables become plain messages. */
export async function withStore<T>(env: OperatorEnv, work: (store: Store) => Promise<T>): Promise<T> {
  const store = createStore({
    url: env.clickhouseUrl,
    database: env.database,
    username: process.env.CLICKHOUSE_USER || 'default',
    password: process.env.CLICKHOUSE_PASSWORD || '',
    requestTimeoutMs: 15_000,
  });
  try {
    return await work(store);
  } catch (err) {
    const e = err as { code?: string | number; message?: string; cause?: { code?: string } };
    const text = e?.message ?? '';
    if (CONNECTION_CODES.has(String(e?.code)) || CONNECTION_CODES.has(String(e?.cause?.code)) || /timeout/i.test(text))
      throw new UnavailableError(`ClickHouse at ${env.clickhouseUrl} does not answer (${e.code ?? text})`);
    // UNKNOWN_TABLE 60, UNKNOWN_DATABASE 81: a wrong CLICKHOUSE_DATABASE, or nothing ran yet.
    if (['60', '81'].includes(String(e?.code)) || /Code: (60|81)\b/.test(text))
      throw new UsageError(
        `ClickHouse database ${env.database} has no alert tables (CLICKHOUSE_DATABASE; the detector service creates them)`,
      );
    throw err;
  } finally {
    await store.close();
  }
}

export function operatorKafka(env: OperatorEnv): Kafka {
  return createKafka({ brokers: env.brokers, clientId: 'tracewatch-cli', retries: 3, silent: true });
}
