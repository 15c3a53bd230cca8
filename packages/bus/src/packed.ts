import type { IHeaders, KafkaMessage } from 'kafkajs';
import type { RefusedBatch } from './codecs.js';

/**
 * A batch of Kafka messages copied out of kafkajs's objects into a few flat arrays.
 *
 * Why: ingest holds every message until its rows are stored (hundreds of ms), long enough for
 * millions of small kafkajs objects to survive young-generation GCs and be copied twice. A
 * packed batch is a handful of objects whatever its size. Its values can be lent to a worker
 * thread by transfer (no copy) and given back the same way. (Not shared memory: a worker's
 * heap would keep shared buffers alive until its own rare old-generation collections, and the
 * process grew by hundreds of MB per million events.)
 */
export interface PackedMessages {
  count: number;
  /** Message values back to back (each array owns its buffer, so it can be transferred). */
  values: Uint8Array<ArrayBuffer>;
  /** Byte length of each value; -1 for a null value. */
  valueLengths: Int32Array<ArrayBuffer>;
  keys: Uint8Array;
  /** Byte length of each key; -1 for a null key. */
  keyLengths: Int32Array;
  offsets: Float64Array;
  /** Only the messages that have headers (most have none). */
  headers: Map<number, IHeaders>;
  /**
   * Records that stand for a compressed batch kafkajs could not decode (see RefusedBatch):
   * packed as null values, their compressed bytes kept here for the dead letter.
   */
  refusedBatches: Map<number, RefusedBatch & { value: Buffer | null }>;
}

/** A kafkajs message as the patched kafkajs may deliver it. */
type FetchedMessage = KafkaMessage & { refusedBatch?: RefusedBatch };

/** One message back out of a packed batch: what a dead letter needs. */
export interface UnpackedMessage {
  key: Buffer | null;
  value: Buffer | null;
  headers: IHeaders | undefined;
  offset: string;
}

export function packMessages(messages: readonly FetchedMessage[]): PackedMessages {
  const count = messages.length;
  let valueBytes = 0;
  let keyBytes = 0;
  const refusedBatches = new Map<number, RefusedBatch & { value: Buffer | null }>();
  for (let i = 0; i < count; i++) {
    const m = messages[i]!;
    if (m.refusedBatch) refusedBatches.set(i, { ...m.refusedBatch, value: m.value });
    else valueBytes += m.value?.length ?? 0;
    keyBytes += m.key?.length ?? 0;
  }
  const values = new Uint8Array(valueBytes);
  const valueLengths = new Int32Array(count);
  const keys = new Uint8Array(keyBytes);
  const keyLengths = new Int32Array(count);
  const offsets = new Float64Array(count);
  const headers = new Map<number, IHeaders>();
  let v = 0;
  let k = 0;
  for (let i = 0; i < count; i++) {
    const m = messages[i]!;
    if (m.value === null || refusedBatches.has(i)) valueLengths[i] = -1;
    else {
      values.set(m.value, v);
      v += m.value.length;
      valueLengths[i] = m.value.length;
    }
    if (m.key === null || m.key === undefined) keyLengths[i] = -1;
    else {
      keys.set(m.key, k);
      k += m.key.length;
      keyLengths[i] = m.key.length;
    }
    offsets[i] = Number(m.offset);
    if (m.headers && Object.keys(m.headers).length > 0) headers.set(i, m.headers);
  }
  return { count, values, valueLengths, keys, keyLengths, offsets, headers, refusedBatches };
}

/** Messages `indexes` back out of a packed batch, as copies (for the rare dead letter). */
export function unpackMessages(p: PackedMessages, indexes: readonly number[]): UnpackedMessage[] {
  if (indexes.length === 0) return [];
  const valueStart = new Float64Array(p.count);
  const keyStart = new Float64Array(p.count);
  for (let i = 1; i < p.count; i++) {
    valueStart[i] = valueStart[i - 1]! + Math.max(0, p.valueLengths[i - 1]!);
    keyStart[i] = keyStart[i - 1]! + Math.max(0, p.keyLengths[i - 1]!);
  }
  return indexes.map((i) => {
    const vl = p.valueLengths[i]!;
    const kl = p.keyLengths[i]!;
    const v = valueStart[i]!;
    const k = keyStart[i]!;
    return {
      // Copies: a dead letter must not keep the whole batch alive.
      value: vl < 0 ? (p.refusedBatches.get(i)?.value ?? null) : Buffer.from(p.values.subarray(v, v + vl)),
      key: kl < 0 ? null : Buffer.from(p.keys.subarray(k, k + kl)),
      headers: p.headers.get(i),
      offset: String(p.offsets[i]),
    };
  });
}
