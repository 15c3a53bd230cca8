import { readLineBatches } from './line-batches.js';

export interface JsonlLine {
  lineNo: number;
  text: string;
}

/**
 * Lines of a JSONL file, numbered from 1, blank lines skipped. A missing file, or a line
 * longer than MAX_LINE_CHARS (a file with no line breaks: /dev/zero, a binary), is a
 * UsageError naming the line, as for analyze.
 */
export async function* readJsonlLines(path: string): AsyncGenerator<JsonlLine> {
  for await (const batch of readLineBatches(path)) {
    for (let i = 0; i < batch.lines.length; i++) {
      const text = batch.lines[i]!;
      if (text.trim() !== '') yield { lineNo: batch.firstLineNo + i, text };
    }
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
