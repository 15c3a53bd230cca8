import { afterEach, describe, expect, it } from 'vitest';
import { WorkerPool } from './worker-pool.js';

const script = new URL('./testing/square-worker.mjs', import.meta.url);
let pool: WorkerPool<unknown, unknown> | undefined;
afterEach(async () => {
  await pool?.close();
  pool = undefined;
});

describe('WorkerPool', () => {
  it('answers every job with its own result', async () => {
    pool = new WorkerPool({ script, size: 2 });
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => pool!.run(i)));
    expect(results).toEqual(Array.from({ length: 50 }, (_, i) => i * i));
    expect(pool.pending).toBe(0);
  });

  it('spreads jobs over its workers', async () => {
    pool = new WorkerPool({ script, size: 2 });
    const results = (await Promise.all([pool.run({ wait: 100 }), pool.run({ wait: 100 })])) as Array<{
      threadId: number;
    }>;
    expect(new Set(results.map((r) => r.threadId)).size).toBe(2);
  });

  it('fails the job a worker refuses, and keeps serving', async () => {
    pool = new WorkerPool({ script, size: 1 });
    await expect(pool.run('throw')).rejects.toThrow('asked to fail');
    expect(await pool.run(3)).toBe(9);
  });

  it('fails the jobs of a worker that dies, replaces it, and says why', async () => {
    const exits: string[] = [];
    pool = new WorkerPool({ script, size: 1, onWorkerExit: (reason) => exits.push(reason) });
    await expect(pool.run('exit')).rejects.toThrow(/exit code 3/);
    expect(exits).toEqual([expect.stringMatching(/exit code 3/)]);
    expect(await pool.run(4)).toBe(16);
  });

  it('refuses work once closed, and a size below one', async () => {
    const closed = new WorkerPool({ script, size: 1 });
    await closed.close();
    await expect(closed.run(1)).rejects.toThrow(/closed/);
    expect(() => new WorkerPool({ script, size: 0 })).toThrow(RangeError);
  });
});
