/**
 * bench:detect — the detector service on the real Kafka and ClickHouse. Prints numbers; asserts
 * nothing about speed.
 *
 *   npm run bench:detect [-- --units 40 --months 12]
 *
 * 1. Simulates U units × M months (labelled fabrication), puts it all on the topics, then
 *    times ingest draining it into ClickHouse (events/s).
 * 2. A detector reading the same topic from its start (an empty store view): events/s next to
 *    ingest's drain in the same run, and its RSS over the empty process after each quarter of
 *    the months (the state's growth), per 1,000 orgs and per event.
 * 3. Rebuild: a detector starting on everything stored: start → ready.
 * 4. Alert latency (--phases latency): ingest and a detector with its alert keeper run as in
 *    test/detector.test.ts; a smaller simulation is produced in recording-time order, one
 *    simulated day every --pace-ms, and every alert created on the alerts topic is timed from
 *    the produce of the event that completed it (see latencyPhase).
 * Traffic goes to 127.0.0.1 only; every wait is bounded.
 *
 * 5. Rebuild at scale (--phases history): --history-events (default 10,000,000) written with the
 *    store's TableWriter straight into a database of its own (the drain's simulated world copied
 *    into independent platforms: every id, platform and org suffixed per copy, scoped
 *    evaluations and reported metrics likewise), then a detector starting on it: start → ready,
 *    with where the time went; the database is dropped afterwards.
 *
 *   --phases drain,latency,history   (default: drain,latency; drain covers 1–3)
 */

import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAlertChangedEvent } from '@tracewatch/alerts';
import { ensureTopics } from '@tracewatch/bus';
import { DAY_MS, localDayNumber } from '@tracewatch/detectors';
import { readStoredChunks } from '@tracewatch/live';
import {
  EVALUATION_COLUMNS,
  type Evaluation,
  evaluationRowBinary,
  REPORTED_METRIC_COLUMNS,
  type ReportedMetric,
  RowBinaryWriter,
  reportedMetricRowBinary,
  TOPIC_PARTITIONS,
  TOPICS,
  TRACE_EVENT_COLUMNS,
  type TraceEvent,
  traceEventRowBinary,
} from '@tracewatch/schema';
import { simulateToDirectory } from '@tracewatch/simulator';
import { countTraceEvents, migrate, type TableName, TableWriter, type WriteResult } from '@tracewatch/store';
import { Partitioners } from 'kafkajs';
import {
  cleanUpScopes,
  httpGet,
  startDetector,
  startIngest,
  testKafka,
  testStore,
  uniqueScope,
  waitFor,
} from '../support/harness.js';
import { REPO_ROOT } from '../support/servers.js';

const arg = (name: string, def: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : def;
};
const UNITS = arg('units', 40);
const MONTHS = arg('months', 12);
const phaseArg = process.argv.indexOf('--phases');
const PHASES = new Set((phaseArg > 0 ? process.argv[phaseArg + 1]! : 'drain,latency').split(','));
const fmt = (n: number) => Math.round(n).toLocaleString('en');
const metric = (text: string, name: string) => {
  const m = text.match(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'm'));
  return m ? Number(m[1]) : Number.NaN;
};
const detectorMetrics = async (port: number) => (await httpGet(`http://127.0.0.1:${port}/metrics`)).body;

/** The p-th percentile (0–100) of `xs`, nearest rank. */
function percentile(xs: readonly number[], p: number): number {
  if (xs.length === 0) return Number.NaN;
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

async function main() {
  if (PHASES.has('drain')) await drainPhase();
  if (PHASES.has('latency')) await latencyPhase();
  if (PHASES.has('history')) await historyPhase();
}

async function drainPhase() {
  const dir = await mkdtemp(join(tmpdir(), 'tw-bench-detect-'));
  console.log(`bench:detect: simulating ${UNITS} units × ${MONTHS} months`);
  await simulateToDirectory({ seed: 20260, units: UNITS, months: MONTHS }, dir);
  const lines = (await readFile(join(dir, 'events.jsonl'), 'utf8')).split('\n').filter((l) => l !== '');
  const orgs = new Set(lines.map((l) => (JSON.parse(l) as { data: { orgId: string } }).data.orgId)).size;
  const scope = uniqueScope('bench_detect');
  const produce = (file: string, topic: string) => {
    const r = spawnSync(
      process.execPath,
      [`${REPO_ROOT}packages/cli/dist/main.js`, 'produce', file, '--topic', topic, '--topic-prefix', scope.topicPrefix],
      { encoding: 'utf8', timeout: 900_000 },
    );
    if (r.status !== 0) throw new Error(r.stderr);
  };
  await ensureTopics(
    testKafka(),
    Object.entries(TOPIC_PARTITIONS).map(([t, numPartitions]) => ({
      topic: `${scope.topicPrefix}${t}`,
      numPartitions,
    })),
  );
  // Everything on the topics first, so that ingest's drain is measured alone.
  produce(join(dir, 'evaluations.jsonl'), TOPICS.evaluations);
  produce(join(dir, 'metrics.jsonl'), TOPICS.reportedMetrics);
  produce(join(dir, 'events.jsonl'), TOPICS.traceEvents);
  const store = testStore(scope.database);
  const t0 = performance.now();
  const ingest = await startIngest(scope);
  try {
    await waitFor('stored', async () => (await countTraceEvents(store)) >= lines.length, 900_000, 200);
    const ingestRate = lines.length / ((performance.now() - t0) / 1000);
    console.log(
      `\n${fmt(lines.length)} events, ${orgs} orgs over ${MONTHS} months; ingest drained them at ${fmt(ingestRate)} events/s`,
    );

    // The detector reading the same topic from its start (empty store view, no ingest offsets).
    const empty = uniqueScope('bench_detect_empty');
    const reader = await startDetector(
      { ...empty, topicPrefix: scope.topicPrefix },
      { DETECTOR_INGEST_GROUP_ID: `${empty.groupId}.none`, DETECTOR_GROUP_ID: `${empty.groupId}.reader` },
    );
    const t1 = performance.now();
    const rss = (m: string) => metric(m, 'tw_detector_process_process_resident_memory_bytes') / 2 ** 20;
    const baseMb = rss(await detectorMetrics(reader.port));
    const marks: string[] = [];
    for (const share of [0.25, 0.5, 0.75, 1]) {
      await waitFor(
        `the detector to read ${share * 100} % of the events`,
        async () => metric(await detectorMetrics(reader.port), 'tw_detector_events_total') >= share * lines.length,
        900_000,
        100,
      );
      const m = await detectorMetrics(reader.port);
      const grown = rss(m) - baseMb;
      marks.push(
        `  after ${share * MONTHS} months (${fmt(share * lines.length)} events): RSS ${fmt(rss(m))} MB, ${fmt(grown)} MB over the empty process = ${fmt((grown * 1000) / orgs)} MB per 1,000 orgs (${fmt((grown * 2 ** 20) / (share * lines.length))} bytes per event)`,
      );
    }
    const kafkaSeconds = (performance.now() - t1) / 1000;
    const m = await detectorMetrics(reader.port);
    console.log(
      `detector reading Kafka: ${fmt(lines.length / kafkaSeconds)} events/s = ${(lines.length / kafkaSeconds / ingestRate).toFixed(2)}× ingest's drain in this run (detection runs meanwhile: ${metric(m, 'tw_detector_evaluation_seconds_count')}, ${metric(m, 'tw_detector_evaluation_seconds_sum').toFixed(1)} s in all)`,
    );
    console.log(`state growth (empty process ${fmt(baseMb)} MB; the detectors keep 400 days, so it levels off there):`);
    for (const line of marks) console.log(line);
    await reader.stop();

    // Rebuild: a detector starting on what is stored.
    const t2 = performance.now();
    const rebuilt = await startDetector(scope, { DETECTOR_GROUP_ID: `${scope.groupId}.rebuild` });
    const rebuildSeconds = (performance.now() - t2) / 1000;
    const rm = await detectorMetrics(rebuilt.port);
    console.log(
      `rebuild: start → ready with ${fmt(lines.length)} events stored in ${rebuildSeconds.toFixed(1)} s (${fmt(lines.length / rebuildSeconds)} events/s; read ${metric(rm, 'tw_detector_rebuild_seconds').toFixed(1)} s); 10,000,000 events at that rate: ${((10_000_000 / lines.length) * rebuildSeconds).toFixed(0)} s`,
    );
    await rebuilt.stop();
  } finally {
    await store.close();
    await ingest.stop();
    await cleanUpScopes();
  }
}

/**
 * Alert latency on the real stack. Nothing is judged strictly on arrival: the engine runs when
 * the watermark enters a new local day (caught up) or on the interval, and every test, the
 * early warning burst-rising included, judges whole local days. So the event that completes a
 * pattern is the first one whose recording time moves the watermark (latest recording time −
 * allowed lateness) into the day after the pattern's last day; the latency is from producing it
 * to the alert's `created` change arriving on the alerts topic (read_committed), read here.
 *
 * Which day an alert needed: its firstSeenAt is the asOf of the run that found it, and that
 * run was started by the watermark entering the local day of that asOf. The event that moved
 * it there is "the completing event". Alerts found at the first run after their window's end
 * (burst-rising: after its alarm day) are the window-end latency; the others fired on a later
 * day (their test needed more data, or the multiple-testing family changed) and are counted.
 */
async function latencyPhase() {
  const units = arg('latency-units', 30);
  const months = arg('latency-months', 4);
  const tailDays = arg('tail-days', 35);
  const paceMs = arg('pace-ms', 3000);
  const lateness = 300_000;
  const everyMs = 60_000;
  const utcOffsetMinutes = 480;
  const dir = await mkdtemp(join(tmpdir(), 'tw-bench-latency-'));
  await simulateToDirectory({ seed: 7, units, months, scenarioRate: 0.6 }, dir);
  const events = (await readFile(join(dir, 'events.jsonl'), 'utf8'))
    .split('\n')
    .filter((l) => l !== '')
    .map((line) => {
      const e = JSON.parse(line) as { time: string; data: { orgId: string } };
      return { line, key: e.data.orgId, recordedAt: Date.parse(e.time) };
    })
    .sort((a, b) => a.recordedAt - b.recordedAt);
  const day = (t: number) => localDayNumber(t, utcOffsetMinutes);
  /** Epoch ms at which local day `d` starts. */
  const dayStart = (d: number) => d * DAY_MS - utcOffsetMinutes * 60_000;
  // The live tail begins a few days before the first simulated burst of the data's second half
  // (so early warnings fire in it), or covers the last --tail-days.
  const lastDay = day(events[events.length - 1]!.recordedAt);
  const midDay = Math.floor((day(events[0]!.recordedAt) + lastDay) / 2);
  const isoDay = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / DAY_MS;
  const burstStarts = (await readFile(join(dir, 'labels.jsonl'), 'utf8'))
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as { detectors: string[]; period: { start: string } })
    .filter((l) => l.detectors.includes('burst-before-evaluation'))
    .map((l) => isoDay(l.period.start))
    .filter((d) => d >= midDay && d < lastDay - 3);
  const firstTailDay = burstStarts.length > 0 ? Math.min(...burstStarts) - 3 : lastDay - tailDays + 1;
  const split = events.findIndex((e) => day(e.recordedAt) >= firstTailDay);
  const scope = uniqueScope('bench_latency');
  const kafka = testKafka();
  await ensureTopics(
    kafka,
    Object.entries(TOPIC_PARTITIONS).map(([t, numPartitions]) => ({
      topic: `${scope.topicPrefix}${t}`,
      numPartitions,
    })),
  );
  const cli = (file: string, topic: string) => {
    const r = spawnSync(
      process.execPath,
      [`${REPO_ROOT}packages/cli/dist/main.js`, 'produce', file, '--topic', topic, '--topic-prefix', scope.topicPrefix],
      { encoding: 'utf8', timeout: 600_000 },
    );
    if (r.status !== 0) throw new Error(r.stderr);
  };
  cli(join(dir, 'evaluations.jsonl'), TOPICS.evaluations);
  cli(join(dir, 'metrics.jsonl'), TOPICS.reportedMetrics);
  // The history before the tail: stored by ingest, rebuilt by the detector on start.
  const historyFile = join(dir, 'history.jsonl');
  await writeFile(
    historyFile,
    `${events
      .slice(0, split)
      .map((e) => e.line)
      .join('\n')}\n`,
  );
  cli(historyFile, TOPICS.traceEvents);
  const ingest = await startIngest(scope);
  const store = testStore(scope.database);
  await waitFor('the history stored', async () => (await countTraceEvents(store)) >= split, 900_000, 500);
  await store.close();
  const detector = await startDetector(
    scope,
    { DETECTOR_ALLOWED_LATENESS_MS: String(lateness), DETECTOR_EVALUATE_EVERY_MS: String(everyMs) },
    { readyTimeoutMs: 600_000 },
  );
  // The alerts topic as a reader sees it (kafkajs reads committed transactions only).
  const created = new Map<string, { at: number; firstSeenAt: number; detector: string; needDay: number }>();
  const reader = kafka.consumer({ groupId: `${scope.groupId}.latency-reader`, maxWaitTimeInMs: 100 });
  await reader.connect();
  await reader.subscribe({ topic: `${scope.topicPrefix}${TOPICS.alerts}`, fromBeginning: true });
  await reader.run({
    eachMessage: async ({ message }) => {
      const at = Date.now();
      const change = parseAlertChangedEvent(message.value).data;
      if (change.kind !== 'created' || created.has(change.fingerprint)) return;
      const f = change.alert.finding;
      const lead = f.detector === 'burst-rising' ? (f.statistics.leadDays ?? 0) : 0;
      created.set(change.fingerprint, {
        at,
        firstSeenAt: Date.parse(change.alert.firstSeenAt),
        detector: f.detector,
        // the last local day the finding needed complete (burst-rising: its alarm day)
        needDay: Date.parse(`${f.period.end}T00:00:00Z`) / DAY_MS - lead,
      });
    },
  });
  const producer = kafka.producer({
    allowAutoTopicCreation: false,
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  await producer.connect();
  /** Waits until no new alert has arrived for three turns of `everyMs`. */
  const settle = async (turnMs: number) => {
    let seen = -1;
    for (let quiet = 0; quiet < 3; ) {
      await new Promise((r) => setTimeout(r, turnMs));
      if (created.size === seen) quiet++;
      else quiet = 0;
      seen = created.size;
    }
  };
  /** Per batch sent: the latest recording time in it and when its send was issued. */
  const sent: Array<{ maxRecordedAt: number; at: number }> = [];
  try {
    await settle(5_000); // the alerts of the history
    const fromHistory = new Set(created.keys());
    const tail = events.slice(split);
    console.log(
      `\nalert latency: ${fmt(split)} events stored (rebuilt), then the last ${lastDay - firstTailDay + 1} days (${fmt(tail.length)} events) live, a day once the run of the day before is done (≥ ${paceMs / 1000} s apart); ${units} units × ${months} months; lateness ${lateness / 1000} s, interval ${everyMs / 1000} s; ${fromHistory.size} alerts from the history`,
    );
    // A day is sent once the run its previous day started has finished (and at least --pace-ms
    // after the previous one): live days are hours apart, so each is timed on a detector that is
    // not still busy with the day before (a backlog would measure compressed time, not latency).
    const runs = async () => metric(await detectorMetrics(detector.port), 'tw_detector_evaluation_seconds_count');
    let i = 0;
    for (let d = firstTailDay; i < tail.length; d++) {
      let j = i;
      while (j < tail.length && day(tail[j]!.recordedAt) === d) j++;
      if (j === i) continue;
      const batch = tail.slice(i, j);
      i = j;
      const before = await runs();
      const at = Date.now();
      sent.push({ maxRecordedAt: batch[batch.length - 1]!.recordedAt, at });
      await producer.send({
        topic: `${scope.topicPrefix}${TOPICS.traceEvents}`,
        acks: -1,
        messages: batch.map((e) => ({ key: e.key, value: e.line })),
      });
      await waitFor('the day-closed run', async () => (await runs()) > before, 120_000, 200).catch(() => undefined);
      await new Promise((r) => setTimeout(r, Math.max(1_000, at + paceMs - Date.now())));
    }
    await settle(5_000); // the last day's runs and the keeper's transactions
    /** When the event that moved the watermark into local day `d` was produced (null: before the tail). */
    const crossing = (d: number) => sent.find((b) => b.maxRecordedAt - lateness >= dayStart(d))?.at ?? null;
    const fromCompleting: number[] = [];
    const rising: number[] = [];
    const atWindowEnd: number[] = [];
    let later = 0;
    for (const [fingerprint, a] of created) {
      if (fromHistory.has(fingerprint)) continue;
      const runDay = day(a.firstSeenAt);
      const t = crossing(runDay);
      if (t === null) continue;
      const latency = (a.at - t) / 1000;
      fromCompleting.push(latency);
      if (a.detector === 'burst-rising') rising.push(latency);
      if (runDay === a.needDay + 1) atWindowEnd.push(latency);
      else later++;
    }
    const line = (xs: number[]) =>
      `p50 ${percentile(xs, 50).toFixed(2)} s, p95 ${percentile(xs, 95).toFixed(2)} s, max ${percentile(xs, 100).toFixed(2)} s (${xs.length} alerts)`;
    console.log(`  alerts created during the live tail: ${created.size - fromHistory.size}`);
    console.log(
      `  (a) burst-rising (early warning, fires when its alarm day closes): ${line(rising)}  [target p95 ≤ 2 s]`,
    );
    console.log(
      `  (a) every alert, from the produce of the event that completed it: ${line(fromCompleting)}  [target p95 ≤ 2 s]`,
    );
    console.log(
      `  (b) watermark passing the window's end → alert (found at the first run after it): ${line(atWindowEnd)}  [target ≤ ${everyMs / 1000 + 5} s]; ${later} fired on a later day (their test needed later data)`,
    );
    const m = await detectorMetrics(detector.port);
    console.log(
      `  detection runs: ${metric(m, 'tw_detector_evaluation_seconds_count')}, ${(metric(m, 'tw_detector_evaluation_seconds_sum') / metric(m, 'tw_detector_evaluation_seconds_count')).toFixed(2)} s each on average (the floor of every latency above)`,
    );
  } finally {
    await producer.disconnect();
    await reader.disconnect();
    await detector.stop();
    await ingest.stop();
    await cleanUpScopes().catch((err: Error) => console.warn(`clean-up failed: ${err.message}`));
  }
}

/** Rebuild with a large stored history (module comment, 5). */
async function historyPhase() {
  const target = arg('history-events', 10_000_000);
  const dir = await mkdtemp(join(tmpdir(), 'tw-bench-history-'));
  await simulateToDirectory({ seed: 20260, units: UNITS, months: MONTHS }, dir);
  const read = async <T>(name: string) =>
    (await readFile(join(dir, name), 'utf8'))
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as T);
  const events = await read<TraceEvent>('events.jsonl');
  const evaluations = await read<Evaluation>('evaluations.jsonl');
  const reported = await read<ReportedMetric>('metrics.jsonl');
  const copies = Math.ceil(target / events.length);
  const scope = uniqueScope('bench_history');
  const store = testStore(scope.database);
  try {
    await migrate(store);
    const now = Date.now();
    const writeAll = async <T>(
      table: TableName,
      columns: readonly string[],
      rows: Iterable<T>,
      encode: (w: RowBinaryWriter, r: T) => void,
    ) => {
      const writer = new TableWriter(store, table, columns, {
        format: 'RowBinary',
        maxRows: 200_000,
        maxConcurrentInserts: 2,
      });
      const pending: Promise<WriteResult>[] = [];
      let chunk = new RowBinaryWriter();
      const flush = async () => {
        const { data, rowEnds } = chunk.finish();
        pending.push(writer.write({ data, rowEnds, rows: rowEnds.length }));
        chunk = new RowBinaryWriter();
        if (pending.length >= 8) {
          const r = await pending.shift()!;
          if (r.status !== 'stored' || r.rejected.length > 0)
            throw new Error(`${table}: ${JSON.stringify(r).slice(0, 300)}`);
        }
      };
      for (const r of rows) {
        encode(chunk, r);
        chunk.endRow();
        if (chunk.rows >= 20_000) await flush();
      }
      if (chunk.rows > 0) await flush();
      for (const r of await Promise.all(pending))
        if (r.status !== 'stored' || r.rejected.length > 0)
          throw new Error(`${table}: ${JSON.stringify(r).slice(0, 300)}`);
    };
    const suffix = (k: number) => `.c${k}`;
    const t0 = performance.now();
    await writeAll(
      'trace_events',
      TRACE_EVENT_COLUMNS,
      (function* () {
        for (let k = 0; k < copies; k++)
          for (const e of events)
            yield {
              ...e,
              id: e.id + suffix(k),
              data: { ...e.data, platformId: e.data.platformId + suffix(k), orgId: e.data.orgId + suffix(k) },
            };
      })(),
      (w, e) => traceEventRowBinary(w, e, now),
    );
    // An evaluation of every platform stays one; a scoped one belongs to its copy.
    await writeAll(
      'evaluations',
      EVALUATION_COLUMNS,
      (function* () {
        for (const e of evaluations) {
          if (e.platformId === undefined && e.orgId === undefined) yield e;
          else
            for (let k = 0; k < copies; k++)
              yield {
                ...e,
                id: e.id + suffix(k),
                ...(e.platformId === undefined ? {} : { platformId: e.platformId + suffix(k) }),
                ...(e.orgId === undefined ? {} : { orgId: e.orgId + suffix(k) }),
              };
        }
      })(),
      (w, e) => evaluationRowBinary(w, e, now),
    );
    await writeAll(
      'reported_metrics',
      REPORTED_METRIC_COLUMNS,
      (function* () {
        for (let k = 0; k < copies; k++)
          for (const m of reported)
            yield { ...m, id: m.id + suffix(k), platformId: m.platformId + suffix(k), orgId: m.orgId + suffix(k) };
      })(),
      (w, m) => reportedMetricRowBinary(w, m, now),
    );
    const stored = await countTraceEvents(store);
    console.log(
      `\nhistory: ${fmt(stored)} events stored (${copies} copies of ${fmt(events.length)}: ${UNITS * copies} units × ${MONTHS} months) by the store's writer in ${((performance.now() - t0) / 1000).toFixed(0)} s`,
    );
    // The floor of the read: the same query, streamed and split into lines, nothing done with them.
    const t1 = performance.now();
    await readStoredChunks(store, () => undefined);
    const readSeconds = (performance.now() - t1) / 1000;
    console.log(
      `  reading it back alone (ClickHouse's query and TSV, HTTP, cutting whole-line chunks): ${readSeconds.toFixed(1)} s`,
    );

    const t2 = performance.now();
    const detector = await startDetector(
      scope,
      { DETECTOR_INGEST_GROUP_ID: `${scope.groupId}.none`, NODE_OPTIONS: '--max-old-space-size=12288' },
      { readyTimeoutMs: 900_000 },
    );
    const seconds = (performance.now() - t2) / 1000;
    const m = await detectorMetrics(detector.port);
    const rebuilt = detector
      .output()
      .split('\n')
      .filter((l) => l.includes('state rebuilt from ClickHouse'))
      .map((l) => JSON.parse(l) as Record<string, number>)[0];
    console.log(
      `  rebuild: start → ready in ${seconds.toFixed(1)} s (${fmt(stored / seconds)} events/s) [target ≤ 60 s]; the rebuild step ${rebuilt?.seconds} s: engine thread parsing ${rebuilt?.parseSeconds} s + feeding the detectors ${rebuilt?.observeSeconds} s; the reader waited for the engine ${rebuilt?.engineWaitSeconds} s; RSS ${fmt(metric(m, 'tw_detector_process_process_resident_memory_bytes') / 2 ** 20)} MB`,
    );
    await detector.stop();
  } finally {
    await store.close();
    await cleanUpScopes();
  }
}

await main();
