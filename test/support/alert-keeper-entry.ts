/**
 * The alert keeper as a child process, for crash tests (`node --import tsx` this file).
 * Env: KAFKA_BROKERS, CLICKHOUSE_URL, CLICKHOUSE_DATABASE, TOPIC_PREFIX, KEEPER_GROUP_ID,
 * KEEPER_INSTANCE_ID; KEEPER_HANG=before-commit | after-commit stops (forever) at that point of
 * the first transaction with changes and prints KEEPER_HUNG, for the test to SIGKILL it there.
 * Prints KEEPER_READY once ready.
 */
import { startAlertKeeper } from '@tracewatch/alerts';
import { createKafka } from '@tracewatch/bus';
import { createStore, migrate } from '@tracewatch/store';
import pino from 'pino';

const env = (name: string): string => {
  const v = process.env[name];
  if (!v) {
    process.stderr.write(`${name} is not set\n`);
    process.exit(78);
  }
  return v;
};

const log = pino({ level: 'info' });
const hang = process.env.KEEPER_HANG;
const hangForever = async () => {
  process.stdout.write('KEEPER_HUNG\n');
  await new Promise(() => undefined);
};
const store = createStore({ url: env('CLICKHOUSE_URL'), database: env('CLICKHOUSE_DATABASE') });
await migrate(store);
const keeper = await startAlertKeeper({
  kafka: createKafka({ brokers: env('KAFKA_BROKERS').split(','), clientId: 'alert-keeper-test', log }),
  store,
  topicPrefix: process.env.TOPIC_PREFIX ?? '',
  groupId: env('KEEPER_GROUP_ID'),
  instanceId: env('KEEPER_INSTANCE_ID'),
  log,
  sessionTimeoutMs: 8_000,
  testHooks: {
    beforeCommit: async (_p, changes) => {
      if (hang === 'before-commit' && changes > 0) await hangForever();
    },
    afterCommit: async (_p, changes) => {
      if (hang === 'after-commit' && changes.length > 0) await hangForever();
    },
  },
});
const timer = setInterval(() => {
  if (keeper.ready().ready) {
    process.stdout.write('KEEPER_READY\n');
    clearInterval(timer);
  }
}, 100);
process.on('SIGTERM', () => {
  void keeper.stop().then(() => process.exit(0));
});
