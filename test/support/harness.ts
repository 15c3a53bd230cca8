/** Shared support for integration tests: unique names, the ingest process, Kafka and ClickHouse helpers. */
import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { get } from 'node:http';
import { createServer } from 'node:net';
import { createKafka } from '@tracewatch/bus';
import { createStore, type Store } from '@tracewatch/store';
import { type Kafka, type KafkaMessage, Partitioners } from 'kafkajs';
import { REPO_ROOT } from './servers.js';

export const brokers = () => (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
export const clickhouseUrl = () => process.env.CLICKHOUSE_URL ?? 'http://127.0.0.1:8123';

/** Scopes made in this test file, removed after it (see cleanUpScopes). */
const scopes: Array<{ topicPrefix: string; database: string }> = [];

/** A fresh scope per test: its own topics (by prefix), database and consumer group. */
export function uniqueScope(label: string) {
  const id = `${label}_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const scope = { id, topicPrefix: `t_${id}.`, database: `tw_${id}`, groupId: `g_${id}` };
  scopes.push(scope);
  return scope;
}

/**
 * Drops the databases and deletes the topics of this file's scopes, so that a developer's
 * stack does not fill up run after run (TW_KEEP_TEST_DATA=1 keeps them, for a post-mortem).
 */
export async function cleanUpScopes(): Promise<void> {
  const done = scopes.splice(0);
  if (done.length === 0 || process.env.TW_KEEP_TEST_DATA) return;
  // Dropping a database of many tables takes long on a loaded 18.16: a generous timeout, and a
  // failed clean-up is a warning, not a failed test file (it says nothing about the product).
  const store = createStore({ url: clickhouseUrl(), database: 'default', requestTimeoutMs: 300_000 });
  const admin = testKafka().admin();
  try {
    for (const s of done) await store.client.command({ query: `DROP DATABASE IF EXISTS ${s.database}` });
    await admin.connect();
    const topics = (await admin.listTopics()).filter((t) => done.some((s) => t.startsWith(s.topicPrefix)));
    if (topics.length > 0) await admin.deleteTopics({ topics });
  } catch (err) {
    console.warn(`test clean-up left some scopes behind: ${(err as Error).message}`);
  } finally {
    await admin.disconnect();
    await store.close();
  }
}

export function testKafka(): Kafka {
  return createKafka({ brokers: brokers(), clientId: 'tracewatch-test', retries: 5 });
}

export function testStore(database: string): Store {
  return createStore({ url: clickhouseUrl(), database });
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

/**
 * GET over a fresh connection (no keep-alive): a busy service's idle sockets may be closed
 * under a pooled client (ECONNRESET), which says nothing about the service.
 */
export function httpGet(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    get(url, { agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      res.on('error', reject);
    }).on('error', reject);
  });
}

/** An error's message with its causes (fetch says only "fetch failed"; the cause says why). */
function describeError(err: unknown): string {
  const parts: string[] = [];
  for (let e = err as { message?: string; cause?: unknown } | undefined; e && parts.length < 4; e = e.cause as typeof e)
    parts.push(String(e.message ?? e));
  return parts.join(': ');
}

/** Polls `check` until it returns true; fails with `what` and the last value seen. */
export async function waitFor(
  what: string,
  check: () => Promise<boolean>,
  timeoutMs = 60_000,
  everyMs = 250,
): Promise<void> {
  const until = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < until) {
    try {
      if (await check()) return;
    } catch (err) {
      lastError = err;
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(
    `timed out after ${timeoutMs} ms waiting for ${what}${lastError ? `: ${describeError(lastError)}` : ''}`,
  );
}

export interface IngestProcess {
  port: number;
  proc: ChildProcess;
  output: () => string;
  readyz: () => Promise<{ status: number; body: string }>;
  /** SIGTERM and wait for the exit code. */
  stop: () => Promise<number | null>;
  /** SIGKILL: no chance to finish anything. */
  kill: () => Promise<void>;
}

/** Every service process a test started: killed when the test process exits, whatever happened. */
const children = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of children) child.kill('SIGKILL');
});

/** Starts the built ingest service (services/ingest/dist) as a child process. */
export function startIngest(
  scope: ReturnType<typeof uniqueScope>,
  extraEnv: Record<string, string> = {},
): Promise<IngestProcess> {
  return startServiceProcess('ingest', scope, {
    KAFKA_GROUP_ID: scope.groupId,
    INGEST_BATCH_MAX_WAIT_MS: '100',
    ...extraEnv,
  });
}

/** Starts the built detector service (services/detector/dist), reading what ingest of `scope` stores. */
export function startDetector(
  scope: ReturnType<typeof uniqueScope>,
  extraEnv: Record<string, string> = {},
  options: { readyTimeoutMs?: number } = {},
): Promise<ServiceProcess> {
  return startServiceProcess(
    'detector',
    scope,
    {
      DETECTOR_GROUP_ID: `${scope.groupId}.detector`,
      DETECTOR_INGEST_GROUP_ID: scope.groupId,
      ALERT_KEEPER_GROUP_ID: `${scope.groupId}.keeper`,
      ...extraEnv,
    },
    options,
  );
}

export type ServiceProcess = IngestProcess;

/** Starts a built service (services/NAME/dist/main.js) on the scope's topics and database; waits for /readyz. */
export async function startServiceProcess(
  name: string,
  scope: ReturnType<typeof uniqueScope>,
  extraEnv: Record<string, string> = {},
  { readyTimeoutMs = 90_000 }: { readyTimeoutMs?: number } = {},
): Promise<ServiceProcess> {
  const port = await freePort();
  let out = '';
  const proc = spawn(process.execPath, [`${REPO_ROOT}services/${name}/dist/main.js`], {
    env: {
      ...process.env,
      KAFKA_BROKERS: brokers().join(','),
      CLICKHOUSE_URL: clickhouseUrl(),
      CLICKHOUSE_DATABASE: scope.database,
      TOPIC_PREFIX: scope.topicPrefix,
      HTTP_PORT: String(port),
      LOG_LEVEL: 'info',
      KAFKA_SESSION_TIMEOUT_MS: '8000',
      ...extraEnv,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  proc.stdout?.on('data', (b: Buffer) => {
    out += b.toString();
  });
  proc.stderr?.on('data', (b: Buffer) => {
    out += b.toString();
  });
  children.add(proc);
  const exited = new Promise<number | null>((resolve) =>
    proc.on('exit', (code) => {
      children.delete(proc);
      resolve(code);
    }),
  );
  const readyz = async () => {
    const r = await fetch(`http://127.0.0.1:${port}/readyz`);
    return { status: r.status, body: await r.text() };
  };
  const handle: ServiceProcess = {
    port,
    proc,
    output: () => out,
    readyz,
    stop: async () => {
      proc.kill('SIGTERM');
      return exited;
    },
    kill: async () => {
      proc.kill('SIGKILL');
      await exited;
    },
  };
  await waitFor(`${name} /readyz`, async () => (await readyz()).status === 200, readyTimeoutMs).catch((err: Error) => {
    proc.kill('SIGKILL');
    throw new Error(`${err.message}\n--- ${name} output ---\n${out.slice(-4000)}`);
  });
  return handle;
}

/** Produces raw values with keys, in chunks, acks from all replicas. */
export async function produceRaw(
  kafka: Kafka,
  topic: string,
  messages: Array<{ key?: string | null; value: string | Buffer | null }>,
): Promise<void> {
  const producer = kafka.producer({
    allowAutoTopicCreation: false,
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  await producer.connect();
  try {
    for (let i = 0; i < messages.length; i += 2000) {
      await producer.send({
        topic,
        acks: -1,
        messages: messages.slice(i, i + 2000).map((m) => ({ key: m.key ?? null, value: m.value })),
      });
    }
  } finally {
    await producer.disconnect();
  }
}

/** Reads every message of a topic from the beginning until `count` arrived (or times out). */
export async function readTopic(
  kafka: Kafka,
  topic: string,
  count: number,
  timeoutMs = 60_000,
): Promise<KafkaMessage[]> {
  return readTopicUntil(kafka, topic, `${count} messages`, (got) => got.length >= count, timeoutMs);
}

/** Reads `topic` from its beginning until `done` holds of what was read (then a little longer). */
export async function readTopicUntil(
  kafka: Kafka,
  topic: string,
  what: string,
  done: (got: readonly KafkaMessage[]) => boolean,
  timeoutMs = 60_000,
): Promise<KafkaMessage[]> {
  const consumer = kafka.consumer({ groupId: `reader_${randomBytes(4).toString('hex')}` });
  const got: KafkaMessage[] = [];
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message }) => {
      got.push(message);
    },
  });
  try {
    await waitFor(`${what} on ${topic} (have ${got.length} messages)`, async () => done(got), timeoutMs);
    await new Promise((r) => setTimeout(r, 500)); // catch any extra ones
  } finally {
    await consumer.disconnect();
  }
  return got;
}

/** Runs the built `tracewatch` CLI against the test servers; waits for it to exit. */
export function runCli(args: string[]) {
  return spawnSync(process.execPath, [`${REPO_ROOT}packages/cli/dist/main.js`, ...args], {
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, KAFKA_BROKERS: brokers().join(',') },
  });
}

/** Stops or starts the local stack's ClickHouse (only when the tests run on the local stack). */
export function localClickhouse(action: 'stop' | 'start'): void {
  execFileSync('bash', [`${REPO_ROOT}infra/local/stack.sh`, `clickhouse-${action}`], { stdio: 'pipe' });
}

/** Stops or starts the local stack's Kafka broker (same data and port when it comes back). */
export function localKafka(action: 'stop' | 'start'): void {
  execFileSync('bash', [`${REPO_ROOT}infra/local/stack.sh`, `kafka-${action}`], { stdio: 'pipe' });
}

export const runsOnLocalStack = () =>
  clickhouseUrl() === 'http://127.0.0.1:8123' && brokers().join(',') === '127.0.0.1:9092';
