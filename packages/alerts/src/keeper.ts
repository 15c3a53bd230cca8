/**
 * The alert keeper: consumes `alert-commands`, applies each fingerprint's commands in order
 * (lifecycle.ts), and publishes the accepted changes to `alerts` in ONE Kafka transaction with
 * the consumed offsets. So a change is on the topic exactly when its command counts as consumed:
 * a crash between publishing and committing aborts both, and no change appears twice.
 *
 * Zombie fencing. kafkajs commits offsets in a transaction without the consumer group's
 * generation (no KIP-447), so the transactional id alone fences a stale owner: it is one per
 * command partition, shared by every instance of the group (`<groupId>.alert-keeper.<p>`).
 * Whoever takes partition p initialises that id, which aborts (or completes) the previous
 * owner's open transaction and makes its later commits fail as fenced.
 *
 * Partitions line up: the changes caused by command partition p are written to alerts
 * partition p (explicitly; both topics have the same partition count), so p's owner alone
 * writes alerts partition p.
 *
 * ClickHouse follows the topic. After each commit the keeper writes the changes (history,
 * current state, command results) and then its progress (per alerts partition, the offset
 * after the last change written). On every assignment (and after any failed transaction) it
 * fences the partition, reads the alerts topic from its progress to the end (read_committed),
 * writes what ClickHouse lacks, loads the partition's alerts (FINAL) and the committed command
 * offset, and only then applies commands. So ClickHouse converges to the topic after any crash.
 */
import { type BusLogger, withAdmin } from '@tracewatch/bus';
import {
  type Alert,
  type AlertChange,
  type AlertCommand,
  alertCommandSchema,
  boundedId,
  type Silence,
} from '@tracewatch/schema';
import { backoffDelay, sleep } from '@tracewatch/service-kit';
import type { Store } from '@tracewatch/store';
import { type Consumer, type Kafka, type KafkaMessage, Partitioners, type Producer } from 'kafkajs';
import type { Registry } from 'prom-client';
import {
  type AlertMemo,
  applyCommand,
  commandFingerprint,
  emptyMemo,
  LIFECYCLE_DEFAULTS,
  type LifecycleOptions,
} from './lifecycle.js';
import { alertChangedEvent, alertTopics, parseAlertChangedEvent } from './messages.js';
import { keeperMetrics } from './metrics.js';
import { readCommittedRange } from './read-committed.js';
import {
  type CommandResult,
  loadActiveSilences,
  loadPartitionAlerts,
  loadRecentCommandIds,
  type PlacedChange,
  readProgress,
  silencesStamp,
  writeChanges,
  writeCommandResults,
  writeProgress,
} from './repository.js';

export interface KeeperReadiness {
  ready: boolean;
  reasons: string[];
}

export interface AlertKeeperOptions {
  kafka: Kafka;
  store: Store;
  topicPrefix: string;
  /** The keeper's consumer group on alert-commands (also the prefix of its transactional ids). */
  groupId: string;
  /** This instance (logs, client id, the CloudEvents source). */
  instanceId: string;
  log: BusLogger;
  registry?: Registry;
  lifecycle?: LifecycleOptions;
  /** How often silences are reloaded from ClickHouse in any case. @default 10_000 */
  silenceRefreshMs?: number;
  /** How often ClickHouse is asked whether a silence was added or expired (then reloaded). @default 1_000 */
  silenceCheckMs?: number;
  /** @default 30_000 */
  sessionTimeoutMs?: number;
  /** Reading the alerts topic to its end on assignment. @default 120_000 */
  recoveryTimeoutMs?: number;
  /** The wall clock (changes' time, silence expiry). @default () => new Date() */
  now?: () => Date;
  /** Test seams around the commit (a crash test stops the process in them). */
  testHooks?: {
    /** The changes are sent, the transaction not yet committed. */
    beforeCommit?: (partition: number, changes: number) => Promise<void>;
    /** Committed, not yet written to ClickHouse. */
    afterCommit?: (partition: number, changes: readonly PlacedChange[]) => Promise<void>;
  };
}

export interface AlertKeeper {
  stop(): Promise<void>;
  /** Reloads silences now (also done every `silenceRefreshMs`): call after changing one in-process. */
  reloadSilences(): Promise<void>;
  ready(): KeeperReadiness;
  /** Alive: the consumer did not crash for good. */
  live(): KeeperReadiness;
}

interface Held {
  alert: Alert;
  memo: AlertMemo;
}

interface PartitionState {
  producer: Producer;
  alerts: Map<string, Held>;
  /** The committed command offset found on recovery: messages below it were handled already. */
  startAt: bigint;
}

const FENCED = new Set(['INVALID_PRODUCER_EPOCH', 'PRODUCER_FENCED', 'TRANSACTIONAL_ID_AUTHORIZATION_FAILED']);
const isFenced = (err: unknown) => {
  const e = err as { type?: string; cause?: { type?: string } };
  return FENCED.has(e?.type ?? '') || FENCED.has(e?.cause?.type ?? '');
};

type DecodedCommand = { ok: true; command: AlertCommand } | { ok: false; result: CommandResult };

/** A command message through the schema; an invalid one becomes an `invalid` result. */
function decodeCommand(message: KafkaMessage, partition: number): DecodedCommand {
  let raw: unknown;
  try {
    raw = JSON.parse(message.value?.toString() ?? 'null');
  } catch {
    raw = undefined;
  }
  const parsed = alertCommandSchema.safeParse(raw);
  if (parsed.success) return { ok: true, command: parsed.data };
  const r = (raw ?? {}) as { commandId?: unknown; kind?: unknown };
  const commandId = boundedId.safeParse(r.commandId).success
    ? (r.commandId as string)
    : `invalid-${partition}-${message.offset}`;
  return {
    ok: false,
    result: {
      commandId,
      fingerprint: message.key?.toString() ?? '',
      kind: typeof r.kind === 'string' ? r.kind.slice(0, 32) : '',
      outcome: 'invalid',
      message: raw === undefined ? 'not JSON' : `not an alert command: ${parsed.error.message}`.slice(0, 2000),
      version: 0,
      changeId: '',
    },
  };
}

class Keeper implements AlertKeeper {
  private readonly topics;
  private readonly options: Required<LifecycleOptions>;
  private readonly metrics;
  private readonly source: string;
  private readonly now: () => Date;
  private consumer: Consumer | undefined;
  private readonly partitions = new Map<number, PartitionState>();
  private assigned: number[] = [];
  private joined = false;
  /** Counts assignments: a recovery overtaken by a newer one does not count as done. */
  private generation = 0;
  private readonly needsRecovery = new Set<number>();
  /** Partitions fenced by a newer owner: paused until the next assignment. */
  private readonly fenced = new Set<number>();
  private silences: Silence[] = [];
  private silencesLoaded = false;
  private silencesLoadedAt = 0;
  private silencesStampSeen = '';
  private silenceTimer: NodeJS.Timeout | undefined;
  /** When the transaction in hand began (undefined: none). */
  private transactionSince: number | undefined;
  private stopping = false;
  private crashed: string | undefined;
  private lastProblem: string | undefined;
  private failures = 0;
  /** Recovery and batches take turns (a join may come while a batch is in hand). */
  private turn: Promise<unknown> = Promise.resolve();
  private recoveryTimer: NodeJS.Timeout | undefined;

  constructor(private readonly opts: AlertKeeperOptions) {
    this.topics = alertTopics(opts.topicPrefix);
    this.options = { ...LIFECYCLE_DEFAULTS, ...opts.lifecycle };
    this.source = `tracewatch/alert-keeper/${opts.instanceId}`;
    this.now = opts.now ?? (() => new Date());
    this.metrics = keeperMetrics(opts.registry, () => this.heldAlerts());
  }

  private *heldAlerts(): Iterable<Alert> {
    for (const state of this.partitions.values()) for (const held of state.alerts.values()) yield held.alert;
  }

  async start(): Promise<void> {
    const { kafka, log } = this.opts;
    await this.checkTopics();
    await this.refreshSilences();
    this.silenceTimer = setInterval(() => void this.checkSilences(), this.opts.silenceCheckMs ?? 1_000);
    this.silenceTimer.unref();
    const consumer = kafka.consumer({
      groupId: this.opts.groupId,
      readUncommitted: false,
      sessionTimeout: this.opts.sessionTimeoutMs ?? 30_000,
      heartbeatInterval: 3_000,
      maxWaitTimeInMs: 250,
      allowAutoTopicCreation: false,
      retry: { retries: Number.MAX_SAFE_INTEGER, initialRetryTime: 300, maxRetryTime: 10_000 },
    });
    this.consumer = consumer;
    consumer.on(consumer.events.GROUP_JOIN, (e) => {
      this.assigned = [...(e.payload.memberAssignment[this.topics.commands] ?? [])].sort((a, b) => a - b);
      this.joined = true;
      this.generation++;
      // Every assigned partition is recovered again: another member may have owned it meanwhile.
      this.needsRecovery.clear();
      for (const p of this.assigned) this.needsRecovery.add(p);
      const resume = [...this.fenced];
      this.fenced.clear();
      if (resume.length > 0) consumer.resume([{ topic: this.topics.commands, partitions: resume }]);
      log.info({ assigned: this.assigned }, 'alert keeper: partitions assigned');
      // Recover now, not at the first command: ClickHouse converges even when no command comes.
      this.recoverSoon(0);
    });
    consumer.on(consumer.events.CRASH, (e) => {
      const err = e.payload.error as Error;
      if (!e.payload.restart) this.crashed = err.message;
      log.error({ err: { message: err.message }, restart: e.payload.restart }, 'alert keeper: consumer crashed');
    });
    await consumer.connect();
    await consumer.subscribe({ topic: this.topics.commands, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      // One partition at a time: commands are few, and recovery then never races a batch.
      partitionsConsumedConcurrently: 1,
      eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning, isStale }) => {
        if (this.stopping || !isRunning() || isStale() || batch.messages.length === 0) return;
        const p = batch.partition;
        if (this.fenced.has(p)) return;
        await this.inTurn(async () => {
          try {
            await this.ensureRecovered();
            const state = this.partitions.get(p);
            if (!state || this.stopping || !isRunning() || isStale()) return;
            const fresh = batch.messages.filter((m) => BigInt(m.offset) >= state.startAt);
            const next = BigInt(batch.lastOffset()) + 1n;
            if (fresh.length === 0 || (await this.process(p, state, fresh, next, heartbeat))) {
              resolveOffset(batch.lastOffset());
              this.failures = 0;
            }
          } catch (err) {
            // Recovery or the transaction failed: start the partition over (fence, read the
            // topic, reload), after a pause. Nothing was resolved, so the batch comes again.
            this.problem(`partition ${p}: ${(err as Error).message}`);
            this.dropPartition(p);
            this.needsRecovery.add(p);
            await sleep(backoffDelay(this.failures++));
          }
        });
      },
    });
  }

  private inTurn<T>(work: () => Promise<T>): Promise<T> {
    const run = this.turn.then(work, work);
    this.turn = run.catch(() => undefined);
    return run;
  }

  /** Recovers the partitions that need it, retrying with backoff until it succeeds. */
  private recoverSoon(delayMs: number): void {
    if (this.recoveryTimer || this.stopping) return;
    this.recoveryTimer = setTimeout(() => {
      this.recoveryTimer = undefined;
      this.inTurn(() => this.ensureRecovered()).then(
        () => {
          this.failures = 0;
        },
        (err: Error) => {
          this.problem(`recovery failed: ${err.message}`);
          this.recoverSoon(backoffDelay(this.failures++));
        },
      );
    }, delayMs);
  }

  /** Both topics exist and have as many partitions (alerts partition p mirrors command partition p). */
  private async checkTopics(): Promise<void> {
    const { commands, alerts } = this.topics;
    await withAdmin(this.opts.kafka, async (admin) => {
      const existing = new Set(await admin.listTopics());
      const missing = [commands, alerts].filter((t) => !existing.has(t));
      if (missing.length > 0) throw new Error(`alert keeper: topic(s) ${missing.join(', ')} do not exist`);
      const meta = await admin.fetchTopicMetadata({ topics: [commands, alerts] });
      const counts = meta.topics.map((t) => `${t.name}: ${t.partitions.length}`);
      if (new Set(meta.topics.map((t) => t.partitions.length)).size !== 1)
        throw new Error(`alert keeper: ${commands} and ${alerts} need the same partition count (${counts.join(', ')})`);
    });
  }

  reloadSilences(): Promise<void> {
    return this.refreshSilences();
  }

  /** Reloads when a silence changed (a cheap stamp query) or `silenceRefreshMs` passed. */
  private async checkSilences(): Promise<void> {
    try {
      const stamp = await silencesStamp(this.opts.store);
      const due = Date.now() - this.silencesLoadedAt >= (this.opts.silenceRefreshMs ?? 10_000);
      if (stamp !== this.silencesStampSeen || due) await this.refreshSilences(stamp);
    } catch (err) {
      this.opts.log.warn({ err: (err as Error).message }, 'alert keeper: silences not checked');
    }
  }

  private async refreshSilences(stamp?: string): Promise<void> {
    try {
      const seen = stamp ?? (await silencesStamp(this.opts.store));
      this.silences = await loadActiveSilences(this.opts.store, this.now());
      this.silencesLoaded = true;
      this.silencesLoadedAt = Date.now();
      this.silencesStampSeen = seen;
    } catch (err) {
      this.opts.log.warn(
        { err: (err as Error).message },
        'alert keeper: silences not reloaded (keeping the last ones)',
      );
    }
  }

  private problem(message: string): void {
    this.lastProblem = message;
    this.opts.log.warn({ err: message }, 'alert keeper: partition will be recovered again');
  }

  private dropPartition(p: number): void {
    const state = this.partitions.get(p);
    this.partitions.delete(p);
    if (state) void state.producer.disconnect().catch(() => undefined);
  }

  /** A transactional producer for command partition p; initialising it fences the previous owner. */
  private async fencedProducer(p: number): Promise<Producer> {
    const producer = this.opts.kafka.producer({
      transactionalId: `${this.opts.groupId}.alert-keeper.${p}`,
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      // Changes go to partition p explicitly; the partitioner is named only to be explicit.
      createPartitioner: Partitioners.DefaultPartitioner,
      // Idempotence needs unlimited retries; a fence is not retried (kafkajs bails on it).
      retry: { retries: Number.MAX_SAFE_INTEGER, initialRetryTime: 200, maxRetryTime: 5_000 },
    });
    await producer.connect();
    // The first transaction initialises the transactional id (InitProducerId): the fence.
    const txn = await producer.transaction();
    await txn.abort();
    return producer;
  }

  /** Recovers every partition that needs it (see the module comment). */
  private async ensureRecovered(): Promise<void> {
    if (this.stopping) return;
    const generation = this.generation;
    const parts = [...this.needsRecovery].filter((p) => this.assigned.includes(p));
    for (const p of [...this.partitions.keys()]) if (!this.assigned.includes(p)) this.dropPartition(p);
    if (parts.length === 0) return;
    const { kafka, store, log } = this.opts;
    const started = Date.now();
    const producers = new Map<number, Producer>();
    try {
      for (const p of parts) {
        this.dropPartition(p);
        producers.set(p, await this.fencedProducer(p));
      }
      const progress = await readProgress(store, this.topics.alerts);
      const from = new Map(parts.map((p) => [p, progress.get(p) ?? 0n]));
      const messages = await readCommittedRange(
        kafka,
        this.topics.alerts,
        from,
        this.opts.recoveryTimeoutMs ?? 120_000,
      );
      const placed: PlacedChange[] = [];
      for (const m of messages) {
        try {
          placed.push({ change: parseAlertChangedEvent(m.value).data, partition: m.partition, offset: m.offset });
        } catch (err) {
          log.error(
            { err: (err as Error).message, partition: m.partition, offset: m.offset },
            'alerts topic: bad message',
          );
        }
      }
      await this.writeToStore(placed, acceptedResults(placed));
      const alerts = await loadPartitionAlerts(store, parts);
      const commandIds = await loadRecentCommandIds(store, parts, this.options.rememberCommands);
      const committed = await withAdmin(kafka, (admin) =>
        admin.fetchOffsets({ groupId: this.opts.groupId, topics: [this.topics.commands] }),
      );
      const committedOf = (p: number) => {
        const o = committed[0]?.partitions.find((x) => x.partition === p)?.offset ?? '-1';
        return BigInt(o) < 0n ? 0n : BigInt(o);
      };
      for (const p of parts) {
        const held = new Map<string, Held>();
        for (const a of alerts)
          if (a.partition === p)
            held.set(a.alert.fingerprint, {
              alert: a.alert,
              memo: { ...emptyMemo(), recentCommandIds: commandIds.get(a.alert.fingerprint) ?? [] },
            });
        this.partitions.set(p, { producer: producers.get(p)!, alerts: held, startAt: committedOf(p) });
        producers.delete(p);
        if (generation === this.generation) this.needsRecovery.delete(p);
      }
      this.lastProblem = undefined;
      log.info(
        { partitions: parts, replayed: placed.length, alerts: alerts.length, ms: Date.now() - started },
        'alert keeper: partitions recovered',
      );
    } finally {
      for (const producer of producers.values()) void producer.disconnect().catch(() => undefined);
    }
  }

  /**
   * Applies the commands, publishes the changes with the offsets in one transaction, then
   * writes ClickHouse. Returns true when the batch is done (committed).
   */
  private async process(
    p: number,
    state: PartitionState,
    messages: KafkaMessage[],
    nextOffset: bigint,
    heartbeat: () => Promise<void>,
  ): Promise<boolean> {
    const now = this.now();
    const staged = new Map<string, Held>();
    const changes: AlertChange[] = [];
    const results: CommandResult[] = [];
    const outcomes: Array<{ kind: string; outcome: string }> = [];
    for (const m of messages) {
      const decoded = decodeCommand(m, p);
      if (!decoded.ok) {
        results.push(decoded.result);
        outcomes.push({ kind: decoded.result.kind || 'unknown', outcome: 'invalid' });
        continue;
      }
      const { command } = decoded;
      const fingerprint = commandFingerprint(command);
      const current = staged.get(fingerprint) ?? state.alerts.get(fingerprint);
      const r = applyCommand(current?.alert, command, this.silences, now, {
        ...(current ? { memo: current.memo } : {}),
        options: this.options,
      });
      const base = { commandId: command.commandId, fingerprint, kind: command.kind };
      if ('error' in r) {
        const outcome = r.error.code === 'invalid-transition' ? 'invalid' : r.error.code;
        results.push({
          ...base,
          outcome,
          message: r.error.message,
          version: current?.alert.version ?? 0,
          changeId: '',
        });
        outcomes.push({ kind: command.kind, outcome: r.error.code });
        continue;
      }
      if (r.duplicate) {
        outcomes.push({ kind: command.kind, outcome: 'duplicate' });
        continue;
      }
      const alert = r.change?.alert ?? current?.alert;
      if (!alert) continue;
      staged.set(fingerprint, { alert, memo: r.memo });
      if (r.change) changes.push(r.change);
      results.push({
        ...base,
        outcome: 'accepted',
        message: r.change ? `${r.change.kind}: ${r.change.from ?? '-'} → ${r.change.to}` : 'no change',
        version: alert.version,
        changeId: r.change?.changeId ?? '',
      });
      outcomes.push({ kind: command.kind, outcome: 'accepted' });
    }

    this.transactionSince = Date.now();
    const txn = await state.producer.transaction();
    let placed: PlacedChange[] = [];
    try {
      if (changes.length > 0) {
        const meta = await txn.send({
          topic: this.topics.alerts,
          acks: -1,
          messages: changes.map((c) => ({
            key: c.fingerprint,
            partition: p,
            value: JSON.stringify(alertChangedEvent(c, this.source)),
          })),
        });
        const base = meta.find((x) => x.partition === p)?.baseOffset;
        if (base === undefined) throw new Error(`no offset for alerts partition ${p} in the produce response`);
        placed = changes.map((change, i) => ({ change, partition: p, offset: (BigInt(base) + BigInt(i)).toString() }));
      }
      await txn.sendOffsets({
        consumerGroupId: this.opts.groupId,
        topics: [{ topic: this.topics.commands, partitions: [{ partition: p, offset: nextOffset.toString() }] }],
      });
      await this.opts.testHooks?.beforeCommit?.(p, changes.length);
      await txn.commit();
    } catch (err) {
      this.metrics.transactionFailures.inc();
      if (txn.isActive()) await txn.abort().catch(() => undefined);
      if (isFenced(err)) {
        // A newer owner holds the partition: stop here, and wait for the group to say so.
        this.problem(`partition ${p} fenced by a newer owner: ${(err as Error).message}`);
        this.dropPartition(p);
        this.fenced.add(p);
        this.consumer?.pause([{ topic: this.topics.commands, partitions: [p] }]);
        return false;
      }
      throw err;
    } finally {
      this.transactionSince = undefined;
    }

    for (const [fingerprint, held] of staged) state.alerts.set(fingerprint, held);
    for (const o of outcomes) this.metrics.commands.inc(o);
    for (const c of changes) this.metrics.changes.inc({ kind: c.kind });
    await this.opts.testHooks?.afterCommit?.(p, placed);
    // Committed on Kafka: ClickHouse must follow. Retry until it does (or another owner
    // takes over, who recovers from the topic).
    for (let attempt = 0; ; attempt++) {
      try {
        await this.writeToStore(placed, results);
        break;
      } catch (err) {
        if (this.stopping) return true;
        this.lastProblem = `ClickHouse write failed: ${(err as Error).message}`;
        this.opts.log.warn({ err: (err as Error).message, attempt }, 'alert keeper: ClickHouse write failed, retrying');
        await sleep(backoffDelay(attempt));
        await heartbeat().catch(() => undefined);
      }
    }
    this.lastProblem = undefined;
    return true;
  }

  /** Changes, results, then progress (last: a crash before it only means writing again). */
  private async writeToStore(placed: readonly PlacedChange[], results: readonly CommandResult[]): Promise<void> {
    const { store } = this.opts;
    await writeChanges(store, placed);
    await writeCommandResults(store, results);
    const last = new Map<number, bigint>();
    for (const c of placed) {
      const o = BigInt(c.offset);
      if (o >= (last.get(c.partition) ?? -1n)) last.set(c.partition, o);
    }
    for (const [partition, offset] of last) await writeProgress(store, this.topics.alerts, partition, offset + 1n);
  }

  ready(): KeeperReadiness {
    const reasons: string[] = [];
    if (this.crashed) reasons.push(`consumer crashed: ${this.crashed}`);
    if (!this.joined) reasons.push('not yet in the consumer group');
    if (this.needsRecovery.size > 0) reasons.push(`recovering partitions ${[...this.needsRecovery].join(', ')}`);
    if (!this.silencesLoaded) reasons.push('silences not loaded yet');
    if (this.lastProblem) reasons.push(this.lastProblem);
    const pendingMs = this.transactionSince === undefined ? 0 : Date.now() - this.transactionSince;
    if (pendingMs > 30_000) reasons.push(`a Kafka transaction has been pending for ${Math.round(pendingMs / 1000)} s`);
    return { ready: reasons.length === 0, reasons };
  }

  live(): KeeperReadiness {
    return this.crashed ? { ready: false, reasons: [this.crashed] } : { ready: true, reasons: [] };
  }

  async stop(): Promise<void> {
    this.stopping = true;
    if (this.silenceTimer) clearInterval(this.silenceTimer);
    if (this.recoveryTimer) clearTimeout(this.recoveryTimer);
    await this.consumer?.disconnect().catch(() => undefined);
    for (const p of [...this.partitions.keys()]) this.dropPartition(p);
  }
}

/** The kind of command behind a change (the system's changes come from findings and withdrawals). */
function commandKindOf(change: AlertChange): AlertCommand['kind'] {
  if (change.kind !== 'transition') return 'finding';
  if (change.to === 'withdrawn') return 'withdraw';
  return change.by.startsWith('system:') ? 'finding' : 'transition';
}

/** The results of changes replayed from the topic (a lost write's CLI answer comes back). */
function acceptedResults(placed: readonly PlacedChange[]): CommandResult[] {
  return placed.map(({ change }) => ({
    commandId: change.commandId,
    fingerprint: change.fingerprint,
    kind: commandKindOf(change),
    outcome: 'accepted',
    message: `${change.kind}: ${change.from ?? '-'} → ${change.to}`,
    version: change.version,
    changeId: change.changeId,
  }));
}

/**
 * Starts the keeper (checks the topics, loads silences, joins the group); resolves once the
 * consumer runs. Apply the migrations first (`migrate()` of @tracewatch/store).
 */
export async function startAlertKeeper(opts: AlertKeeperOptions): Promise<AlertKeeper> {
  const keeper = new Keeper(opts);
  await keeper.start();
  return keeper;
}
