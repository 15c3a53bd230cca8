import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsageError } from './args.js';
import { readLineBatches } from './line-batches.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tracewatch-lines-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function numbered(path: string): Promise<Array<[number, string]>> {
  const out: Array<[number, string]> = [];
  for await (const { firstLineNo, lines } of readLineBatches(path)) {
    lines.forEach((line, i) => {
      out.push([firstLineNo + i, line]);
    });
  }
  return out;
}

describe('readLineBatches', () => {
  it('numbers lines from 1, keeps blank lines, drops CR and reads a last line without a break', async () => {
    const file = join(dir, 'small.txt');
    await writeFile(file, 'a\r\n\nb\nc');
    expect(await numbered(file)).toEqual([
      [1, 'a'],
      [2, ''],
      [3, 'b'],
      [4, 'c'],
    ]);
  });

  it('keeps lines whole and numbers right across 1 MiB chunk boundaries (multi-byte text too)', async () => {
    // 30,000 lines of ~70 bytes (≈ 2 MiB) with a 3-byte character, so chunks end mid-line.
    const lines = Array.from({ length: 30_000 }, (_, i) => `${i + 1}:${'审'.repeat(i % 7)}${'x'.repeat(50)}`);
    const file = join(dir, 'big.txt');
    await writeFile(file, `${lines.join('\n')}\n`);
    const read = await numbered(file);
    expect(read.length).toBe(lines.length);
    for (const [n, text] of read) expect(text).toBe(lines[n - 1]);
  });

  it('an empty file has no lines; a missing file is a UsageError', async () => {
    const empty = join(dir, 'empty.txt');
    await writeFile(empty, '');
    expect(await numbered(empty)).toEqual([]);
    await expect(numbered(join(dir, 'missing.txt'))).rejects.toThrow(UsageError);
  });

  it('refuses a line longer than the cap, naming its number (a file without line breaks must not grow the process)', async () => {
    const file = join(dir, 'long.txt');
    await writeFile(file, `ok\nfine\n${'x'.repeat(5000)}\nafter\n`);
    const read = async () => {
      for await (const _ of readLineBatches(file, 4096));
    };
    await expect(read()).rejects.toThrow(UsageError);
    await expect(read()).rejects.toThrow(/line 3 is longer than 4096 characters/);
  });

  it('stops on /dev/zero (no line break, ever) with the default cap', async () => {
    const read = async () => {
      for await (const _ of readLineBatches('/dev/zero'));
    };
    await expect(read()).rejects.toThrow(/\/dev\/zero: line 1 is longer than \d+ characters/);
  });
});
