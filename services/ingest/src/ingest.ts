import {
  type BatchContext,
  type BatchingProducer,
  type BatchOutcome,
  type DeadLetter,
  deadLetterMessage,
  type PartitionBatch,
} from '@tracewatch/bus';
import type { Logger } from '@tracewatch/service-kit';
import { backoffDelay, sleep } from '@tracewatch/service-kit';
import { type Store, type TableName, TableWriter } from '@tracewatch/store';
import type { KafkaMessage } from 'kafkajs';
import type { IngestMetrics } from './metrics.js';
import type { Route } from './routes.js';

export interface IngestDeps {
  store: Store;
  dlqProducer: BatchingProducer;
  dlqTopic: string;
  /** Prefixed topic name → route. */
  routes: Map<string, Route>;
  metrics: IngestMetrics;
  log: Logger;
  maxBatchRows: number;
  maxBatchWaitMs: number;
  maxMessageBytes: number;
  now?: () => number;
}

/**
 * The ingest step for one partition batch: decode and validate every message, store the
 * valid rows (shared, batched inserts per table), dead-letter the rest with the reason, and
 * only then report the batch done so its offsets get committed.
 */
export class IngestHandler {
  private readonly writers = new Map<TableName, TableWriter<object>>();
  private readonly now: () => number;

  constructor(private readonly deps: IngestDeps) {
    this.now = deps.now ?? Date.now;
    for (const route of deps.routes.values()) {
      if (this.writers.has(route.table)) continue;
      this.writers.set(
        route.table,
        new TableWriter(deps.store, route.table, {
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

  readonly handle = async (batch: PartitionBatch, ctx: BatchContext): Promise<BatchOutcome> => {
    const started = this.now();
    const { metrics } = this.deps;
    const route = this.deps.routes.get(batch.topic);
    metrics.consumed.inc({ topic: batch.topic }, batch.messages.length);
    metrics.lag.set({ topic: batch.topic, partition: String(batch.partition) }, batch.lag);

    const dead: DeadLetter[] = [];
    const rows: object[] = [];
    const rowMessages: KafkaMessage[] = [];
    const decodeOpts = { now: started, maxBytes: this.deps.maxMessageBytes };
    for (const message of batch.messages) {
      if (!route) {
        dead.push({
          topic: batch.topic,
          partition: batch.partition,
          message,
          stage: 'route',
          reason: `no route for topic ${batch.topic}`,
        });
        continue;
      }
      const d = route.decodeToRow(message.value, decodeOpts);
      if (d.ok) {
        rows.push(d.value);
        rowMessages.push(message);
      } else {
        dead.push({ topic: batch.topic, partition: batch.partition, message, stage: d.stage, reason: d.reason });
      }
    }

    if (route && rows.length > 0) {
      const result = await this.writers.get(route.table)!.write(rows, ctx.signal);
      if (result.status === 'abandoned') return 'abandoned';
      for (const r of result.rejected) {
        dead.push({
          topic: batch.topic,
          partition: batch.partition,
          message: rowMessages[r.index]!,
          stage: 'store',
          reason: r.reason,
        });
      }
    }
    if (dead.length > 0 && !(await this.publishDeadLetters(dead, ctx.signal))) return 'abandoned';
    metrics.batchSeconds.observe((this.now() - started) / 1000);
    return 'done';
  };

  /** Dead letters must be acknowledged before the batch may be committed: retry until then. */
  private async publishDeadLetters(dead: DeadLetter[], signal: AbortSignal): Promise<boolean> {
    const messages = dead.map((d) => deadLetterMessage(d, this.now()));
    for (let attempt = 0; !signal.aborted; attempt++) {
      try {
        await this.deps.dlqProducer.send(this.deps.dlqTopic, messages);
        for (const d of dead) this.deps.metrics.deadLettered.inc({ topic: d.topic, stage: d.stage });
        return true;
      } catch (err) {
        this.deps.log.warn({ err: (err as Error).message, attempt }, 'dead-letter publish failed; retrying');
        await sleep(backoffDelay(attempt), signal);
      }
    }
    return false;
  }
}
