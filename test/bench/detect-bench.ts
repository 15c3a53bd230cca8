/**
 * bench:detect — the detector service on the real Kafka and ClickHouse. Prints numbers; asserts
 * nothing about speed.
 *
 *   npm run bench:detect [-- --units 40 --months 12]
 *
 * 1. Simulates U units × M months (labelled fabrication) and lets ingest store them: ingest's
 *    drain rate (events/s, first produce → last row stored).
 * 2. Rebuild: a detector started on the stored events: start → ready (state rebuilt), events/s,
 *    and its RSS per 1,000 active orgs after the rebuild; the same RSS read after each quarter
 *    of the events is the growth over the simulated months.
 * 3. Throughput: a detector with an empty store view reads the same topic from its start (the
 *    ingest group it is pointed at has no offsets): events/s from Kafka, next to ingest's rate.
 * Traffic goes to 127.0.0.1 only; every wait is bounded.
 */
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TOPICS } from '@tracewatch/schema';
import { simulateToDirectory } from '@tracewatch/simulator';
import { countTraceEvents } from '@tracewatch/store';
import {
  cleanUpScopes,
  httpGet,
  runCli,
  startDetector,
  startIngest,
  testStore,
  uniqueScope,
  waitFor,
} from '../support/harness.js';

const arg = (name: string, def: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : def;
};
const UNITS = arg('units', 40);
const MONTHS = arg('months', 12);
const fmt = (n: number) => Math.round(n).toLocaleString('en');
const metric = (text: string, name: string) => {
  const m = text.match(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'm'));
  return m ? Number(m[1]) : Number.NaN;
};
const detectorMetrics = async (port: number) => (await httpGet(`http://127.0.0.1:${port}/metrics`)).body;

async function main() {
  const dir = await mkdtemp(join(tmpdir(), 'tw-bench-detect-'));
  console.log(`bench:detect: simulating ${UNITS} units × ${MONTHS} months`);
  await simulateToDirectory({ seed: 20260, units: UNITS, months: MONTHS }, dir);
  const lines = (await readFile(join(dir, 'events.jsonl'), 'utf8')).split('\n').filter((l) => l !== '');
  const orgs = new Set(lines.map((l) => (JSON.parse(l) as { data: { orgId: string } }).data.orgId)).size;
  const scope = uniqueScope('bench_detect');
  const produce = (file: string, topic: string) => {
    const r = runCli(['produce', file, '--topic', topic, '--topic-prefix', scope.topicPrefix]);
    if (r.status !== 0) throw new Error(r.stderr);
  };
  const ingest = await startIngest(scope);
  const store = testStore(scope.database);
  try {
    produce(join(dir, 'evaluations.jsonl'), TOPICS.evaluations);
    produce(join(dir, 'metrics.jsonl'), TOPICS.reportedMetrics);
    const quarters: Array<{ events: number; rssMb: number; seconds: number }> = [];
    let ingestRate = 0;
    let storeSeconds = 0;
    // Stored a quarter at a time; a detector rebuilt after each quarter tells the state's growth.
    for (let q = 1; q <= 4; q++) {
      const part = lines.slice(Math.floor(((q - 1) * lines.length) / 4), Math.floor((q * lines.length) / 4));
      const file = join(dir, `part${q}.jsonl`);
      await writeFile(file, `${part.join('\n')}\n`);
      const started = performance.now();
      produce(file, TOPICS.traceEvents);
      const target = Math.floor((q * lines.length) / 4);
      await waitFor('stored', async () => (await countTraceEvents(store)) >= target, 600_000, 200);
      storeSeconds += (performance.now() - started) / 1000;
      const t0 = performance.now();
      const detector = await startDetector(scope, { DETECTOR_GROUP_ID: `${scope.groupId}.bench${q}` });
      const seconds = (performance.now() - t0) / 1000;
      const m = await detectorMetrics(detector.port);
      quarters.push({
        events: target,
        rssMb: metric(m, 'tw_detector_process_process_resident_memory_bytes') / 2 ** 20,
        seconds,
      });
      await detector.stop();
    }
    ingestRate = lines.length / storeSeconds;
    console.log(
      `\n${fmt(lines.length)} events, ${orgs} orgs; ingest stored them at ${fmt(ingestRate)} events/s (produce → stored)`,
    );
    console.log('rebuild (start → ready, state from ClickHouse) and RSS after it, by months of data:');
    for (const [i, q] of quarters.entries()) {
      console.log(
        `  ${((i + 1) * MONTHS) / 4} months, ${fmt(q.events)} events: ${q.seconds.toFixed(1)} s (${fmt(q.events / q.seconds)} events/s), RSS ${fmt(q.rssMb)} MB = ${fmt((q.rssMb * 1000) / orgs)} MB per 1,000 orgs`,
      );
    }
    const last = quarters.at(-1)!;
    console.log(
      `  extrapolated rebuild of 10,000,000 events at that rate: ${((10_000_000 / last.events) * last.seconds).toFixed(0)} s`,
    );

    // Throughput from Kafka: an empty database view and an ingest group without offsets.
    const empty = uniqueScope('bench_detect_empty');
    const t0 = performance.now();
    const reader = await startDetector(
      { ...empty, topicPrefix: scope.topicPrefix },
      { DETECTOR_INGEST_GROUP_ID: `${empty.groupId}.none`, DETECTOR_EVALUATE_EVERY_MS: '600000' },
    );
    await waitFor(
      'the detector to read every event from Kafka',
      async () => metric(await detectorMetrics(reader.port), 'tw_detector_events_total') >= lines.length,
      900_000,
      200,
    );
    const kafkaSeconds = (performance.now() - t0) / 1000;
    const m = await detectorMetrics(reader.port);
    console.log(
      `detector reading Kafka: ${fmt(lines.length / kafkaSeconds)} events/s (start → all read, ${kafkaSeconds.toFixed(1)} s) = ${(lines.length / kafkaSeconds / ingestRate).toFixed(2)}× ingest's rate in this run; last detection run ${metric(m, 'tw_detector_evaluation_seconds_sum').toFixed(1)} s in all`,
    );
    await reader.stop();
  } finally {
    await store.close();
    await ingest.stop();
    await cleanUpScopes();
  }
}

await main();
