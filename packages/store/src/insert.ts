import { Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import type { Store } from './client.js';
import { sqlIdentifier } from './sql.js';

export const TABLES = {
  traceEvents: 'trace_events',
  evaluations: 'evaluations',
  reportedMetrics: 'reported_metrics',
} as const;
export type TableName = (typeof TABLES)[keyof typeof TABLES];

/**
 * How rows are framed on the wire. RowBinary for everything ingest stores (floats bit for bit:
 * ClickHouse 18.16's text float parser is not correctly rounded); TabSeparated for rows built
 * by hand in tests and tools.
 */
export type InsertFormat = 'TabSeparated' | 'RowBinary';

/**
 * Inserts rows already encoded in `format` (in the order of `columns`) in one request; the
 * chunks are streamed as they are, not joined. Throws on any failure; callers decide to retry.
 */
export async function insertRows(
  store: Store,
  table: TableName,
  columns: readonly string[],
  format: InsertFormat,
  chunks: readonly Uint8Array[],
): Promise<void> {
  if (chunks.length === 0) return;
  for (const c of columns) sqlIdentifier(c);
  const target = `${store.database}.${sqlIdentifier(table)}`;
  const values = Readable.from(chunks, { objectMode: false });
  if (format === 'TabSeparated') {
    await store.client.insert({ table: target, columns: [...columns] as [string, ...string[]], values, format });
    return;
  }
  // insert() takes only the formats the client lists, and RowBinary is not one of them in
  // 1.x; exec() streams any body for the FORMAT its query names (clickhouse-js PR #290).
  const result = await store.client.exec({
    query: `INSERT INTO ${target} (${columns.join(', ')}) FORMAT RowBinary`,
    values,
  });
  // The answer of an insert carries nothing; drained so the socket goes back to the pool.
  result.stream.resume();
  await finished(result.stream);
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
  // CANNOT_CONVERT_TYPE 70, CANNOT_PARSE_NUMBER 72, INCORRECT_DATA 117, TOO_LARGE_STRING_SIZE 131;
  // in RowBinary a row cut short: CANNOT_READ_ALL_DATA 33
  return ['6', '26', '27', '32', '33', '38', '41', '53', '69', '70', '72', '117', '131'].includes(code);
}

/** The rows of a chunk: by its row ends if it has them, else as TSV lines. */
export function splitRows(data: Uint8Array, rowEnds: Int32Array | undefined): Uint8Array[] {
  if (!rowEnds) return splitTsvLines(data);
  const rows: Uint8Array[] = new Array(rowEnds.length);
  for (let k = 0, start = 0; k < rowEnds.length; k++) {
    rows[k] = data.subarray(start, rowEnds[k]);
    start = rowEnds[k]!;
  }
  return rows;
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
