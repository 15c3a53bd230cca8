import type { PackedMessages } from '@tracewatch/bus';
import { type EncodedBatch, encodeBatch, type RecordKind } from '@tracewatch/schema';
import { WorkerPool } from '@tracewatch/service-kit';

export interface DecodeRequest {
  kind: RecordKind;
  values: Uint8Array;
  valueLengths: Int32Array;
  now: number;
  maxBytes: number;
}

/** The work itself, the same on the main thread and in a worker. */
export function decodeRequest(r: DecodeRequest): EncodedBatch {
  return encodeBatch(r.kind, r.values, r.valueLengths, { now: r.now, maxBytes: r.maxBytes });
}

/**
 * Decodes packed batches on `threads` worker threads (0: on the calling thread). The values
 * are in shared memory, so a job carries no copy of them; results come back transferred.
 */
export class BatchDecoder {
  private readonly pool: WorkerPool<DecodeRequest, EncodedBatch> | undefined;

  constructor(threads: number, onWorkerExit?: (reason: string) => void) {
    this.pool =
      threads > 0
        ? new WorkerPool({ script: new URL('./decode-worker.js', import.meta.url), size: threads, onWorkerExit })
        : undefined;
  }

  decode(kind: RecordKind, packed: PackedMessages, opts: { now: number; maxBytes: number }): Promise<EncodedBatch> {
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
