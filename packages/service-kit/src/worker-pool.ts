import { parentPort, type Transferable, Worker } from 'node:worker_threads';

/** What a pool worker answers: the result of job `id`, or why it failed. */
type Reply<Res> = { id: number; result: Res } | { id: number; error: string };

interface Job<Res> {
  id: number;
  resolve: (r: Res) => void;
  reject: (e: Error) => void;
}

interface Slot<Res> {
  worker: Worker;
  jobs: Map<number, Job<Res>>;
}

export interface WorkerPoolOptions {
  /** The worker's module; it calls `serveJobs` (or speaks its protocol, see there). */
  script: URL;
  size: number;
  /** Called when a worker dies unexpectedly (it is replaced, its jobs fail). */
  onWorkerExit?: (reason: string) => void;
}

/**
 * A fixed set of worker threads running one job function. Each job goes to the worker with
 * the fewest jobs in hand; results come back in whatever order workers finish. A worker that
 * dies fails its jobs (the caller decides to retry) and is replaced.
 */
export class WorkerPool<Req, Res> {
  private readonly slots: Slot<Res>[] = [];
  private nextId = 1;
  private closing = false;

  constructor(private readonly opts: WorkerPoolOptions) {
    if (!Number.isInteger(opts.size) || opts.size < 1) throw new RangeError(`pool size must be ≥ 1, got ${opts.size}`);
    for (let i = 0; i < opts.size; i++) this.slots.push(this.spawn());
  }

  run(request: Req, transfer: readonly Transferable[] = []): Promise<Res> {
    if (this.closing) return Promise.reject(new Error('worker pool is closed'));
    let slot = this.slots[0]!;
    for (const s of this.slots) if (s.jobs.size < slot.jobs.size) slot = s;
    const id = this.nextId++;
    return new Promise<Res>((resolve, reject) => {
      if (slot.jobs.size === 0) slot.worker.ref(); // busy: keep the process alive for the answer
      slot.jobs.set(id, { id, resolve, reject });
      slot.worker.postMessage({ id, request }, transfer);
    });
  }

  /** Jobs handed out and not yet answered, over all workers. */
  get pending(): number {
    return this.slots.reduce((n, s) => n + s.jobs.size, 0);
  }

  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
    for (const s of this.slots) failAll(s, 'worker pool closed');
  }

  private spawn(): Slot<Res> {
    const worker = new Worker(this.opts.script);
    const slot: Slot<Res> = { worker, jobs: new Map() };
    worker.on('message', (reply: Reply<Res>) => {
      const job = slot.jobs.get(reply.id);
      if (!job) return;
      slot.jobs.delete(reply.id);
      if (slot.jobs.size === 0) slot.worker.unref();
      if ('error' in reply) job.reject(new Error(reply.error));
      else job.resolve(reply.result);
    });
    let exitReason = 'exited';
    worker.on('error', (err) => {
      exitReason = `crashed: ${err.message}`;
    });
    worker.on('exit', (code) => {
      if (this.closing) return;
      const reason = `worker ${exitReason} (exit code ${code})`;
      failAll(slot, reason);
      this.opts.onWorkerExit?.(reason);
      const i = this.slots.indexOf(slot);
      if (i >= 0) this.slots[i] = this.spawn();
    });
    worker.unref(); // an idle pool must not keep the process alive
    return slot;
  }
}

function failAll<Res>(slot: Slot<Res>, reason: string): void {
  for (const job of slot.jobs.values()) job.reject(new Error(reason));
  slot.jobs.clear();
}

/**
 * The worker side: answers each `{ id, request }` with `{ id, result }` (transferring what
 * `handle` lists) or `{ id, error }` when it throws.
 */
export function serveJobs<Req, Res>(handle: (request: Req) => { result: Res; transfer?: Transferable[] }): void {
  const port = parentPort;
  if (!port) throw new Error('serveJobs must run in a worker thread');
  port.on('message', ({ id, request }: { id: number; request: Req }) => {
    try {
      const { result, transfer } = handle(request);
      port.postMessage({ id, result }, transfer ?? []);
    } catch (err) {
      port.postMessage({ id, error: (err as Error)?.message ?? String(err) });
    }
  });
}
