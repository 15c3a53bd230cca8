/**
 * Wires the live detector to Kafka, ClickHouse and HTTP; the deciding is LiveDetector's
 * (packages/live) and the DetectionEngine's, the same code `tracewatch analyze` runs.
 *
 * Start: snapshot ingest's committed offsets of trace-events (everything before them is
 * stored), rebuild the state from ClickHouse, then read trace-events from those offsets on.
 * Events on both sides of that seam are dropped once by the engine's replay filter, so nothing
 * counts twice and nothing is missed. Every instance keeps the whole state (the BH families
 * and the peer comparisons span all units, so a share of the units would decide differently);
 * the group decides who *emits*: the member holding the evaluations partition sends the alert
 * commands, the others stand by, ready to take over without a rebuild.
 */
import { randomBytes } from 'node:crypto';
import type { Transferable } from 'node:worker_threads';
import { AlertForwarder, AlertmanagerClient, forwardingConfig } from '@tracewatch/alertmanager';
import { type AlertKeeper, loadActiveAlerts, startAlertKeeper } from '@tracewatch/alerts';
import { createKafka, ensureTopics, withAdmin } from '@tracewatch/bus';
import { readEvaluations, readReportedMetrics, readStoredChunks } from '@tracewatch/live';
import { type AlertCommand, TOPIC_PARTITIONS, TOPICS } from '@tracewatch/schema';
import {
  type Logger,
  type RunningService,
  serialTurns,
  sleep,
  startService,
  WorkerPool,
} from '@tracewatch/service-kit';
import { createStore, migrate, type Store } from '@tracewatch/store';
import type { Admin, Consumer, Producer } from 'kafkajs';
import { type DetectorConfig, detectorUtcOffsetMinutes } from './config.js';
import type { EngineReply, EngineRequest, EngineStats } from './engine-protocol.js';
import { createDetectorMetrics } from './metrics.js';

export interface ActiveAlert {
  fingerprint: string;
  periodEnd: string;
}

export interface DetectorDependencies {
  /** Alerts the store holds as active (open, acknowledged): a new leader withdraws those no longer found. */
  activeAlerts?: (store: Store) => Promise<ActiveAlert[]>;
}

const TICK_MS = 250;
/** How often the leader looks for active alerts it did not send (after a hand-over). */
const ADOPT_EVERY_MS = 5_000;
const REBUILD_CHUNKS_IN_FLIGHT = 8;

/** Open or acknowledged alerts in the alert store, as the tracker adopts them. */
async function activeAlertsInStore(store: Store): Promise<ActiveAlert[]> {
  return (await loadActiveAlerts(store)).map((a) => ({ fingerprint: a.fingerprint, periodEnd: a.finding.period.end }));
}

/** Where each trace-events partition continues after the rebuild: ingest's committed offset, else the start. */
async function seamOffsets(admin: Admin, groupId: string, topic: string) {
  const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
  const bounds = await admin.fetchTopicOffsets(topic);
  return bounds.map((b) => {
    const c = committed?.partitions.find((p) => p.partition === b.partition)?.offset ?? '-1';
    const offset = c === '-1' || BigInt(c) < BigInt(b.low) ? b.low : c;
    return { partition: b.partition, offset, behind: BigInt(offset) < BigInt(b.high) };
  });
}

export async function startDetectorService(
  config: DetectorConfig,
  log: Logger,
  deps: DetectorDependencies = {},
): Promise<RunningService> {
  const topic = (name: string) => `${config.TOPIC_PREFIX}${name}`;
  const traceTopic = topic(TOPICS.traceEvents);
  const evaluationsTopic = topic(TOPICS.evaluations);
  const commandsTopic = topic(TOPICS.alertCommands);
  const by = `system:detector@${config.DETECTOR_INSTANCE_ID}`;
  // The engine runs in its own thread (engine-worker.ts); `engine` asks it, in order.
  const status = {
    migrated: false,
    rebuilt: false,
    leader: false,
    stateConsumer: undefined as string | undefined,
    crashed: undefined as string | undefined,
    storeError: undefined as string | undefined,
  };
  const pool = new WorkerPool<EngineRequest, EngineReply>({
    script: new URL('./engine-worker.js', import.meta.url),
    size: 1,
    onWorkerExit: (reason) => {
      // Its state is gone: stop, so the process is restarted and rebuilds.
      status.crashed = `engine thread ${reason}`;
      log.error({ reason }, 'engine thread died: the detector must be restarted');
    },
  });
  let stats: EngineStats = {
    watermark: null,
    latestRecordedAt: null,
    caughtUp: false,
    replayIds: 0,
    replayBytes: 0,
    trackedFindings: 0,
    events: 0,
    replays: 0,
    invalid: 0,
    storedParseMs: 0,
    storedObserveMs: 0,
  };
  const engine = async (request: EngineRequest, transfer: readonly Transferable[] = []): Promise<EngineReply> => {
    const reply = await pool.run(request, transfer);
    stats = reply.stats;
    return reply;
  };
  const engineReady = engine({
    op: 'init',
    options: {
      allowedLatenessMs: config.DETECTOR_ALLOWED_LATENESS_MS,
      evaluateEveryMs: config.DETECTOR_EVALUATE_EVERY_MS,
      utcOffsetMinutes: detectorUtcOffsetMinutes(config),
      by,
    },
  });
  const metrics = createDetectorMetrics(() => ({
    watermark: stats.watermark,
    latestRecordedAt: stats.latestRecordedAt,
    replayIds: stats.replayIds,
    replayBytes: stats.replayBytes,
    leader: status.leader,
    sentFingerprints: stats.trackedFindings,
  }));
  const store = createStore({
    url: config.CLICKHOUSE_URL,
    database: config.CLICKHOUSE_DATABASE,
    username: config.CLICKHOUSE_USER,
    password: config.CLICKHOUSE_PASSWORD,
  });
  const kafka = createKafka({
    brokers: config.KAFKA_BROKERS,
    clientId: `tracewatch-detector-${config.DETECTOR_INSTANCE_ID}`,
    log,
  });
  const activeAlerts = deps.activeAlerts ?? activeAlertsInStore;
  let stateConsumer: Consumer | undefined;
  let leaderConsumer: Consumer | undefined;
  let producer: Producer | undefined;
  let timer: NodeJS.Timeout | undefined;
  let keeper: AlertKeeper | undefined;
  const forwarding = forwardingConfig(config);
  const forwarder = forwarding
    ? new AlertForwarder({
        client: new AlertmanagerClient({ url: forwarding.url, timeoutMs: forwarding.timeoutMs }),
        source: () => loadActiveAlerts(store),
        registry: metrics.registry,
        log,
        ...forwarding.options,
      })
    : undefined;
  let forceEvaluation = false;
  let becameLeader = false;
  let lastAdoptAt = 0;

  const send = async (commands: AlertCommand[]) => {
    if (commands.length === 0 || !producer) return;
    await producer.send({
      topic: commandsTopic,
      messages: commands.map((c) => ({
        key: c.kind === 'finding' ? c.finding.fingerprint : c.fingerprint,
        value: JSON.stringify(c),
      })),
    });
    for (const c of commands) metrics.commands.inc({ kind: c.kind });
    // The keeper applies them within moments; a round soon after carries them to Alertmanager.
    setTimeout(() => forwarder?.trigger(), 1_000).unref();
  };

  /** One turn of the loop: adopt leadership, evaluate when due, send (leader only). */
  const tick = async () => {
    if (!status.rebuilt) return;
    if (becameLeader) {
      becameLeader = false;
      await engine({ op: 'reset-sent', active: await activeAlerts(store) });
      forceEvaluation = true;
    }
    // Alerts a previous leader's last commands created after this one took over are adopted
    // too, and judged at once (else, at the end of the data, nothing would withdraw them).
    if (status.leader && Date.now() - lastAdoptAt >= ADOPT_EVERY_MS) {
      lastAdoptAt = Date.now();
      const { adopted } = await engine({ op: 'adopt', active: await activeAlerts(store) });
      if ((adopted ?? 0) > 0) forceEvaluation = true;
    }
    const now = Date.now();
    if (!forceEvaluation && !(await engine({ op: 'is-due', now })).due) return;
    const [evaluations, reported] = await Promise.all([readEvaluations(store), readReportedMetrics(store)]);
    const { evaluated: result } = await engine({
      op: 'evaluate',
      now,
      force: forceEvaluation,
      evaluations,
      metrics: reported,
    });
    if (!result) return;
    forceEvaluation = false;
    metrics.evaluations.inc({ trigger: result.trigger });
    metrics.evaluationSeconds.observe(result.seconds);
    metrics.findings.reset();
    for (const f of result.findings) metrics.findings.inc({ detector: f.detector, severity: f.severity });
    if (status.leader) await send(result.commands);
    log.info(
      {
        asOf: new Date(result.asOf).toISOString(),
        trigger: result.trigger,
        findings: result.findings.length,
        commands: status.leader ? result.commands.length : 0,
        seconds: Number(result.seconds.toFixed(3)),
      },
      'evaluated',
    );
  };

  const turns = serialTurns(tick, {
    succeeded: () => {
      status.storeError = undefined;
    },
    failed: (err) => {
      // ClickHouse or Kafka unavailable: the next turn tries again (nothing is lost: the
      // commands of a failed turn are derived again from the state).
      status.storeError = err.message;
      log.warn({ err: err.message }, 'evaluation turn failed; retrying');
      becameLeader = status.leader; // the next turn resends from what the store holds
    },
  });

  return startService({
    name: 'detector',
    log,
    port: config.HTTP_PORT,
    host: config.HTTP_HOST,
    registry: metrics.registry,
    notAlive: () => [
      ...(status.crashed ? [`consumer crashed: ${status.crashed}`] : []),
      ...(keeper?.live().reasons ?? []).map((r) => `alert keeper: ${r}`),
    ],
    notReady: () => {
      const reasons: string[] = [];
      if (!status.migrated) reasons.push('ClickHouse not reached yet (migrations pending)');
      else if (!status.rebuilt) reasons.push('rebuilding state from ClickHouse');
      if (status.stateConsumer) reasons.push(status.stateConsumer);
      if (status.storeError) reasons.push(`evaluation failing: ${status.storeError}`);
      if (status.crashed) reasons.push(`consumer crashed: ${status.crashed}`);
      if (config.ALERT_KEEPER_ENABLED && !keeper) reasons.push('alert keeper not started yet');
      for (const r of keeper?.ready().reasons ?? []) reasons.push(`alert keeper: ${r}`);
      return reasons;
    },
    boot: async (step) => {
      await step('ClickHouse migrations', () => migrate(store));
      status.migrated = true;
      const topics = Object.entries(TOPIC_PARTITIONS).map(([t, numPartitions]) => ({ topic: topic(t), numPartitions }));
      await step('Kafka topic check', () => ensureTopics(kafka, topics));
      producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
      await step('Kafka producer connect', () => producer!.connect());
      if (config.ALERT_KEEPER_ENABLED) {
        keeper = await step('alert keeper start', () =>
          startAlertKeeper({
            kafka,
            store,
            topicPrefix: config.TOPIC_PREFIX,
            groupId: config.ALERT_KEEPER_GROUP_ID,
            instanceId: config.DETECTOR_INSTANCE_ID,
            log,
            registry: metrics.registry,
            sessionTimeoutMs: config.KAFKA_SESSION_TIMEOUT_MS,
          }),
        );
      }
      forwarder?.start();

      const seam = await step('ingest offsets', () =>
        withAdmin(kafka, (admin) => seamOffsets(admin, config.DETECTOR_INGEST_GROUP_ID, traceTopic)),
      );
      const started = performance.now();
      await engineReady;
      // Where the rebuild's time goes: waiting for ClickHouse's next chunk (its query, the HTTP
      // stream, splitting lines) vs waiting for the engine thread (its parse and observe times
      // come back in its stats).
      let engineWaitMs = 0;
      const rows = await step('rebuild from ClickHouse', async () => {
        // Reading the next chunks overlaps with the engine thread parsing and observing the last
        // ones (their bytes are moved there, not copied); a few chunks in flight bound the memory.
        const inFlight = new Set<Promise<unknown>>();
        const read = await readStoredChunks(store, async (chunk, lines) => {
          const job = engine({ op: 'stored', chunk }, [chunk.buffer]).finally(() => inFlight.delete(job));
          inFlight.add(job);
          metrics.events.inc({ source: 'store' }, lines);
          if (inFlight.size >= REBUILD_CHUNKS_IN_FLIGHT) {
            const waited = performance.now();
            await Promise.race(inFlight);
            engineWaitMs += performance.now() - waited;
          }
        });
        const waited = performance.now();
        await Promise.all(inFlight);
        engineWaitMs += performance.now() - waited;
        return read;
      });
      const seconds = (performance.now() - started) / 1000;
      metrics.rebuildSeconds.set(seconds);
      metrics.rebuildEvents.set(rows);
      const s = (ms: number) => Number((ms / 1000).toFixed(2));
      log.info(
        {
          rows,
          seconds: Number(seconds.toFixed(2)),
          engineWaitSeconds: s(engineWaitMs),
          parseSeconds: s(stats.storedParseMs),
          observeSeconds: s(stats.storedObserveMs),
          seam,
        },
        'state rebuilt from ClickHouse',
      );
      for (const s of seam) await engine({ op: 'behind', partition: s.partition, behind: s.behind });

      // Reads every partition (its own group, never committed: where to start is the seam).
      stateConsumer = kafka.consumer({
        groupId: `${config.DETECTOR_GROUP_ID}.state.${config.DETECTOR_INSTANCE_ID}.${randomBytes(4).toString('hex')}`,
        sessionTimeout: config.KAFKA_SESSION_TIMEOUT_MS,
        allowAutoTopicCreation: false,
        maxWaitTimeInMs: 250,
      });
      stateConsumer.on(stateConsumer.events.CRASH, (e) => {
        if (!e.payload.restart) status.crashed = (e.payload.error as Error).message;
      });
      await step('Kafka consumer connect', () => stateConsumer!.connect());
      await stateConsumer.subscribe({ topic: traceTopic, fromBeginning: false });
      await stateConsumer.run({
        autoCommit: false,
        eachBatch: async ({ batch, heartbeat }) => {
          const before = stats.invalid;
          const done = engine({
            op: 'messages',
            partition: batch.partition,
            lag: Number(batch.offsetLag()),
            receivedAt: Date.now(),
            values: batch.messages.map((m) => m.value),
          });
          // The engine thread may be in a long detection run: keep the membership alive meanwhile.
          let settled = false;
          void done.finally(() => {
            settled = true;
          });
          while (!settled) {
            await Promise.race([done, sleep(1_000)]);
            if (!settled) await heartbeat();
          }
          await done;
          metrics.events.inc({ source: 'kafka' }, batch.messages.length);
          metrics.invalid.inc(stats.invalid - before);
        },
      });
      for (const s of seam) stateConsumer.seek({ topic: traceTopic, partition: s.partition, offset: s.offset });
      status.rebuilt = true;

      // Leadership: whoever holds the evaluations partition emits; a new evaluation re-judges at once.
      leaderConsumer = kafka.consumer({
        groupId: config.DETECTOR_GROUP_ID,
        sessionTimeout: config.KAFKA_SESSION_TIMEOUT_MS,
        allowAutoTopicCreation: false,
        maxWaitTimeInMs: 1_000,
      });
      leaderConsumer.on(leaderConsumer.events.GROUP_JOIN, (e) => {
        const leader = (e.payload.memberAssignment[evaluationsTopic] ?? []).length > 0;
        if (leader && !status.leader) becameLeader = true;
        status.leader = leader;
        log.info({ leader }, leader ? 'emitting alert commands for the group' : 'standing by');
      });
      // A rebalance under way may hand the partition to another member: stop emitting until rejoined.
      leaderConsumer.on(leaderConsumer.events.REBALANCING, () => {
        status.leader = false;
      });
      leaderConsumer.on(leaderConsumer.events.CRASH, (e) => {
        if (!e.payload.restart) status.crashed = (e.payload.error as Error).message;
      });
      await step('Kafka group join', () => leaderConsumer!.connect());
      await leaderConsumer.subscribe({ topic: evaluationsTopic, fromBeginning: false });
      await leaderConsumer.run({
        eachBatch: async () => {
          forceEvaluation = true;
        },
      });
      timer = setInterval(turns.tick, TICK_MS);
      log.info({ topic: traceTopic, commands: commandsTopic, by }, 'detecting');
    },
    stop: async () => {
      if (timer) clearInterval(timer);
      await turns.settled();
      await forwarder?.stop();
      await keeper?.stop();
      await leaderConsumer?.disconnect().catch(() => undefined);
      await stateConsumer?.disconnect().catch(() => undefined);
      await producer?.disconnect().catch(() => undefined);
      await pool.close();
      await store.close();
    },
  });
}
