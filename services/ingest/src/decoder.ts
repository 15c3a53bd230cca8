import type { PackedMessages } from '@tracewatch/bus';
import { type EncodedBatch, encodeBatch, type RecordKind } from '@tracewatch/schema';
import { WorkerPool } from '@tracewatch/service-kit';

export interface DecodeRequest {
  kind: RecordKind;
  values: Uint8Array<ArrayBuffer>;
  valueLengths: Int32Array<ArrayBuffer>;
  now: number;
  maxBytes: number;
}

/** A worker's answer: the encoded batch, and the values it was lent, given back. */
export interface DecodeReply {
  encoded: EncodedBatch;
  values: Uint8Array<ArrayBuffer>;
  valueLengths: Int32Array<ArrayBuffer>;
}

/** The work itself, the same on the main thread and in a worker. */
export function decodeRequest(r: DecodeRequest): EncodedBatch {
  return encodeBatch(r.kind, r.values, r.valueLengths, { now: r.now, maxBytes: r.maxBytes });
}

/**
 * Decodes packed batches on `threads` worker threads (0: on the calling thread). The values
 * are lent to the worker by transfer (no copy) and come back with the result, also by
 * transfer, into the same PackedMessages. If a worker dies, the values it held are gone: the
 * promise rejects and the batch cannot be finished (the consumer stops, see ConsumerRunner).
 */
export class BatchDecoder {
  private readonly pool: WorkerPool<DecodeRequest, DecodeReply> | undefined;

  constructor(threads: number, onWorkerExit?: (reason: string) => void) {
    this.pool =
      threads > 0
        ? new WorkerPool({ script: new URL('./decode-worker.js', import.meta.url), size: threads, onWorkerExit })
        : undefined;
  }

  async decode(
    kind: RecordKind,
    packed: PackedMessages,
    opts: { now: number; maxBytes: number },
  ): Promise<EncodedBatch> {
    const request: DecodeRequest = {
      kind,
      values: packed.values,
      valueLengths: packed.valueLengths,
      now: opts.now,
      maxBytes: opts.maxBytes,
    };
    if (!this.pool) return decodeRequest(request);
    const reply = await this.pool.run(request, [packed.values.buffer, packed.valueLengths.buffer]);
    packed.values = reply.values;
    packed.valueLengths = reply.valueLengths;
    return reply.encoded;
  }

  async close(): Promise<void> {
    await this.pool?.close();
  }
}
