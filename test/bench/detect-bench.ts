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
 * Traffic goes to 127.0.0.1 only; every wait is bounded.
 */

import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureTopics } from '@tracewatch/bus';
import { TOPIC_PARTITIONS, TOPICS } from '@tracewatch/schema';
import { simulateToDirectory } from '@tracewatch/simulator';
import { countTraceEvents } from '@tracewatch/store';
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

await main();
