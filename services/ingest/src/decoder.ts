import type { PackedMessages } from '@tracewatch/bus';
import { type BatchRejection, encodeBatch, type RecordKind } from '@tracewatch/schema';
import { WorkerPool } from '@tracewatch/service-kit';

export interface DecodeRequest {
  kind: RecordKind;
  values: Uint8Array;
  valueLengths: Int32Array;
  now: number;
  maxBytes: number;
}

/** A decoded batch: the valid records as TSV bytes, and why the others were refused. */
export interface DecodedBatch {
  tsv: Uint8Array;
  rows: number;
  /** The message index behind each TSV line. */
  rowIndex: Int32Array;
  rejections: BatchRejection[];
}

const utf8 = new TextEncoder();

/** The work itself, the same on the main thread and in a worker. */
export function decodeRequest(r: DecodeRequest): DecodedBatch {
  const e = encodeBatch(r.kind, r.values, r.valueLengths, { now: r.now, maxBytes: r.maxBytes });
  return { tsv: utf8.encode(e.tsv), rows: e.rows, rowIndex: e.rowIndex, rejections: e.rejections };
}

/**
 * Decodes packed batches on `threads` worker threads (0: on the calling thread). The values
 * are in shared memory, so a job carries no copy of them; results come back transferred.
 */
export class BatchDecoder {
  private readonly pool: WorkerPool<DecodeRequest, DecodedBatch> | undefined;

  constructor(threads: number, onWorkerExit?: (reason: string) => void) {
    this.pool =
      threads > 0
        ? new WorkerPool({ script: new URL('./decode-worker.js', import.meta.url), size: threads, onWorkerExit })
        : undefined;
  }

  decode(kind: RecordKind, packed: PackedMessages, opts: { now: number; maxBytes: number }): Promise<DecodedBatch> {
    const request: DecodeRequest = {
      kind,
      values: packed.values,
      valueLengths: packed.valueLengths,
      now: opts.now,
      maxBytes: opts.maxBytes,
    };
    if (!this.pool) return Promise.resolve(decodeRequest(request));
    return this.pool.run(request);
  }

  async close(): Promise<void> {
    await this.pool?.close();
  }
}
