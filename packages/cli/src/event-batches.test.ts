import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsageError } from './args.js';
import { type DecodedBatch, type DecodeThread, decodedBatches, MAX_AHEAD } from './event-batches.js';
import { trustedRecord } from './trace-input.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tracewatch-batches-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function line(id: string, minute: number): string {
  return JSON.stringify({
    specversion: '1.0',
    id,
    source: 'platform/p1',
    type: 'gov.trace.v1',
    time: `2025-03-03T02:${String(minute % 60).padStart(2, '0')}:05Z`,
    data: {
      platformId: 'p1',
      orgId: `o${minute % 3}`,
      actorId: `a${minute % 7}`,
      actorRole: 'staff',
      action: 'form.submit',
      occurredAt: `2025-03-03T02:${String(minute % 60).padStart(2, '0')}:00.250Z`,
      ...(minute % 2 === 0 ? { value: minute, durationMs: 1000 * minute } : { taskId: `t${minute}` }),
    },
  });
}

/** Records and problems of a file, flattened in file order. */
async function collect(path: string, thread: DecodeThread) {
  const out: unknown[] = [];
  for await (const batch of decodedBatches(path, 'trusted', thread) as AsyncGenerator<DecodedBatch>) {
    let next = 0;
    for (const p of batch.problems) {
      out.push(...batch.records.slice(next, p.recordsBefore));
      next = p.recordsBefore;
      out.push(`line ${p.lineNo}: ${p.reason}`);
    }
    out.push(...batch.records.slice(next));
  }
  return out;
}

const TSX_API = new URL('../../../node_modules/tsx/dist/esm/api/index.mjs', import.meta.url);
const builtPackages = ['schema', 'detectors'].every((p) =>
  existsSync(fileURLToPath(new URL(`../../${p}/dist/index.js`, import.meta.url))),
);

/**
 * The worker run from its TypeScript source: a bootstrap registers tsx in the worker thread,
 * then imports decode-worker.ts (whose workspace imports resolve to the built packages).
 */
async function workerFromSource(): Promise<DecodeThread> {
  const bootstrap = join(dir, 'bootstrap.mjs');
  const source = new URL('./decode-worker.ts', import.meta.url);
  await writeFile(
    bootstrap,
    `import { register } from '${TSX_API.href}';\nregister();\nawait import('${source.href}');\n`,
  );
  return { kind: 'worker', script: new URL(`file://${bootstrap}`) };
}

describe('decodedBatches', () => {
  it('this thread: every line in order, bad lines in place, blank lines skipped', async () => {
    const path = join(dir, 'small.jsonl');
    await writeFile(path, [line('e1', 1), '', 'not json', line('e2', 2), '  ', line('e3', 3)].join('\n'));
    const out = await collect(path, { kind: 'main' });
    expect(out).toHaveLength(4);
    expect(out[0]).toEqual((trustedRecord(line('e1', 1)) as { value: unknown }).value);
    expect(out[1]).toMatch(/^line 3: not JSON/);
    expect((out[3] as { id: string }).id).toBe('e3');
  });

  it.skipIf(!builtPackages)(
    'a worker gives exactly what this thread gives, over many batches (back-pressure)',
    async () => {
      const path = join(dir, 'many.jsonl');
      const lines: string[] = [];
      // 15,000 lines of ~330 bytes: 5 MB in 1 MiB batches, more than MAX_AHEAD ahead of the reader
      for (let i = 0; i < 15_000; i++) lines.push(i % 1000 === 999 ? '{"broken":' : line(`e${i}`, i));
      await writeFile(path, lines.join('\n'));
      const here = await collect(path, { kind: 'main' });
      const there = await collect(path, await workerFromSource());
      expect(there).toEqual(here);
      expect(here.filter((x) => typeof x === 'string')).toHaveLength(15);
      expect(MAX_AHEAD).toBeGreaterThan(0);
    },
    30_000,
  );

  it.skipIf(!builtPackages)('a file that cannot be read is a UsageError, also when the worker finds out', async () => {
    await expect(collect(join(dir, 'none.jsonl'), await workerFromSource())).rejects.toThrow(UsageError);
    await expect(collect(join(dir, 'none.jsonl'), { kind: 'main' })).rejects.toThrow(UsageError);
    const directory = collect(dir, await workerFromSource());
    await expect(directory).rejects.toThrow(UsageError);
    await expect(directory).rejects.toThrow(/EISDIR/);
  });
});
