import { Readable } from 'node:stream';
import type { Store } from './client.js';
import { sqlIdentifier } from './sql.js';

export const TABLES = {
  traceEvents: 'trace_events',
  evaluations: 'evaluations',
  reportedMetrics: 'reported_metrics',
} as const;
export type TableName = (typeof TABLES)[keyof typeof TABLES];

/**
 * Inserts TabSeparated lines (already encoded, each ending in '\n', in the order of `columns`)
 * in one request; the chunks are streamed as they are, not joined. Throws on any failure;
 * callers decide to retry.
 */
export async function insertTsv(
  store: Store,
  table: TableName,
  columns: readonly string[],
  chunks: readonly Uint8Array[],
): Promise<void> {
  if (chunks.length === 0) return;
  for (const c of columns) sqlIdentifier(c);
  await store.client.insert({
    table: `${store.database}.${sqlIdentifier(table)}`,
    columns: [...columns] as [string, ...string[]],
    values: Readable.from(chunks, { objectMode: false }),
    format: 'TabSeparated',
  });
}

/**
 * Whether ClickHouse refused an insert because of the rows themselves (a value it cannot
 * parse or convert). Only such errors justify isolating rows; every other failure (network,
 * overload, a missing table, permissions) is treated as "unavailable": the same rows are
 * retried later and nothing is dead-lettered for a fault that is not theirs.
 */
export function isRowDataError(err: unknown): boolean {
  const e = err as { code?: string | number; message?: string; cause?: { message?: string } };
  // Current servers give the code as a field; 18.16's error text is only parsed as "Code: N, ...".
  const text = `${e?.message ?? ''} ${e?.cause?.message ?? ''}`;
  const code = String(e?.code ?? /Code: (\d+)/.exec(text)?.[1] ?? '');
  // CANNOT_PARSE_TEXT 6, ..._QUOTED_STRING 26, ..._INPUT_ASSERTION_FAILED 27, ATTEMPT_TO_READ_AFTER_EOF 32,
  // CANNOT_PARSE_DATE 38, ..._DATETIME 41, TYPE_MISMATCH 53, ARGUMENT_OUT_OF_BOUND 69,
  // CANNOT_CONVERT_TYPE 70, CANNOT_PARSE_NUMBER 72, INCORRECT_DATA 117, TOO_LARGE_STRING_SIZE 131
  return ['6', '26', '27', '32', '38', '41', '53', '69', '70', '72', '117', '131'].includes(code);
}

/** The lines of a TSV chunk (raw '\n' only ends a line: TSV escapes newlines inside fields). */
export function splitTsvLines(data: Uint8Array): Uint8Array[] {
  const lines: Uint8Array[] = [];
  let start = 0;
  for (let i = data.indexOf(10); i !== -1; i = data.indexOf(10, start)) {
    lines.push(data.subarray(start, i + 1));
    start = i + 1;
  }
  if (start < data.length) lines.push(data.subarray(start));
  return lines;
}
