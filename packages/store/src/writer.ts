import type { Store } from './client.js';
import { insertRows, isRowDataError, type TableName } from './insert.js';

export interface TableWriterOptions {
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

/** A row ClickHouse refused (not a transient failure), with its error. */
export interface RejectedRow<R> {
  row: R;
  index: number;
  reason: string;
}

export interface WriteResult<R> {
  /** 'stored': every row not in `rejected` is in ClickHouse. 'abandoned': stopping, none known stored. */
  status: 'stored' | 'abandoned';
  rejected: RejectedRow<R>[];
}

interface Waiting<R> {
  rows: R[];
  resolve: (r: WriteResult<R>) => void;
  signal: AbortSignal | undefined;
}

/**
 * Batches rows for one table from many callers into few inserts (by size or time), with up
 * to `maxConcurrentInserts` in flight. A caller's promise settles only when its rows are
 * stored, so it can commit its offsets then (callers that need an order keep it themselves:
 * two inserts in flight may finish in either order).
 * Transient failures are retried with backoff for as long as it takes (or until the caller's
 * signal aborts); rows ClickHouse refuses are isolated by bisection and handed back.
 */
export class TableWriter<R extends object> {
  private queue: Waiting<R>[] = [];
  private queuedRows = 0;
  private timer: NodeJS.Timeout | undefined;
  /** Batches cut from the queue, waiting for an insert slot. */
  private readonly ready: Waiting<R>[][] = [];
  private active = 0;
  private available = true;

  constructor(
    private readonly store: Store,
    private readonly table: TableName,
    private readonly opts: TableWriterOptions = {},
  ) {}

  write(rows: R[], signal?: AbortSignal): Promise<WriteResult<R>> {
    if (rows.length === 0) return Promise.resolve({ status: 'stored', rejected: [] });
    return new Promise((resolve) => {
      this.queue.push({ rows, resolve, signal });
      this.queuedRows += rows.length;
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

  private async flush(batch: Waiting<R>[]): Promise<void> {
    const rows = batch.flatMap((w) => w.rows);
    const abortAll = () => batch.every((w) => w.signal?.aborted);
    const started = Date.now();
    const rejected = await this.insertIsolating(rows, 0, abortAll);
    if (rejected === 'abandoned') {
      for (const w of batch) w.resolve({ status: 'abandoned', rejected: [] });
      return;
    }
    this.opts.onFlush?.(rows.length - rejected.length, Date.now() - started);
    let offset = 0;
    for (const w of batch) {
      const end = offset + w.rows.length;
      const mine = rejected
        .filter((r) => r.index >= offset && r.index < end)
        .map((r) => ({ ...r, index: r.index - offset }));
      w.resolve({ status: 'stored', rejected: mine });
      offset = end;
    }
  }

  /** Inserts rows, retrying while unavailable; bisects on a refusal to find the bad rows. */
  private async insertIsolating(
    rows: R[],
    base: number,
    aborted: () => boolean,
  ): Promise<RejectedRow<R>[] | 'abandoned'> {
    for (let attempt = 0; ; attempt++) {
      try {
        await insertRows(this.store, this.table, rows);
        this.setAvailable(true);
        return [];
      } catch (err) {
        if (isRowDataError(err)) {
          this.setAvailable(true);
          if (rows.length === 1)
            return [
              {
                row: rows[0]!,
                index: base,
                reason: `storage refused the row: ${(err as Error).message}`.slice(0, 1000),
              },
            ];
          const mid = Math.floor(rows.length / 2);
          const left = await this.insertIsolating(rows.slice(0, mid), base, aborted);
          if (left === 'abandoned') return left;
          const right = await this.insertIsolating(rows.slice(mid), base + mid, aborted);
          if (right === 'abandoned') return right;
          return [...left, ...right];
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

/** Sleeps, waking early (checked every 100 ms) when `aborted` turns true. */
async function waitOrAbort(ms: number, aborted: () => boolean): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until && !aborted()) {
    await new Promise((r) => setTimeout(r, Math.min(100, until - Date.now())));
  }
}
