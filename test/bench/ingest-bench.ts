/**
 * bench:ingest — end-to-end ingest throughput on the real Kafka and ClickHouse.
 *
 *   npm run bench:ingest [-- --events 1000000]
 *
 * 1. Produces N trace events (~250 bytes) to a fresh trace-events topic while the ingest
 *    service (built, a child process) consumes it; prints events/s from the first produce to
 *    the last row visible in ClickHouse, and ingest's peak RSS.
 * 2. Baseline on the same topic data: ClickHouse consuming the topic itself through its
 *    Kafka table engine and a materialized view (no validation). If that engine cannot talk
 *    to this Kafka, says why and measures a clickhouse-client bulk insert of the same events.
 * Traffic goes to 127.0.0.1 only and is bounded by N and by timeouts.
 */
import { execFileSync, spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createKafka, ensureTopics } from '@tracewatch/bus';
import { TOPICS } from '@tracewatch/schema';
import { countTraceEvents, createStore, migrate, type Store } from '@tracewatch/store';
import type { Kafka } from 'kafkajs';
import { REPO_ROOT } from '../support/servers.js';

const argN = process.argv.indexOf('--events');
const N = argN > 0 ? Number(process.argv[argN + 1]) : 1_000_000;
const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
const clickhouseUrl = process.env.CLICKHOUSE_URL ?? 'http://127.0.0.1:8123';
const runId = Date.now().toString(36);
const prefix = `bench_${runId}.`;
const database = `tw_bench_${runId}`;
const topic = `${prefix}${TOPICS.traceEvents}`;
const TIMEOUT_MS = 15 * 60_000;
/** Node flags for the ingest process under test (none by default: measure what ships). */
const INGEST_NODE_FLAGS = (process.env.INGEST_NODE_FLAGS ?? '').split(' ').filter(Boolean);

const fmt = (n: number) => Math.round(n).toLocaleString('en');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A valid event of about 250 bytes, spread over 200 orgs and 5,000 actors. */
function benchEvent(i: number): { key: string; value: string } {
  const occurred = Date.UTC(2026, 2, 2) + i * 37;
  const org = `org-${String(i % 200).padStart(3, '0')}`;
  const e = {
    specversion: '1.0',
    id: `b${runId}-${i}`,
    source: 'platform/zwfw',
    type: 'gov.trace.v1',
    time: new Date(occurred + 1500).toISOString(),
    data: {
      platformId: 'zwfw',
      orgId: org,
      actorId: `a-${i % 5000}`,
      actorRole: 'staff',
      action: 'form.submit',
      occurredAt: new Date(occurred).toISOString(),
      value: i % 1000,
    },
  };
  return { key: org, value: JSON.stringify(e) };
}

/**
 * Writes the events as `key<TAB>value` lines (untimed), for the producer below. kafkajs
 * produces about 55k messages/s on this machine, which would cap any end-to-end figure; the
 * load is therefore sent by Kafka's own Java console producer from the same jars as the
 * broker, so that the number measured is the consumer side's.
 */
function writeEventsFile(): { file: string; bytes: number } {
  const file = `${tmpdir()}/tw-bench-${runId}.tsv`;
  const fd = openSync(file, 'w');
  let bytes = 0;
  // In chunks: one string of every line would pass V8's string limit beyond ~1.8 M events.
  for (let start = 0; start < N; start += 100_000) {
    const lines: string[] = [];
    for (let i = start; i < Math.min(N, start + 100_000); i++) {
      const m = benchEvent(i);
      bytes += m.value.length;
      lines.push(`${m.key}\t${m.value}\n`);
    }
    writeSync(fd, lines.join(''));
  }
  closeSync(fd);
  return { file, bytes };
}

function produceAll(file: string): Promise<{ ms: number; cpuSeconds: number }> {
  const started = Date.now();
  const libs = `${REPO_ROOT}.stack/kafka/libs/*`;
  const producer = spawn(
    'java',
    [
      '-Xmx512m',
      '-cp',
      libs,
      `-Dlog4j.configuration=file:${REPO_ROOT}infra/kafka/log4j.properties`,
      'kafka.tools.ConsoleProducer',
      '--bootstrap-server',
      brokers.join(','),
      '--topic',
      topic,
      '--property',
      'parse.key=true',
      '--property',
      'key.separator=\t',
      '--producer-property',
      'linger.ms=20',
      '--producer-property',
      'batch.size=1048576',
      '--producer-property',
      'acks=1',
    ],
    { stdio: [openSync(file, 'r'), 'ignore', 'inherit'] },
  );
  let cpu = 0;
  const sampler = setInterval(() => {
    cpu = cpuSeconds(producer.pid!) ?? cpu;
  }, 100);
  return new Promise((resolve, reject) => {
    producer.on('exit', (code) => {
      clearInterval(sampler);
      if (code === 0) resolve({ ms: Date.now() - started, cpuSeconds: cpu });
      else reject(new Error(`console producer exited ${code}`));
    });
  });
}

/**
 * Polls `count` until it reaches `target`; returns when it did. With `stallMs`, also returns
 * (reached < target) once the count has not moved for that long: a consumer that lost events.
 */
async function waitForCount(
  what: string,
  count: () => Promise<number>,
  target: number,
  stallMs?: number,
): Promise<{ at: number; reached: number }> {
  const until = Date.now() + TIMEOUT_MS;
  let last = -1;
  let lastReport = 0;
  let lastChange = Date.now();
  while (Date.now() < until) {
    const now = await count().catch(() => last);
    if (now !== last) {
      last = now;
      lastChange = Date.now();
    }
    if (last >= target) return { at: Date.now(), reached: last };
    if (stallMs !== undefined && last > 0 && Date.now() - lastChange > stallMs)
      return { at: lastChange, reached: last };
    if (Date.now() - lastReport > 5_000) {
      process.stderr.write(`  ${what}: ${fmt(last)} / ${fmt(target)}\n`);
      lastReport = Date.now();
    }
    await sleep(100);
  }
  throw new Error(`${what}: only ${last} of ${target} after ${TIMEOUT_MS / 1000}s`);
}

/** CPU time (user + system) a process has used so far, from /proc; undefined once it is gone. */
function cpuSeconds(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime, in USER_HZ = 100
  } catch {
    return undefined;
  }
}

/** The local stack's server pids (for the CPU breakdown), when the stack is ours. */
function stackPids(): { clickhouse?: number; kafka?: number } {
  const read = (f: string) => {
    try {
      return Number(readFileSync(`${REPO_ROOT}.stack/${f}`, 'utf8').trim()) || undefined;
    } catch {
      return undefined;
    }
  };
  return { clickhouse: read('clickhouse/clickhouse.pid'), kafka: read('kafka/kafka.pid') };
}

function peakRssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024;
}

function spawnIngest(db: string, groupId: string) {
  return spawn(process.execPath, [...INGEST_NODE_FLAGS, `${REPO_ROOT}services/ingest/dist/main.js`], {
    env: {
      ...process.env,
      KAFKA_BROKERS: brokers.join(','),
      CLICKHOUSE_URL: clickhouseUrl,
      CLICKHOUSE_DATABASE: db,
      TOPIC_PREFIX: prefix,
      KAFKA_GROUP_ID: groupId,
      HTTP_PORT: '18190',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
}

/**
 * The same topic again, already complete, drained by ingest with a fresh group into a fresh
 * database: the same conditions as the Kafka-engine baseline (no producer running). Timed
 * from the process start, so start-up and migrations count against it.
 */
async function runIngestDrain(): Promise<{ ms: number; cpu: { ingest: number; clickhouse: number; kafka: number } }> {
  const drainDb = `${database}_drain`;
  const drainStore = createStore({ url: clickhouseUrl, database: drainDb });
  const servers = stackPids();
  const serverCpu = () => ({
    clickhouse: servers.clickhouse ? (cpuSeconds(servers.clickhouse) ?? 0) : Number.NaN,
    kafka: servers.kafka ? (cpuSeconds(servers.kafka) ?? 0) : Number.NaN,
  });
  const before = serverCpu();
  const t0 = Date.now();
  const ingest = spawnIngest(drainDb, `bench-drain-${runId}`);
  const t1 = (await waitForCount('ingest (drain)', () => countTraceEvents(drainStore), N)).at;
  const after = serverCpu();
  const ingestCpu = cpuSeconds(ingest.pid!) ?? Number.NaN;
  ingest.kill('SIGTERM');
  await new Promise((r) => ingest.on('exit', r));
  await drainStore.client.command({ query: `DROP DATABASE IF EXISTS ${drainDb}` });
  await drainStore.close();
  return {
    ms: t1 - t0,
    cpu: { ingest: ingestCpu, clickhouse: after.clickhouse - before.clickhouse, kafka: after.kafka - before.kafka },
  };
}

async function runIngest(store: Store, eventsFile: string) {
  const ingest = spawnIngest(database, `bench-ingest-${runId}`);
  const until = Date.now() + 120_000;
  while (Date.now() < until) {
    const ok = await fetch('http://127.0.0.1:18190/readyz').then(
      (r) => r.status === 200,
      () => false,
    );
    if (ok) break;
    await sleep(200);
  }
  const servers = stackPids();
  const cpuAtStart = {
    ingest: cpuSeconds(ingest.pid!) ?? 0,
    clickhouse: servers.clickhouse ? (cpuSeconds(servers.clickhouse) ?? 0) : 0,
    kafka: servers.kafka ? (cpuSeconds(servers.kafka) ?? 0) : 0,
  };
  const t0 = Date.now();
  let peak = 0;
  const sampler = setInterval(() => {
    try {
      peak = Math.max(peak, peakRssMb(ingest.pid!));
    } catch {}
  }, 500);
  const produced = await produceAll(eventsFile);
  const t1 = (await waitForCount('ingest', () => countTraceEvents(store), N)).at;
  peak = Math.max(peak, peakRssMb(ingest.pid!));
  clearInterval(sampler);
  const cpu = {
    ingest: (cpuSeconds(ingest.pid!) ?? 0) - cpuAtStart.ingest,
    clickhouse: servers.clickhouse ? (cpuSeconds(servers.clickhouse) ?? 0) - cpuAtStart.clickhouse : Number.NaN,
    kafka: servers.kafka ? (cpuSeconds(servers.kafka) ?? 0) - cpuAtStart.kafka : Number.NaN,
    producer: produced.cpuSeconds,
  };
  ingest.kill('SIGTERM');
  await new Promise((r) => ingest.on('exit', r));
  return { ms: t1 - t0, produced, peakRssMb: peak, cpu };
}

/**
 * The two Kafka-engine baselines: ClickHouse consuming the topic itself (Kafka table engine +
 * materialized view, no validation) into
 * - 'same tables': a database migrated like tracewatch's, every column of trace_events
 *   extracted, the hourly rollups fed by their views: the same stored result, like for like;
 * - 'minimal': five columns into a plain MergeTree, no rollups: the least work ClickHouse can do.
 */
type BaselineVariant = 'same tables' | 'minimal';

/** Column expressions for the view, extracting from the raw JSON message (18.16 has no JSONExtract). */
const str = (key: string) => `visitParamExtractString(raw, '${key}')`;
const instantSeconds = (key: string) => `parseDateTimeBestEffort(${str(key)})`;
const instantMillis = (key: string) => `toUInt16OrZero(substring(${str(key)}, 21, 3))`;
const optional = (key: string, expr: string, type: string) =>
  `if(visitParamHas(raw, '${key}'), CAST(${expr} AS Nullable(${type})), CAST(NULL AS Nullable(${type})))`;
const SAME_TABLES_SELECT = `
  ${str('id')} AS event_id, ${str('source')} AS source, ${str('platformId')} AS platform_id,
  ${str('orgId')} AS org_id, ${str('actorId')} AS actor_id, ${str('actorRole')} AS actor_role,
  ${str('action')} AS action,
  ${instantSeconds('occurredAt')} AS occurred_at, ${instantMillis('occurredAt')} AS occurred_ms,
  ${instantSeconds('time')} AS recorded_at, ${instantMillis('time')} AS recorded_ms,
  ${str('taskId')} AS task_id,
  ${optional('assignedAt', instantSeconds('assignedAt'), "DateTime('UTC')")} AS assigned_at,
  ${optional('deadline', instantSeconds('deadline'), "DateTime('UTC')")} AS deadline,
  ${optional('value', "visitParamExtractFloat(raw, 'value')", 'Float64')} AS value,
  ${optional('valueDenominator', "visitParamExtractFloat(raw, 'valueDenominator')", 'Float64')} AS value_denominator,
  ${optional('durationMs', "visitParamExtractUInt(raw, 'durationMs')", 'UInt32')} AS duration_ms,
  ${str('contentHash')} AS content_hash, ${str('simhash')} AS simhash,
  ${str('sessionHash')} AS session_hash, ${str('deviceHash')} AS device_hash, now() AS ingested_at`;

async function runKafkaEngineBaseline(
  kafka: Kafka,
  variant: BaselineVariant,
): Promise<{ ms: number; clickhouseCpuSeconds: number; stored: number } | { failed: string }> {
  const db = `${database}_${variant === 'minimal' ? 'kmin' : 'ksame'}`;
  const group = `bench-ch-${variant === 'minimal' ? 'min' : 'same'}-${runId}`;
  const store = createStore({ url: clickhouseUrl, database: db });
  // ClickHouse 18.16 starts a new group at the end of the topic: commit the beginning for it.
  const admin = kafka.admin();
  await admin.connect();
  const low = await admin.fetchTopicOffsets(topic);
  await admin.setOffsets({
    groupId: group,
    topic,
    partitions: low.map((p) => ({ partition: p.partition, offset: p.low })),
  });
  await admin.disconnect();
  const c = store.client;
  let target: string;
  let select: string;
  let count: () => Promise<number>;
  if (variant === 'same tables') {
    await migrate(store);
    target = `${db}.trace_events`;
    select = SAME_TABLES_SELECT;
    count = () => countTraceEvents(store);
  } else {
    await c.command({ query: `CREATE DATABASE IF NOT EXISTS ${db}` });
    await c.command({
      query: `CREATE TABLE ${db}.baseline_events (event_id String, org_id String, actor_id String, action String, occurred_at DateTime('UTC'))
              ENGINE = MergeTree ORDER BY (org_id, occurred_at, event_id)`,
    });
    target = `${db}.baseline_events`;
    select = `${str('id')} AS event_id, ${str('orgId')} AS org_id, ${str('actorId')} AS actor_id,
              ${str('action')} AS action, ${instantSeconds('occurredAt')} AS occurred_at`;
    count = async () => {
      const rs = await c.query({ query: `SELECT count() AS n FROM ${target}`, format: 'JSONEachRow' });
      return Number((await rs.json<{ n: string }>())[0]?.n ?? 0);
    };
  }
  // 18.16 cannot read nested JSON with JSONEachRow: take each message as one string and
  // extract the fields in the view (the same parsing work, minus the validation).
  await c.command({
    query: `CREATE TABLE ${db}.baseline_queue (raw String) ENGINE = Kafka
            SETTINGS kafka_broker_list = '${brokers.join(',')}', kafka_topic_list = '${topic}',
                     kafka_group_name = '${group}', kafka_format = 'TabSeparated', kafka_row_delimiter = '\\n', kafka_num_consumers = 1`,
  });
  const clickhousePid = stackPids().clickhouse;
  const cpu0 = clickhousePid ? (cpuSeconds(clickhousePid) ?? 0) : Number.NaN;
  const t0 = Date.now();
  await c.command({
    query: `CREATE MATERIALIZED VIEW ${db}.baseline_mv TO ${target} AS SELECT ${select} FROM ${db}.baseline_queue`,
  });
  const cleanUp = async () => {
    await c.command({ query: `DROP TABLE ${db}.baseline_mv` });
    await c.command({ query: `DROP TABLE ${db}.baseline_queue` });
    if (!process.env.BENCH_KEEP) await c.command({ query: `DROP DATABASE IF EXISTS ${db}` });
    await store.close();
  };
  // No progress at all within 60 s means the engine cannot consume from this Kafka.
  const probeUntil = Date.now() + 60_000;
  while (Date.now() < probeUntil && (await count()) === 0) await sleep(500);
  if ((await count()) === 0) {
    const log = (() => {
      try {
        return execFileSync(
          'bash',
          ['-c', `grep -i -E 'rdkafka|kafka' ${REPO_ROOT}.stack/clickhouse/log/*.err.log | tail -3`],
          { encoding: 'utf8' },
        );
      } catch {
        return '';
      }
    })();
    await cleanUp();
    return { failed: `no row consumed within 60 s${log ? `; server log: ${log.trim()}` : ''}` };
  }
  // ClickHouse 18.16's Kafka engine has been seen to lose a few events: stop waiting once the
  // count stands still for a minute, and report how many it stored.
  const { at, reached } = await waitForCount(`kafka engine (${variant})`, count, N, 60_000);
  const clickhouseCpuSeconds = clickhousePid ? (cpuSeconds(clickhousePid) ?? 0) - cpu0 : Number.NaN;
  await cleanUp();
  return { ms: at - t0, clickhouseCpuSeconds, stored: reached };
}

/** Fallback baseline: the same events through clickhouse-client as one bulk JSONEachRow insert. */
async function runClientBulkBaseline(store: Store): Promise<{ ms: number }> {
  await store.client.command({
    query: `CREATE TABLE IF NOT EXISTS ${database}.baseline_events (event_id String, org_id String, actor_id String, action String, occurred_at DateTime('UTC'))
            ENGINE = MergeTree ORDER BY (org_id, occurred_at, event_id)`,
  });
  const file = `${tmpdir()}/tw-bench-${runId}.jsonl`;
  const fd = openSync(file, 'w');
  for (let start = 0; start < N; start += 100_000) {
    const lines: string[] = [];
    for (let i = start; i < Math.min(N, start + 100_000); i++) {
      const e = JSON.parse(benchEvent(i).value);
      const row = {
        event_id: e.id,
        org_id: e.data.orgId,
        actor_id: e.data.actorId,
        action: e.data.action,
        occurred_at: Math.floor(Date.parse(e.data.occurredAt) / 1000),
      };
      lines.push(`${JSON.stringify(row)}\n`);
    }
    writeSync(fd, lines.join(''));
  }
  closeSync(fd);
  const t0 = Date.now();
  execFileSync('bash', [
    '-c',
    `clickhouse-client --port 19000 --query "INSERT INTO ${database}.baseline_events FORMAT JSONEachRow" < ${file}`,
  ]);
  return { ms: Date.now() - t0 };
}

async function main() {
  const store = createStore({ url: clickhouseUrl, database });
  const kafka = createKafka({ brokers, clientId: 'bench-admin' });
  await ensureTopics(kafka, [{ topic, numPartitions: 6 }]);
  console.log(`bench:ingest — ${fmt(N)} events, topic ${topic}, database ${database}, ${new Date().toISOString()}`);

  const events = writeEventsFile();
  const ingest = await runIngest(store, events.file);
  const ingestRate = N / (ingest.ms / 1000);
  console.log(
    `producer (Kafka's console producer, JVM start included): ${fmt(N / (ingest.produced.ms / 1000))} events/s; ${fmt(events.bytes / N)} bytes/event on average, ${(events.bytes / 1e6).toFixed(0)} MB`,
  );
  console.log(
    `tracewatch ingest:  ${fmt(ingestRate)} events/s end to end (first produce → last row visible, ${(ingest.ms / 1000).toFixed(1)} s), validation included; peak RSS ${ingest.peakRssMb.toFixed(0)} MB`,
  );

  const wall = ingest.ms / 1000;
  const perEvent = (sec: number) => `${((sec / N) * 1e6).toFixed(1)} µs/event`;
  console.log(
    `CPU during that window (2 cores = ${(2 * wall).toFixed(1)} CPU-s available): ` +
      Object.entries(ingest.cpu)
        .map(([k, v]) => `${k} ${v.toFixed(1)} s (${perEvent(v)})`)
        .join(', '),
  );
  const baselines: Array<{ name: string; rate: number; cpu: number; note: string }> = [];
  for (const variant of ['same tables', 'minimal'] as const) {
    const b = await runKafkaEngineBaseline(kafka, variant);
    if ('failed' in b) {
      console.log(`ClickHouse Kafka engine could not consume this topic: ${b.failed}`);
      const bulk = await runClientBulkBaseline(store);
      baselines.push({
        name: 'clickhouse-client bulk insert (fallback)',
        rate: N / (bulk.ms / 1000),
        cpu: Number.NaN,
        note: '',
      });
      break;
    }
    const lost = N - b.stored;
    baselines.push({
      name: `ClickHouse Kafka engine + MV, ${variant === 'minimal' ? 'minimal: 5 columns into a plain MergeTree, no rollups' : 'same tables: every trace_events column, rollups fed'}`,
      // events/s of what it stored; events it lost are named, not counted
      rate: b.stored / (b.ms / 1000),
      cpu: b.clickhouseCpuSeconds,
      note: lost > 0 ? `; LOST ${fmt(lost)} of ${fmt(N)} events (the count stood still for 60 s)` : '',
    });
  }
  for (const b of baselines)
    console.log(`baseline (${b.name}): ${fmt(b.rate)} events/s; ClickHouse ${perEvent(b.cpu)}${b.note}`);
  const drain = await runIngestDrain();
  const drainRate = N / (drain.ms / 1000);
  console.log(
    `tracewatch ingest draining the same topic (as the baselines do; start-up included): ${fmt(drainRate)} events/s; ` +
      `CPU ingest ${perEvent(drain.cpu.ingest)}, ClickHouse ${perEvent(drain.cpu.clickhouse)}, Kafka ${perEvent(drain.cpu.kafka)}`,
  );
  for (const b of baselines)
    console.log(
      `ratio tracewatch drain / baseline (${b.name.split(',')[1]?.split(':')[0]?.trim() ?? b.name}): ${(drainRate / b.rate).toFixed(2)}`,
    );
  const likeForLike = baselines[0]!;
  console.log(
    `target ≥ 100,000 events/s end to end: ${ingestRate >= 100_000 ? 'met' : 'NOT met'}; ` +
      `not slower than the like-for-like baseline: ${drainRate >= likeForLike.rate ? 'met' : 'NOT met'}; ` +
      `than the minimal one: ${drainRate >= (baselines[1]?.rate ?? Number.POSITIVE_INFINITY) ? 'met' : 'NOT met'}`,
  );
  if (!process.env.BENCH_KEEP) {
    await store.client.command({ query: `DROP DATABASE IF EXISTS ${database}` });
    const admin = kafka.admin();
    await admin.connect();
    await admin
      .deleteTopics({
        topics: [
          topic,
          ...Object.values(TOPICS)
            .filter((t) => t !== TOPICS.traceEvents)
            .map((t) => `${prefix}${t}`),
        ],
      })
      .catch(() => undefined);
    await admin.disconnect();
  }
  await store.close();
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
