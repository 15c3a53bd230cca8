import { createReadStream } from 'node:fs';
import { access } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { UsageError } from './args.js';

export interface JsonlLine {
  lineNo: number;
  text: string;
}

/** Lines of a JSONL file, numbered from 1, blank lines skipped. A missing file is a UsageError. */
export async function* readJsonlLines(path: string): AsyncGenerator<JsonlLine> {
  try {
    await access(path);
  } catch {
    throw new UsageError(`cannot read ${path}: no such file`);
  }
  const rl = createInterface({
    input: createReadStream(path, { encoding: 'utf8', highWaterMark: 1 << 20 }),
    crlfDelay: Number.POSITIVE_INFINITY,
  });
  let lineNo = 0;
  for await (const text of rl) {
    lineNo++;
    if (text.trim() === '') continue;
    yield { lineNo, text };
  }
}

/** Prints progress on stderr at most every `everyMs` (only when stderr is read by someone). */
export function progressReporter(label: string, everyMs = 1000) {
  let last = Date.now();
  const started = last;
  return {
    tick(count: number) {
      const now = Date.now();
      if (now - last < everyMs) return;
      last = now;
      const rate = Math.round(count / ((now - started) / 1000));
      process.stderr.write(`${label}: ${count.toLocaleString('en')} (${rate.toLocaleString('en')}/s)\n`);
    },
  };
}
