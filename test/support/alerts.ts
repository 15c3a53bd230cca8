/** Support for the alert tests: a scope with topics and tables, keepers in and out of process. */
import { type ChildProcess, spawn } from 'node:child_process';
import {
  type AlertKeeper,
  type AlertKeeperOptions,
  alertTopics,
  createCommandProducer,
  parseAlertChangedEvent,
  readCommittedRange,
  startAlertKeeper,
} from '@tracewatch/alerts';
import { ensureTopics } from '@tracewatch/bus';
import type { AlertChange } from '@tracewatch/schema';
import { migrate, type Store } from '@tracewatch/store';
import type { Kafka, Producer } from 'kafkajs';
import pino from 'pino';
import { brokers, clickhouseUrl, testKafka, testStore, uniqueScope, waitFor } from './harness.js';
import { REPO_ROOT } from './servers.js';

export interface AlertScope {
  scope: ReturnType<typeof uniqueScope>;
  kafka: Kafka;
  store: Store;
  producer: Producer;
  topics: ReturnType<typeof alertTopics>;
  close(): Promise<void>;
}

export async function alertScope(label: string): Promise<AlertScope> {
  const scope = uniqueScope(label);
  const kafka = testKafka();
  const store = testStore(scope.database);
  await migrate(store);
  const topics = alertTopics(scope.topicPrefix);
  await ensureTopics(kafka, [
    { topic: topics.commands, numPartitions: 3 },
    { topic: topics.alerts, numPartitions: 3 },
  ]);
  const producer = createCommandProducer(kafka);
  await producer.connect();
  return {
    scope,
    kafka,
    store,
    producer,
    topics,
    close: async () => {
      await producer.disconnect();
      await store.close();
    },
  };
}

export const quietLog = pino({ level: process.env.TW_TEST_LOG ?? 'warn' });

export async function keeperInProcess(
  s: AlertScope,
  extra: Partial<AlertKeeperOptions> = {},
  instanceId = 'k1',
): Promise<AlertKeeper> {
  const keeper = await startAlertKeeper({
    kafka: s.kafka,
    store: s.store,
    topicPrefix: s.scope.topicPrefix,
    groupId: `${s.scope.groupId}-keeper`,
    instanceId,
    log: quietLog,
    sessionTimeoutMs: 8_000,
    silenceRefreshMs: 60_000,
    ...extra,
  });
  await waitFor('the keeper ready', async () => keeper.ready().ready, 90_000);
  return keeper;
}

export interface KeeperProcess {
  proc: ChildProcess;
  output: () => string;
  kill: () => Promise<void>;
  stop: () => Promise<number | null>;
}

/** The keeper as a child process (test/support/alert-keeper-entry.ts). */
export function keeperProcess(s: AlertScope, env: Record<string, string> = {}, instanceId = 'kp'): KeeperProcess {
  let out = '';
  const proc = spawn(process.execPath, ['--import', 'tsx', `${REPO_ROOT}test/support/alert-keeper-entry.ts`], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      KAFKA_BROKERS: brokers().join(','),
      CLICKHOUSE_URL: clickhouseUrl(),
      CLICKHOUSE_DATABASE: s.scope.database,
      TOPIC_PREFIX: s.scope.topicPrefix,
      KEEPER_GROUP_ID: `${s.scope.groupId}-keeper`,
      KEEPER_INSTANCE_ID: instanceId,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const collect = (b: Buffer) => {
    out += b.toString();
  };
  proc.stdout?.on('data', collect);
  proc.stderr?.on('data', collect);
  const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
  process.on('exit', () => proc.kill('SIGKILL'));
  return {
    proc,
    output: () => out,
    kill: async () => {
      proc.kill('SIGKILL');
      await exited;
    },
    stop: async () => {
      proc.kill('SIGTERM');
      return exited;
    },
  };
}

export async function waitForOutput(p: KeeperProcess, line: string, timeoutMs = 90_000): Promise<void> {
  await waitFor(`keeper output ${line}`, async () => p.output().includes(line), timeoutMs).catch((err: Error) => {
    throw new Error(`${err.message}\n--- keeper output ---\n${p.output().slice(-3000)}`);
  });
}

/** Every committed change on the alerts topic, read back through the envelope schema. */
export async function committedChanges(s: AlertScope): Promise<Array<AlertChange & { partition: number }>> {
  const from = new Map([0, 1, 2].map((p) => [p, 0n]));
  const messages = await readCommittedRange(s.kafka, s.topics.alerts, from, 60_000);
  return messages.map((m) => ({ ...parseAlertChangedEvent(m.value).data, partition: m.partition }));
}

/** How many times each (fingerprint, version) is on the topic, for those seen more than once. */
export function duplicates(changes: readonly AlertChange[]): string[] {
  const seen = new Map<string, number>();
  for (const c of changes)
    seen.set(`${c.fingerprint}@${c.version}`, (seen.get(`${c.fingerprint}@${c.version}`) ?? 0) + 1);
  return [...seen].filter(([, n]) => n > 1).map(([k, n]) => `${k} ×${n}`);
}

export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the built `tracewatch` CLI on this scope's database and topics, asynchronously (the
 * keeper under test runs in this process and must go on while the CLI waits for it).
 */
export function runCliIn(s: AlertScope, args: string[], env: Record<string, string> = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [`${REPO_ROOT}packages/cli/dist/main.js`, ...args], {
      env: {
        ...process.env,
        KAFKA_BROKERS: brokers().join(','),
        CLICKHOUSE_URL: clickhouseUrl(),
        CLICKHOUSE_DATABASE: s.scope.database,
        TOPIC_PREFIX: s.scope.topicPrefix,
        LANG: 'C',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    proc.stdout?.on('data', (b: Buffer) => {
      stdout += b.toString();
    });
    proc.stderr?.on('data', (b: Buffer) => {
      stderr += b.toString();
    });
    const timer = setTimeout(() => proc.kill('SIGKILL'), 120_000);
    proc.on('error', reject);
    proc.on('exit', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}
