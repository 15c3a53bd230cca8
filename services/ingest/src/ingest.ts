import {
  type BatchContext,
  type BatchOutcome,
  CODEC_NAMES,
  type DeadLetter,
  type DeadLetterPublisher,
  type PackedMessages,
  type PartitionBatch,
  packMessages,
  unpackMessages,
} from '@tracewatch/bus';
import { backoffDelay, type Logger, sleep } from '@tracewatch/service-kit';
import {
  type EventIdentity,
  type IdReuse,
  type RowIdentity,
  rowIdentity,
  type Store,
  splitRows,
  type TableName,
  TableWriter,
} from '@tracewatch/store';
import type { BatchDecoder } from './decoder.js';
import type { IngestMetrics } from './metrics.js';
import type { Route } from './routes.js';

export interface IngestDeps {
  store: Store;
  /** Refuses trace events whose id was stored before with other content (see EventIdentity); off when undefined. */
  identity: EventIdentity | undefined;
  decoder: BatchDecoder;
  deadLetters: DeadLetterPublisher;
  /** Prefixed topic name → route. */
  routes: Map<string, Route>;
  metrics: IngestMetrics;
  log: Logger;
  maxBatchRows: number;
  maxBatchWaitMs: number;
  maxMessageBytes: number;
  now?: () => number;
}

/** A refused message: its index in the packed batch, and why. */
interface Refusal {
  index: number;
  stage: string;
  reason: string;
}

/**
 * The ingest step for one partition batch: decode and validate every message (on the decoder's
 * threads), store the valid rows (shared, batched inserts per table), dead-letter the rest with
 * the reason, and only then report the batch done so its offsets get committed.
 */
export class IngestHandler {
  private readonly writers = new Map<TableName, TableWriter>();
  private readonly now: () => number;

  constructor(private readonly deps: IngestDeps) {
    this.now = deps.now ?? Date.now;
    for (const route of deps.routes.values()) {
      if (this.writers.has(route.table)) continue;
      this.writers.set(
        route.table,
        new TableWriter(deps.store, route.table, route.columns, {
          format: 'RowBinary',
          maxRows: deps.maxBatchRows,
          maxWaitMs: deps.maxBatchWaitMs,
          onAvailability: (available, err) => {
            deps.metrics.storeAvailable.set(available ? 1 : 0);
            if (available) deps.log.info({ table: route.table }, 'ClickHouse available again');
            else
              deps.log.warn(
                { table: route.table, err: (err as Error)?.message },
                'ClickHouse unavailable: holding the batch and retrying',
              );
          },
          onFlush: (rows, ms) => {
            deps.metrics.inserted.inc({ table: route.table }, rows);
            deps.metrics.insertSeconds.observe({ table: route.table }, ms / 1000);
            deps.log.debug({ table: route.table, rows, ms }, 'inserted');
          },
        }),
      );
    }
    deps.metrics.storeAvailable.set(1);
  }

  /** False while any table writer is failing to reach ClickHouse. */
  get storeAvailable(): boolean {
    return [...this.writers.values()].every((w) => w.isAvailable);
  }

  /**
   * Runs in the fetch loop: copies the batch out of kafkajs's objects at once (see
   * PackedMessages for why), then works on the copy.
   */
  readonly handle = (batch: PartitionBatch, ctx: BatchContext): Promise<BatchOutcome> => {
    const { topic, partition } = batch;
    this.deps.metrics.consumed.inc({ topic }, batch.messages.length);
    return this.process(topic, partition, packMessages(batch.messages), ctx);
  };

  private async process(
    topic: string,
    partition: number,
    packed: PackedMessages,
    ctx: BatchContext,
  ): Promise<BatchOutcome> {
    const { signal } = ctx;
    const started = this.now();
    const route = this.deps.routes.get(topic);
    const refused: Refusal[] = [];
    if (!route) {
      for (let index = 0; index < packed.count; index++)
        refused.push(
          packed.refusedBatches.has(index)
            ? batchRefusal(index, packed)
            : { index, stage: 'route', reason: `no route for topic ${topic}` },
        );
    } else {
      // Decoding refuses messages, never batches; it throws only if a decode worker died (a
      // defect): the consumer then stops short of this batch (see ConsumerRunner).
      const decoded = await this.deps.decoder.decode(route.kind, packed, {
        now: started,
        maxBytes: this.deps.maxMessageBytes,
      });
      this.deps.metrics.decodeSeconds.observe({ topic }, (this.now() - started) / 1000);
      for (const r of decoded.rejections)
        refused.push(packed.refusedBatches.has(r.index) ? batchRefusal(r.index, packed) : r);
      let { data, rows, rowEnds, rowIndex } = decoded;
      let recordIdentities = async () => true;
      if (rows > 0 && route.kind === 'trace-event' && this.deps.identity) {
        const checked = await this.checkIdentity(topic, partition, packed, decoded, refused, signal);
        if (!checked) return 'abandoned';
        ({ data, rows, rowEnds, rowIndex } = checked);
        recordIdentities = checked.record;
      }
      // Also when every row was refused: the re-uses must be recorded all the same.
      const [result, recorded] = await Promise.all([
        this.writers.get(route.table)!.write({ data, rows, rowEnds }, signal),
        this.untilDone('record event ids', recordIdentities, signal),
      ]);
      if (result.status === 'abandoned' || !recorded) return 'abandoned';
      for (const r of result.rejected) refused.push({ index: rowIndex[r.line]!, stage: 'store', reason: r.reason });
    }
    if (refused.length > 0 && !(await this.publishDeadLetters(topic, partition, packed, refused, ctx)))
      return 'abandoned';
    this.deps.metrics.batchSeconds.observe((this.now() - started) / 1000);
    return 'done';
  }

  /**
   * The first stored version of an id stands: rows whose id was stored with other content are
   * taken out of the batch and refused ("id re-used with different content"), and recorded in
   * trace_id_reuse per org. Undefined if stopping.
   */
  private async checkIdentity(
    topic: string,
    partition: number,
    packed: PackedMessages,
    decoded: { data: Uint8Array; rows: number; rowEnds: Int32Array; rowIndex: Int32Array },
    refused: Refusal[],
    signal: AbortSignal,
  ) {
    const identity = this.deps.identity!;
    const lines = splitRows(decoded.data, decoded.rowEnds);
    const ids = lines.map(rowIdentity);
    const verdicts = await this.untilDone('look up event ids', () => identity.classify(ids), signal);
    if (!verdicts) return undefined;
    const fresh: RowIdentity[] = [];
    const reused: IdReuse[] = [];
    const kept: Uint8Array[] = [];
    const keptIndex: number[] = [];
    for (let k = 0; k < lines.length; k++) {
      const row = ids[k]!;
      const index = decoded.rowIndex[k]!;
      if (verdicts[k] === 'reused') {
        const first = identity.firstFingerprint(row.eventId) ?? '';
        refused.push({
          index,
          stage: 'identity',
          reason: `id re-used with different content: ${row.eventId} was first stored with content ${first}, this message has ${row.fingerprint}`,
        });
        reused.push({ ...row, firstFingerprint: first, topic, partition, offset: String(packed.offsets[index]) });
        continue;
      }
      if (verdicts[k] === 'new') fresh.push(row);
      kept.push(lines[k]!);
      keptIndex.push(index);
    }
    const now = this.now();
    const all = kept.length === lines.length;
    let end = 0;
    return {
      data: all ? decoded.data : new Uint8Array(Buffer.concat(kept)),
      rows: kept.length,
      rowEnds: all ? decoded.rowEnds : Int32Array.from(kept, (row) => (end += row.length)),
      rowIndex: all ? decoded.rowIndex : Int32Array.from(keptIndex),
      record: () => Promise.all([identity.record(fresh, now), identity.recordReuse(reused, now)]).then(() => true),
    };
  }

  /** Retries a store step with backoff until it succeeds; undefined once `signal` aborts. */
  private async untilDone<T>(what: string, step: () => Promise<T>, signal: AbortSignal): Promise<T | undefined> {
    for (let attempt = 0; !signal.aborted; attempt++) {
      try {
        return await step();
      } catch (err) {
        this.deps.log.warn({ err: (err as Error).message, attempt }, `${what} failed; retrying`);
        await sleep(backoffDelay(attempt, 200, 10_000), signal);
      }
    }
    return undefined;
  }

  /** Dead letters must be acknowledged before the batch may be committed (see DeadLetterPublisher). */
  private async publishDeadLetters(
    topic: string,
    partition: number,
    packed: PackedMessages,
    refused: Refusal[],
    ctx: BatchContext,
  ): Promise<boolean> {
    refused.sort((a, b) => a.index - b.index);
    const originals = unpackMessages(
      packed,
      refused.map((r) => r.index),
    );
    const dead: DeadLetter[] = refused.map((r, i) => ({
      topic,
      partition,
      message: originals[i]!,
      stage: r.stage,
      reason: r.reason,
    }));
    ctx.trouble(`waiting for the dead-letter topic to take ${dead.length} dead letter(s)`);
    const published = await this.deps.deadLetters.publish(dead, this.now(), ctx.signal, (err) =>
      ctx.trouble(`dead-letter publish failing: ${err.message}`),
    );
    if (published) for (const d of dead) this.deps.metrics.deadLettered.inc({ topic: d.topic, stage: d.stage });
    return published;
  }
}

/** A compressed batch kafkajs could not decode stands as one record: dead-lettered with why. */
function batchRefusal(index: number, packed: PackedMessages): Refusal {
  const b = packed.refusedBatches.get(index)!;
  return {
    index,
    stage: 'decompress',
    reason: `${CODEC_NAMES[b.codec] ?? `codec ${b.codec}`} batch of ${b.recordCount} records refused (value: its compressed bytes): ${b.reason}`,
  };
}
