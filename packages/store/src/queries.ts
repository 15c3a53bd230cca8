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

/** Distinct events per org and local day from the hourly rollup (cheap: reads no raw rows). */
export async function dailyCountsFromRollup(
  store: Store,
  where = '1',
  timeZone = 'Asia/Shanghai',
): Promise<Array<{ org_id: string; day: string; events: number }>> {
  const rows = await selectRows<{ org_id: string; day: string; events: number | string }>(
    store,
    `SELECT org_id, toString(toDate(hour, '${timeZone.replace(/[^A-Za-z_/]/g, '')}')) AS day, uniqExactMerge(events) AS events
     FROM ${store.database}.trace_hourly WHERE ${where} GROUP BY org_id, day ORDER BY org_id, day`,
  );
  return rows.map((r) => ({ org_id: r.org_id, day: r.day, events: Number(r.events) }));
}
