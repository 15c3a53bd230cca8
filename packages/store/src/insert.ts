import { Readable } from 'node:stream';
import { toTsv } from '@tracewatch/schema';
import type { Store } from './client.js';
import { sqlIdentifier } from './sql.js';

export const TABLES = {
  traceEvents: 'trace_events',
  evaluations: 'evaluations',
  reportedMetrics: 'reported_metrics',
} as const;
export type TableName = (typeof TABLES)[keyof typeof TABLES];

/**
 * Inserts rows in one request, as TabSeparated with the columns of the first row (every row
 * of a table comes from the one mapping in @tracewatch/schema, so all share its keys).
 * Throws on any failure; callers decide to retry.
 */
export async function insertRows(store: Store, table: TableName, rows: readonly object[]): Promise<void> {
  if (rows.length === 0) return;
  const columns = Object.keys(rows[0]!);
  for (const c of columns) sqlIdentifier(c);
  await store.client.insert({
    table: `${store.database}.${sqlIdentifier(table)}`,
    columns: columns as [string, ...string[]],
    values: Readable.from([toTsv(rows, columns)], { objectMode: false }),
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
