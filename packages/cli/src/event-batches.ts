/**
 * The records of an events file, batch by batch, decoded either in this thread or in a worker
 * thread. With a worker, reading and parsing the JSON (the larger half of the cost of
 * `analyze`) runs on another core while this thread feeds the detectors: batches come packed
 * in columns (record-batches.ts) and the worker stays at most MAX_AHEAD batches ahead, so
 * memory stays bounded however fast it reads.
 */
import { existsSync } from 'node:fs';
import { access } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { TraceRecord } from '@tracewatch/detectors';
import { UsageError } from './args.js';
import { readLineBatches } from './line-batches.js';
import { type BatchProblem, type PackedBatch, RecordPacker, RecordUnpacker } from './record-batches.js';
import { type EventInputMode, eventDecoder } from './trace-input.js';

export interface DecodedBatch {
  records: TraceRecord[];
  /** Bad lines, in order; `recordsBefore` places each among the records. */
  problems: BatchProblem[];
}

/** Batches the worker may have sent and this thread not yet taken. */
export const MAX_AHEAD = 4;

/** Messages from the worker. */
export type WorkerMessage =
  | { kind: 'batch'; batch: PackedBatch }
  | { kind: 'done' }
  | { kind: 'error'; message: string; usage: boolean };

/** What the worker is started with. */
export interface WorkerInput {
  path: string;
  mode: EventInputMode;
  /** Int32Array over it: [0] = batches sent and not yet taken. */
  ahead: SharedArrayBuffer;
}

/** Where decoding runs: this thread, or a worker thread started from `script`. */
export type DecodeThread = { kind: 'main' } | { kind: 'worker'; script: URL };

const BUILT_WORKER = new URL('./decode-worker.js', import.meta.url);

/** A worker when the compiled worker script is there (the built CLI), else this thread (tests on sources). */
export function defaultDecodeThread(): DecodeThread {
  return existsSync(fileURLToPath(BUILT_WORKER)) ? { kind: 'worker', script: BUILT_WORKER } : { kind: 'main' };
}

/** Decodes the lines of one batch into records and problems (blank lines are skipped). */
export function decodeLines(
  lines: readonly string[],
  firstLineNo: number,
  decode: ReturnType<typeof eventDecoder>,
  add: (record: TraceRecord) => void,
  problem: (lineNo: number, reason: string) => void,
): void {
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.length === 0 || line.trim() === '') continue;
    const r = decode(line);
    if (r.ok) add(r.value);
    else problem(firstLineNo + i, r.reason);
  }
}

/**
 * Yields the decoded batches of an events file, in file order.
 *
 * @throws UsageError when the file cannot be read.
 */
export async function* decodedBatches(
  path: string,
  mode: EventInputMode,
  thread: DecodeThread = defaultDecodeThread(),
): AsyncGenerator<DecodedBatch> {
  if (thread.kind === 'main') {
    const decode = eventDecoder(mode);
    for await (const { firstLineNo, lines } of readLineBatches(path)) {
      const records: TraceRecord[] = [];
      const problems: BatchProblem[] = [];
      decodeLines(
        lines,
        firstLineNo,
        decode,
        (r) => records.push(r),
        (lineNo, reason) => problems.push({ lineNo, reason, recordsBefore: records.length }),
      );
      yield { records, problems };
    }
    return;
  }
  try {
    await access(path);
  } catch {
    throw new UsageError(`cannot read ${path}: no such file`);
  }
  yield* fromWorker(path, mode, thread);
}

async function* fromWorker(path: string, mode: EventInputMode, thread: { script: URL }): AsyncGenerator<DecodedBatch> {
  const ahead = new SharedArrayBuffer(4);
  const counter = new Int32Array(ahead);
  const input: WorkerInput = { path, mode, ahead };
  const worker = new Worker(thread.script, { workerData: input });
  const queue: WorkerMessage[] = [];
  let wake: (() => void) | undefined;
  let failure: Error | undefined;
  const arrived = () => {
    wake?.();
    wake = undefined;
  };
  worker.on('message', (m: WorkerMessage) => {
    queue.push(m);
    arrived();
  });
  worker.on('error', (err) => {
    failure = err;
    arrived();
  });
  worker.on('exit', (code) => {
    if (code !== 0) failure ??= new Error(`decode worker exited with code ${code}`);
    queue.push({ kind: 'done' });
    arrived();
  });
  const unpacker = new RecordUnpacker();
  try {
    for (;;) {
      if (queue.length === 0 && failure === undefined) await new Promise<void>((resolve) => (wake = resolve));
      if (failure !== undefined) throw failure;
      const message = queue.shift()!;
      if (message.kind === 'done') return;
      if (message.kind === 'error') throw message.usage ? new UsageError(message.message) : new Error(message.message);
      Atomics.sub(counter, 0, 1);
      Atomics.notify(counter, 0);
      yield { records: unpacker.unpack(message.batch), problems: message.batch.problems };
    }
  } finally {
    await worker.terminate();
  }
}

/** The worker's side: reads, decodes and posts packed batches, never more than MAX_AHEAD ahead. */
export async function runDecodeWorker(input: WorkerInput, post: (m: WorkerMessage, transfer?: ArrayBuffer[]) => void) {
  const counter = new Int32Array(input.ahead);
  const decode = eventDecoder(input.mode);
  const packer = new RecordPacker();
  try {
    for await (const { firstLineNo, lines } of readLineBatches(input.path)) {
      decodeLines(
        lines,
        firstLineNo,
        decode,
        (r) => packer.add(r),
        (lineNo, reason) => packer.problem(lineNo, reason),
      );
      const batch = packer.take();
      for (let sent = Atomics.load(counter, 0); sent >= MAX_AHEAD; sent = Atomics.load(counter, 0)) {
        Atomics.wait(counter, 0, sent);
      }
      Atomics.add(counter, 0, 1);
      post({ kind: 'batch', batch }, [
        batch.numbers.buffer as ArrayBuffer,
        batch.names.buffer as ArrayBuffer,
        batch.textLengths.buffer as ArrayBuffer,
      ]);
    }
    post({ kind: 'done' });
  } catch (err) {
    post({ kind: 'error', message: (err as Error).message, usage: err instanceof UsageError });
  }
}
