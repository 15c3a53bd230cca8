import type { Store } from './client.js';

/**
 * Runs a SELECT and returns its rows (JSONEachRow). Read-only: refused writes are an error.
 * The SQL is sent as it is: name tables as `${store.database}.table` and put values in with
 * the helpers of sql.ts (no placeholder is substituted, so no literal can be altered).
 */
export async function selectRows<T>(store: Store, sql: string, settings: Record<string, unknown> = {}): Promise<T[]> {
  const rs = await store.client.query({
    query: sql,
    format: 'JSONEachRow',
    clickhouse_settings: { readonly: '1', ...settings } as never,
  });
  return rs.json<T>();
}

/** Counts that every consumer of the store agrees on: distinct event ids, never raw rows. */
export async function countTraceEvents(store: Store, where = '1'): Promise<number> {
  const rows = await selectRows<{ n: number | string }>(
    store,
    `SELECT uniqExact(event_id) AS n FROM ${store.database}.trace_events WHERE ${where}`,
  );
  return Number(rows[0]?.n ?? 0);
}
