import type { Store } from './client.js';
import { type InsertFormat, insertRows, isRowDataError, splitRows, type TableName } from './insert.js';

export interface TableWriterOptions {
  /** How the chunks' rows are encoded (default TabSeparated). */
  format?: InsertFormat;
  /** Flush when this many rows wait... */
  maxRows?: number;
  /** ...or when the oldest row has waited this long. */
  maxWaitMs?: number;
  /** Inserts sent at once: ClickHouse parses each insert on one thread, so two use two cores. */
  maxConcurrentInserts?: number;
  /** Backoff between retries while ClickHouse is unavailable. */
  retryBaseMs?: number;
  retryMaxMs?: number;
  /** Called when availability changes, for readiness and metrics. */
  onAvailability?: (available: boolean, error?: unknown) => void;
  onFlush?: (rows: number, ms: number) => void;
}

/** Rows already encoded in the writer's format and column order. */
export interface RowChunk {
  data: Uint8Array;
  rows: number;
  /** Where each row ends in data: needed for RowBinary (TSV rows end at each '\n'). */
  rowEnds?: Int32Array;
}

/** A row ClickHouse refused (not a transient failure): its index in the caller's chunk. */
export interface RejectedLine {
  line: number;
  reason: string;
}

export interface WriteResult {
  /** 'stored': every line not in `rejected` is in ClickHouse. 'abandoned': stopping, none known stored. */
  status: 'stored' | 'abandoned';
  rejected: RejectedLine[];
}

interface Waiting {
  chunk: RowChunk;
  resolve: (r: WriteResult) => void;
  signal: AbortSignal | undefined;
}

/** One line of a waiting chunk, for isolating refused rows. */
interface Line {
  data: Uint8Array;
  waiting: Waiting;
  index: number;
}

/**
 * Batches row chunks for one table from many callers into few inserts (by size or time), with
 * up to `maxConcurrentInserts` in flight. A caller's promise settles only when its rows are
 * stored, so it can commit its offsets then (callers that need an order keep it themselves:
 * two inserts in flight may finish in either order).
 * Transient failures are retried with backoff for as long as it takes (or until every
 * caller's signal aborts); lines ClickHouse refuses are isolated by bisection and handed back.
 */
export class TableWriter {
  private queue: Waiting[] = [];
  private queuedRows = 0;
  private timer: NodeJS.Timeout | undefined;
  /** Batches cut from the queue, waiting for an insert slot. */
  private readonly ready: Waiting[][] = [];
  private active = 0;
  private available = true;

  constructor(
    private readonly store: Store,
    private readonly table: TableName,
    private readonly columns: readonly string[],
    private readonly opts: TableWriterOptions = {},
  ) {}

  write(chunk: RowChunk, signal?: AbortSignal): Promise<WriteResult> {
    if (chunk.rows === 0) return Promise.resolve({ status: 'stored', rejected: [] });
    return new Promise((resolve) => {
      this.queue.push({ chunk, resolve, signal });
      this.queuedRows += chunk.rows;
      if (this.queuedRows >= (this.opts.maxRows ?? 50_000)) this.kick();
      else if (!this.timer) this.timer = setTimeout(() => this.kick(), this.opts.maxWaitMs ?? 200);
    });
  }

  get isAvailable(): boolean {
    return this.available;
  }

  private kick(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.queue;
    this.queue = [];
    this.queuedRows = 0;
    if (batch.length > 0) this.ready.push(batch);
    this.startFlushes();
  }

  private startFlushes(): void {
    while (this.active < (this.opts.maxConcurrentInserts ?? 2) && this.ready.length > 0) {
      const batch = this.ready.shift()!;
      this.active++;
      void this.flush(batch).finally(() => {
        this.active--;
        this.startFlushes();
      });
    }
  }

  private async flush(batch: Waiting[]): Promise<void> {
    const aborted = () => batch.every((w) => w.signal?.aborted);
    const rows = batch.reduce((n, w) => n + w.chunk.rows, 0);
    const started = Date.now();
    const whole = await this.insertOrRefused(
      batch.map((w) => w.chunk.data),
      aborted,
    );
    if (whole === 'abandoned') return abandon(batch);
    if (whole === 'stored') {
      this.opts.onFlush?.(rows, Date.now() - started);
      for (const w of batch) w.resolve({ status: 'stored', rejected: [] });
      return;
    }
    // Some line is refused: find which, line by line only where it must.
    const lines: Line[] = batch.flatMap((waiting) =>
      splitRows(waiting.chunk.data, waiting.chunk.rowEnds).map((data, index) => ({ data, waiting, index })),
    );
    const refused = await this.isolate(lines, aborted);
    if (refused === 'abandoned') return abandon(batch);
    this.opts.onFlush?.(rows - refused.length, Date.now() - started);
    for (const w of batch) {
      w.resolve({
        status: 'stored',
        rejected: refused.filter((r) => r.line.waiting === w).map((r) => ({ line: r.line.index, reason: r.reason })),
      });
    }
  }

  /** Bisects `lines` (known to hold a refused line) down to the refused ones; stores the rest. */
  private async isolate(
    lines: Line[],
    aborted: () => boolean,
  ): Promise<Array<{ line: Line; reason: string }> | 'abandoned'> {
    const out: Array<{ line: Line; reason: string }> = [];
    const pending: Line[][] = [lines.slice(0, lines.length >> 1), lines.slice(lines.length >> 1)];
    while (pending.length > 0) {
      const part = pending.shift()!;
      if (part.length === 0) continue;
      const result = await this.insertOrRefused(
        part.map((l) => l.data),
        aborted,
      );
      if (result === 'abandoned') return result;
      if (result === 'stored') continue;
      if (part.length === 1) out.push({ line: part[0]!, reason: `storage refused the row: ${result.refused}` });
      else pending.unshift(part.slice(0, part.length >> 1), part.slice(part.length >> 1));
    }
    return out;
  }

  /** One insert, retried while ClickHouse is unavailable; a refusal of the data is returned. */
  private async insertOrRefused(
    chunks: Uint8Array[],
    aborted: () => boolean,
  ): Promise<'stored' | 'abandoned' | { refused: string }> {
    for (let attempt = 0; ; attempt++) {
      try {
        await insertRows(this.store, this.table, this.columns, this.opts.format ?? 'TabSeparated', chunks);
        this.setAvailable(true);
        return 'stored';
      } catch (err) {
        if (isRowDataError(err)) {
          this.setAvailable(true);
          return { refused: (err as Error).message.slice(0, 1000) };
        }
        this.setAvailable(false, err);
        if (aborted()) return 'abandoned';
        const ceiling = Math.min(
          this.opts.retryMaxMs ?? 5_000,
          (this.opts.retryBaseMs ?? 200) * 2 ** Math.min(attempt, 20),
        );
        await waitOrAbort(ceiling / 2 + (Math.random() * ceiling) / 2, aborted);
        if (aborted()) return 'abandoned';
      }
    }
  }

  private setAvailable(available: boolean, error?: unknown): void {
    if (available !== this.available) {
      this.available = available;
      this.opts.onAvailability?.(available, error);
    }
  }
}

function abandon(batch: Waiting[]): void {
  for (const w of batch) w.resolve({ status: 'abandoned', rejected: [] });
}

/** Sleeps, waking early (checked every 100 ms) when `aborted` turns true. */
async function waitOrAbort(ms: number, aborted: () => boolean): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until && !aborted()) {
    await new Promise((r) => setTimeout(r, Math.min(100, until - Date.now())));
  }
}
