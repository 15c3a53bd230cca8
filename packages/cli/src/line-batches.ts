/**
 * Reads a text file as batches of lines. Faster than readline for millions of lines: one
 * string per 1 MiB chunk is split at once, and the caller loops synchronously over a batch
 * (no promise per line).
 */
import { createReadStream } from 'node:fs';
import { access } from 'node:fs/promises';
import { UsageError } from './args.js';

export interface LineBatch {
  /** Line number (from 1) of lines[0]. */
  firstLineNo: number;
  /** The lines, without their line breaks (a trailing '\r' is removed); blank lines included. */
  lines: string[];
}

const CHUNK_BYTES = 1 << 20;
/**
 * The longest line read (in UTF-16 units): far beyond any record (16 KB), and it keeps a file
 * without line breaks (/dev/zero, a binary) from growing the process without bound.
 */
export const MAX_LINE_CHARS = 4 * CHUNK_BYTES;

/**
 * Yields the lines of `path` in batches, in order, numbered from 1.
 * @throws UsageError when the file cannot be opened (missing, a directory, no permission), or
 *   when a line is longer than `maxLineChars` (naming its number).
 */
export async function* readLineBatches(path: string, maxLineChars = MAX_LINE_CHARS): AsyncGenerator<LineBatch> {
  try {
    await access(path);
  } catch {
    throw new UsageError(`cannot read ${path}: no such file`);
  }
  const stream = createReadStream(path, { encoding: 'utf8', highWaterMark: CHUNK_BYTES });
  let carry = '';
  let nextLineNo = 1;
  try {
    for await (const chunk of stream as AsyncIterable<string>) {
      const text = carry + chunk;
      const lastBreak = text.lastIndexOf('\n');
      carry = lastBreak < 0 ? text : text.slice(lastBreak + 1);
      if (carry.length > maxLineChars)
        throw tooLong(path, nextLineNo + (lastBreak < 0 ? 0 : countBreaks(text, lastBreak)), maxLineChars);
      if (lastBreak < 0) continue;
      const lines = text.slice(0, lastBreak).split('\n');
      for (let i = 0; i < lines.length; i++) {
        if (lines[i]!.length > maxLineChars) throw tooLong(path, nextLineNo + i, maxLineChars);
        if (lines[i]!.endsWith('\r')) lines[i] = lines[i]!.slice(0, -1);
      }
      yield { firstLineNo: nextLineNo, lines };
      nextLineNo += lines.length;
    }
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EISDIR' || code === 'EACCES') throw new UsageError(`cannot read ${path}: ${code}`);
    throw err;
  }
  if (carry.endsWith('\r')) carry = carry.slice(0, -1);
  if (carry !== '') yield { firstLineNo: nextLineNo, lines: [carry] };
}

/** Line breaks in text[0..end]. */
function countBreaks(text: string, end: number): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i <= end; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

function tooLong(path: string, lineNo: number, maxLineChars: number): UsageError {
  return new UsageError(`${path}: line ${lineNo} is longer than ${maxLineChars} characters: not a JSON-lines file?`);
}
