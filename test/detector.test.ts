/**
 * The detector service on the real Kafka and ClickHouse, against `tracewatch analyze` on the
 * same files (the parity contract, DESIGN.md): the fingerprints the service leaves active on
 * the alert-commands topic (last command per fingerprint a finding) equal analyze's findings.
 */

import { mkdtempSync } from 'node:fs';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AlertmanagerClient } from '@tracewatch/alertmanager';
import { alertHistory, loadActiveAlerts } from '@tracewatch/alerts';
import { analyzeFiles } from '@tracewatch/cli';
import { alertCommandSchema, TOPICS } from '@tracewatch/schema';
import { simulateToDirectory } from '@tracewatch/simulator';
import { countTraceEvents } from '@tracewatch/store';
import type { Consumer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertmanagerScratch, TestAlertmanager } from './support/alertmanager.js';
import {
  cleanUpScopes,
  freePort,
  httpGet,
  runCli,
  type ServiceProcess,
  startDetector,
  startIngest,
  testKafka,
  testStore,
  uniqueScope,
  waitFor,
} from './support/harness.js';

let dir: string;
let expected: string[];
let lines: string[];
let asOf: number;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tw-detector-'));
  await simulateToDirectory({ seed: 5, units: 12, months: 3, scenarioRate: 0.5 }, dir);
  lines = (await readFile(join(dir, 'events.jsonl'), 'utf8')).split('\n').filter((l) => l !== '');
  const result = await analyzeFiles({
    events: join(dir, 'events.jsonl'),
    evaluations: join(dir, 'evaluations.jsonl'),
    metrics: join(dir, 'metrics.jsonl'),
  });
  expected = (result.findings ?? []).map((f) => f.fingerprint).sort();
  asOf = result.stats.asOf!;
}, 120_000);

afterAll(cleanUpScopes);

/** Follows the alert-commands topic; `active()` is the set whose last command is a finding. */
async function followCommands(topic: string) {
  const kafka = testKafka();
  const consumer: Consumer = kafka.consumer({ groupId: `reader_${Date.now()}_${Math.random()}` });
  const last = new Map<string, string>();
  let count = 0;
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message }) => {
      const c = alertCommandSchema.parse(JSON.parse(message.value!.toString()));
      count++;
      if (c.kind === 'finding') last.set(c.finding.fingerprint, 'finding');
      else if (c.kind === 'withdraw') last.set(c.fingerprint, 'withdraw');
    },
  });
  return {
    active: () =>
      [...last]
        .filter(([, k]) => k === 'finding')
        .map(([f]) => f)
        .sort(),
    count: () => count,
    stop: () => consumer.disconnect(),
  };
}

function produce(scope: ReturnType<typeof uniqueScope>, file: string, topic: string) {
  const r = runCli(['produce', file, '--topic', topic, '--topic-prefix', scope.topicPrefix]);
  expect(r.status, r.stderr).toBe(0);
}

async function produceEvents(scope: ReturnType<typeof uniqueScope>, part: string[], name: string) {
  const { writeFile } = await import('node:fs/promises');
  const file = join(dir, `${scope.id}-${name}.jsonl`);
  await writeFile(file, `${part.join('\n')}\n`);
  produce(scope, file, TOPICS.traceEvents);
}

async function storedAll(scope: ReturnType<typeof uniqueScope>, n: number) {
  const store = testStore(scope.database);
  try {
    await waitFor(`${n} events stored`, async () => (await countTraceEvents(store)) >= n, 120_000);
  } finally {
    await store.close();
  }
}

function produceCalendarAndMetrics(scope: ReturnType<typeof uniqueScope>) {
  produce(scope, join(dir, 'evaluations.jsonl'), TOPICS.evaluations);
  produce(scope, join(dir, 'metrics.jsonl'), TOPICS.reportedMetrics);
}

/** Parity: the commands leave active exactly analyze's findings, and the alert store agrees. */
async function expectParity(
  commands: Awaited<ReturnType<typeof followCommands>>,
  scope: ReturnType<typeof uniqueScope>,
) {
  await waitFor(
    `the active set to equal analyze's ${expected.length} findings`,
    async () => JSON.stringify(commands.active()) === JSON.stringify(expected),
    120_000,
  );
  expect(commands.active()).toEqual(expected);
  await expectAlertStore(scope);
}

/** The alert store agrees: the active alerts are analyze's findings, each with one history row per version. */
async function expectAlertStore(scope: ReturnType<typeof uniqueScope>) {
  const store = testStore(scope.database);
  try {
    await waitFor(
      'the alert store to hold exactly the findings as active alerts',
      async () =>
        JSON.stringify((await loadActiveAlerts(store)).map((a) => a.fingerprint).sort()) === JSON.stringify(expected),
      60_000,
    );
    const sample = (await loadActiveAlerts(store))[0]!;
    const history = await alertHistory(store, sample.fingerprint);
    expect(history.map((h) => h.version)).toEqual(history.map((_, i) => i + 1));
  } finally {
    await store.close();
  }
}

const detectorEnv = { DETECTOR_ALLOWED_LATENESS_MS: '0', DETECTOR_EVALUATE_EVERY_MS: '300' };

describe('detector service', () => {
  it('leaves active exactly the findings analyze gives on the same files', async () => {
    expect(expected.length).toBeGreaterThan(3);
    const scope = uniqueScope('det_parity');
    const ingest = await startIngest(scope);
    const detectors: ServiceProcess[] = [];
    const commands = await followCommands(`${scope.topicPrefix}${TOPICS.alertCommands}`);
    try {
      produceCalendarAndMetrics(scope);
      // Half stored before the detector starts (its rebuild), half read from Kafka after.
      const half = Math.floor(lines.length / 2);
      await produceEvents(scope, lines.slice(0, half), 'first');
      await storedAll(scope, half);
      detectors.push(await startDetector(scope, detectorEnv));
      await produceEvents(scope, lines.slice(half), 'second');
      await expectParity(commands, scope);
      const metrics = (await httpGet(`http://127.0.0.1:${detectors[0]!.port}/metrics`)).body;
      expect(metrics).toMatch(/^tw_detector_leader 1$/m);
      expect(metrics).toMatch(new RegExp(`tw_detector_watermark_seconds ${asOf / 1000}`));
    } finally {
      await commands.stop();
      for (const d of detectors) await d.stop();
      await ingest.stop();
    }
  });

  it('decides the same when killed with SIGKILL mid-stream and restarted', async () => {
    const scope = uniqueScope('det_kill');
    const ingest = await startIngest(scope);
    const commands = await followCommands(`${scope.topicPrefix}${TOPICS.alertCommands}`);
    let detector: ServiceProcess | undefined;
    try {
      produceCalendarAndMetrics(scope);
      detector = await startDetector(scope, detectorEnv);
      const third = Math.floor(lines.length / 3);
      await produceEvents(scope, lines.slice(0, 2 * third), 'first');
      await waitFor('a first evaluation', async () => commands.count() > 0, 60_000);
      await detector.kill();
      await produceEvents(scope, lines.slice(2 * third), 'second');
      detector = await startDetector(scope, detectorEnv);
      await expectParity(commands, scope);
    } finally {
      await commands.stop();
      await detector?.stop();
      await ingest.stop();
    }
  });

  it('with two instances in one group, one emits; when it leaves the other takes over and decides alike', {
    timeout: 300_000,
  }, async () => {
    const scope = uniqueScope('det_two');
    const ingest = await startIngest(scope);
    const commands = await followCommands(`${scope.topicPrefix}${TOPICS.alertCommands}`);
    const running: ServiceProcess[] = [];
    const isLeader = async (d: ServiceProcess) =>
      /^tw_detector_leader 1$/m.test((await httpGet(`http://127.0.0.1:${d.port}/metrics`)).body);
    try {
      produceCalendarAndMetrics(scope);
      running.push(await startDetector(scope, detectorEnv), await startDetector(scope, detectorEnv));
      const half = Math.floor(lines.length / 2);
      await produceEvents(scope, lines.slice(0, half), 'first');
      await waitFor(
        'exactly one leader',
        async () => (await Promise.all(running.map(isLeader))).filter(Boolean).length === 1,
        60_000,
      );
      const leader = (await isLeader(running[0]!)) ? 0 : 1;
      await waitFor('a first evaluation', async () => commands.count() > 0, 60_000);
      // The leader leaves mid-stream; the other one, which kept the whole state, emits from then on.
      await running[leader]!.kill();
      const other = running[1 - leader]!;
      await produceEvents(scope, lines.slice(half), 'second');
      await waitFor('the other to lead', () => isLeader(other), 60_000).catch((err: Error) => {
        throw new Error(`${err.message}\n${other.output().slice(-3000)}`);
      });
      await expectParity(commands, scope);
      // A second instance joining now stands by: the leader keeps emitting.
      running.push(await startDetector(scope, detectorEnv));
      await waitFor(
        'one leader again',
        async () => (await Promise.all([isLeader(other), isLeader(running[2]!)])).filter(Boolean).length === 1,
        60_000,
      );
    } finally {
      await commands.stop();
      for (const d of running) if (d.proc.exitCode === null && d.proc.signalCode === null) await d.stop();
      await ingest.stop();
    }
  });

  it('forwards the active alerts to a real Alertmanager with their labels, also after it was down', async () => {
    const scope = uniqueScope('det_am');
    const am = new TestAlertmanager(await freePort(), mkdtempSync(join(alertmanagerScratch, 'det-')));
    await am.start();
    const ingest = await startIngest(scope);
    let detector: ServiceProcess | undefined;
    const client = new AlertmanagerClient({ url: am.url });
    const listedFingerprints = async () =>
      (await client.getAlerts({ active: true }))
        .map((a) => a.labels.fingerprint ?? '')
        .filter((f) => f !== '')
        .sort();
    try {
      produceCalendarAndMetrics(scope);
      // Alertmanager down while the alerts arise: the forwarder retries, nothing is lost.
      await am.stop();
      detector = await startDetector(scope, {
        ...detectorEnv,
        ALERTMANAGER_URL: am.url,
        ALERTMANAGER_INTERVAL_MS: '1000',
      });
      await produceEvents(scope, lines, 'all');
      await expectAlertStore(scope);
      await am.start();
      const store = testStore(scope.database);
      const firing = (await loadActiveAlerts(store)).filter((a) => a.silencedBy.length === 0);
      await store.close();
      const want = firing.map((a) => a.fingerprint).sort();
      await waitFor(
        'Alertmanager to list every active alert',
        async () => JSON.stringify(await listedFingerprints()) === JSON.stringify(want),
        90_000,
      );
      const sample = firing[0]!;
      const listed = (await client.getAlerts({ active: true })).find(
        (a) => a.labels.fingerprint === sample.fingerprint,
      )!;
      expect(listed.labels).toMatchObject({
        alertname: sample.finding.detector,
        severity: sample.finding.severity,
        platform: sample.finding.scope.platformId,
      });
      expect(listed.annotations.summary_zh).toBeTruthy();
      expect(listed.annotations.summary_en).toBeTruthy();
    } finally {
      await detector?.stop();
      await ingest.stop();
      await am.stop();
    }
  });
});
