/**
 * Wires packages/notices to Kafka, ClickHouse, the delivery channels and HTTP; the deciding is
 * the Notifier's. Every member of NOTIFIER_GROUP_ID reads its share of the alerts topic
 * (read_committed: only what the alert keeper's transactions committed) into the inbox table and
 * commits the offsets once stored. The member holding partition 0 is the one writer: it
 * composes notices from the inbox, stores them (the outbox), delivers them and escalates.
 */
import { createKafka, ensureTopics } from '@tracewatch/bus';
import { EmailChannel, loadRecipients, WebhookChannel } from '@tracewatch/delivery';
import { Notifier, writeInbox } from '@tracewatch/notices';
import {
  type AlertChange,
  alertChangedEventSchema,
  type RecipientConfigV1,
  TOPIC_PARTITIONS,
  TOPICS,
} from '@tracewatch/schema';
import { type Logger, type RunningService, retry, serialTurns, startService } from '@tracewatch/service-kit';
import { createStore, migrate } from '@tracewatch/store';
import type { Consumer } from 'kafkajs';
import type { NotifierConfig } from './config.js';
import { createNotifierMetrics } from './metrics.js';

export interface NotifierDependencies {
  /** The time the notifier decides by (tests move it; the service uses the clock). */
  now?: () => number;
}

const TICK_MS = 250;
const OWNERS_EVERY_MS = 5_000;

export async function startNotifierService(
  config: NotifierConfig,
  log: Logger,
  deps: NotifierDependencies = {},
): Promise<RunningService> {
  const now = deps.now ?? Date.now;
  const alertsTopic = `${config.TOPIC_PREFIX}${TOPICS.alerts}`;
  const status = {
    migrated: false,
    consuming: false,
    leader: false,
    needsRecover: false,
    crashed: undefined as string | undefined,
    storeError: undefined as string | undefined,
    overdue: 0,
    recipientProblems: 0,
  };
  const store = createStore({
    url: config.CLICKHOUSE_URL,
    database: config.CLICKHOUSE_DATABASE,
    username: config.CLICKHOUSE_USER,
    password: config.CLICKHOUSE_PASSWORD,
  });
  const kafka = createKafka({
    brokers: config.KAFKA_BROKERS,
    clientId: `tracewatch-notifier-${config.NOTIFIER_INSTANCE_ID}`,
    log,
  });
  const email = config.SMTP_HOST
    ? new EmailChannel({
        host: config.SMTP_HOST,
        port: config.SMTP_PORT,
        secure: config.SMTP_SECURE,
        from: config.SMTP_FROM,
        timeoutMs: config.SMTP_TIMEOUT_MS,
        ...(config.SMTP_USER && config.SMTP_PASSWORD
          ? { auth: { user: config.SMTP_USER, pass: config.SMTP_PASSWORD } }
          : {}),
      })
    : undefined;
  let notifier: Notifier | undefined;
  const metrics = createNotifierMetrics(() => ({
    leader: status.leader,
    ...(notifier?.queueStats(now()) ?? { pending: 0, retrying: 0, oldestUndeliveredSeconds: 0 }),
    overdue: status.overdue,
    recipientProblems: status.recipientProblems,
  }));
  notifier = new Notifier({
    store,
    channels: { webhook: new WebhookChannel({ timeoutMs: config.NOTIFIER_WEBHOOK_TIMEOUT_MS }), email },
    policy: {
      initialDelayMs: config.NOTIFIER_RETRY_INITIAL_MS,
      multiplier: config.NOTIFIER_RETRY_MULTIPLIER,
      maxDelayMs: config.NOTIFIER_RETRY_MAX_DELAY_MS,
      horizonMs: config.NOTIFIER_RETRY_HORIZON_MS,
      jitter: config.NOTIFIER_RETRY_JITTER,
    },
    consoleUrl: config.TRACEWATCH_CONSOLE_URL,
    yearUtcOffsetMinutes: config.NOTIFIER_YEAR_UTC_OFFSET_MINUTES,
    maxConcurrentDeliveries: config.NOTIFIER_MAX_CONCURRENT_DELIVERIES,
    recoverWindowMs: config.NOTIFIER_RECOVER_DAYS * 86_400_000,
    log,
    events: {
      created: (n) => {
        metrics.created.inc({ kind: n.kind });
        log.info({ notice: n.number, owner: n.ownerId, kind: n.kind, items: n.items.length }, 'notice stored');
      },
      attempted: (channel, outcome, seconds) => {
        metrics.deliveries.inc({ channel, outcome });
        metrics.deliverySeconds.observe({ channel }, seconds);
      },
      failed: (_n, channel) => metrics.failed.inc({ channel }),
    },
  });
  const stopping = new AbortController();
  let consumer: Consumer | undefined;
  let timer: NodeJS.Timeout | undefined;
  let owners: RecipientConfigV1[] = [];
  let ownersById = new Map<string, RecipientConfigV1>();
  let ownersLoadedAt = Number.NEGATIVE_INFINITY;
  let lastCompose = Number.NEGATIVE_INFINITY;
  let lastFullPass = Number.NEGATIVE_INFINITY;
  let lastEscalation = Number.NEGATIVE_INFINITY;
  const dirtyPlatforms = new Set<string>();
  const raisedOverdue = new Set<string>();

  const loadOwners = async () => {
    const loaded = await loadRecipients(store);
    owners = loaded.recipients;
    ownersById = new Map(owners.map((o) => [o.ownerId, o]));
    ownersLoadedAt = Date.now();
    if (loaded.problems.length !== status.recipientProblems)
      for (const p of loaded.problems) log.warn(p, 'recipient configuration unusable: no notices reach this owner');
    status.recipientProblems = loaded.problems.length;
  };

  /** One turn: (leader only) recover after taking over, compose what is due, deliver, escalate. */
  const tick = async () => {
    if (!status.leader || !notifier) return;
    const t = now();
    if (status.needsRecover || Date.now() - ownersLoadedAt >= OWNERS_EVERY_MS) await loadOwners();
    if (status.needsRecover) {
      await notifier.recover(owners, t);
      status.needsRecover = false;
      lastFullPass = Number.NEGATIVE_INFINITY;
    }
    const wall = Date.now();
    if (wall - lastFullPass >= config.NOTIFIER_FULL_PASS_EVERY_MS) {
      lastFullPass = wall;
      lastCompose = wall;
      dirtyPlatforms.clear();
      await notifier.compose(owners, t);
    } else if (wall - lastCompose >= config.NOTIFIER_COMPOSE_EVERY_MS && dirtyPlatforms.size > 0) {
      lastCompose = wall;
      const touched = new Set(dirtyPlatforms);
      dirtyPlatforms.clear();
      try {
        await notifier.compose(
          owners.filter((o) => o.platformIds.some((p) => touched.has(p))),
          t,
        );
      } catch (err) {
        for (const p of touched) dirtyPlatforms.add(p);
        throw err;
      }
    }
    notifier.deliverDue(ownersById, t);
    if (wall - lastEscalation >= config.NOTIFIER_ESCALATE_EVERY_MS) {
      lastEscalation = wall;
      const overdue = await notifier.overdue(t);
      status.overdue = overdue.length;
      for (const n of overdue) {
        if (raisedOverdue.has(n.id)) continue;
        raisedOverdue.add(n.id);
        log.warn(
          { notice: n.number, owner: n.ownerId, orgs: n.orgIds, deadline: n.answerDeadline },
          'notice unanswered past its deadline: escalated',
        );
      }
    }
  };

  const turns = serialTurns(tick, {
    succeeded: () => {
      status.storeError = undefined;
    },
    failed: (err) => {
      status.storeError = err.message;
      log.warn({ err: err.message }, 'notifier turn failed; retrying');
    },
  });

  const storeChanges = async (values: Array<Buffer | null>, partition: number, firstOffset: string) => {
    const changes: AlertChange[] = [];
    values.forEach((value, i) => {
      const parsed = value ? alertChangedEventSchema.safeParse(safeJson(value)) : undefined;
      if (parsed?.success) changes.push(parsed.data.data);
      else {
        metrics.invalid.inc();
        log.warn(
          { topic: alertsTopic, partition, offset: (BigInt(firstOffset) + BigInt(i)).toString() },
          'not an alert-changed event: skipped',
        );
      }
    });
    await retry(() => writeInbox(store, changes), {
      what: 'inbox write',
      signal: stopping.signal,
      baseMs: 500,
      maxMs: 10_000,
      onRetry: (err) => {
        status.storeError = (err as Error).message;
        log.warn({ err: (err as Error).message }, 'inbox write failed; retrying');
      },
    });
    metrics.alertChanges.inc(changes.length);
    for (const c of changes) dirtyPlatforms.add(c.alert.finding.scope.platformId);
  };

  return startService({
    name: 'notifier',
    log,
    port: config.HTTP_PORT,
    host: config.HTTP_HOST,
    registry: metrics.registry,
    notAlive: () => (status.crashed ? [`consumer crashed: ${status.crashed}`] : []),
    notReady: () => {
      const reasons: string[] = [];
      if (!status.migrated) reasons.push('ClickHouse not reached yet (migrations pending)');
      else if (!status.consuming) reasons.push('not consuming the alerts topic yet');
      if (status.storeError) reasons.push(`store failing: ${status.storeError}`);
      if (status.crashed) reasons.push(`consumer crashed: ${status.crashed}`);
      return reasons;
    },
    boot: async (step) => {
      await step('ClickHouse migrations', () => migrate(store));
      status.migrated = true;
      await step('Kafka topic check', () =>
        ensureTopics(kafka, [{ topic: alertsTopic, numPartitions: TOPIC_PARTITIONS[TOPICS.alerts] }]),
      );
      consumer = kafka.consumer({
        groupId: config.NOTIFIER_GROUP_ID,
        readUncommitted: false,
        sessionTimeout: config.KAFKA_SESSION_TIMEOUT_MS,
        allowAutoTopicCreation: false,
        maxWaitTimeInMs: 250,
      });
      consumer.on(consumer.events.GROUP_JOIN, (e) => {
        const leader = (e.payload.memberAssignment[alertsTopic] ?? []).includes(0);
        if (leader && !status.leader) status.needsRecover = true;
        status.leader = leader;
        log.info({ leader }, leader ? 'composing and delivering notices for the group' : 'reading alert changes only');
      });
      // A rebalance may hand partition 0 to another member: stop writing until rejoined.
      consumer.on(consumer.events.REBALANCING, () => {
        status.leader = false;
      });
      consumer.on(consumer.events.CRASH, (e) => {
        if (!e.payload.restart) status.crashed = (e.payload.error as Error).message;
      });
      await step('Kafka consumer connect', () => consumer!.connect());
      await consumer.subscribe({ topic: alertsTopic, fromBeginning: true });
      await consumer.run({
        autoCommit: false,
        eachBatchAutoResolve: false,
        eachBatch: async ({ batch, heartbeat }) => {
          if (batch.messages.length === 0) return;
          const beat = setInterval(() => void heartbeat().catch(() => undefined), 3_000);
          try {
            await storeChanges(
              batch.messages.map((m) => m.value),
              batch.partition,
              batch.messages[0]!.offset,
            );
          } catch (err) {
            if (stopping.signal.aborted) return; // stopping: not stored, not committed, read again later
            throw err;
          } finally {
            clearInterval(beat);
          }
          const last = batch.messages[batch.messages.length - 1]!.offset;
          await consumer!.commitOffsets([
            { topic: alertsTopic, partition: batch.partition, offset: (BigInt(last) + 1n).toString() },
          ]);
        },
      });
      status.consuming = true;
      timer = setInterval(turns.tick, TICK_MS);
      log.info({ topic: alertsTopic, channels: { webhook: true, email: Boolean(email) } }, 'notifying');
    },
    abandon: async () => {
      stopping.abort();
    },
    stop: async () => {
      if (timer) clearInterval(timer);
      await turns.settled();
      await notifier?.drain();
      await consumer?.disconnect().catch(() => undefined);
      email?.close();
      await store.close();
    },
  });
}

function safeJson(value: Buffer): unknown {
  try {
    return JSON.parse(value.toString('utf8'));
  } catch {
    return undefined;
  }
}
