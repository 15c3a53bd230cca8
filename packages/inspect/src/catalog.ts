import { platformFilter, type Scope } from '@tracewatch/access';
import type { Store } from '@tracewatch/store';
import { z } from 'zod';
import { readRows } from './rows.js';

const MAX_CATALOG_ROWS = 10_000;

export const catalogSchema = z.object({
  platforms: z.array(z.object({ platformId: z.string(), events: z.number(), orgIds: z.array(z.string()) })),
});
export type Catalog = z.infer<typeof catalogSchema>;

const catalogRow = z.object({ platform_id: z.string(), org_id: z.string(), n: z.coerce.number() });

export function catalogSql(database: string, scope: Scope): string {
  return `SELECT platform_id, org_id, uniqExactMerge(events) AS n FROM ${database}.trace_hourly
WHERE ${platformFilter(scope, 'platform_id')} GROUP BY platform_id, org_id ORDER BY platform_id, org_id LIMIT ${MAX_CATALOG_ROWS}`;
}

/** The platforms in the scope, each with its units and stored event count (from the hourly rollup). */
export async function platformCatalog(store: Store, scope: Scope): Promise<{ catalog: Catalog; rows: number }> {
  const rows = await readRows(store, catalogSql(store.database, scope), catalogRow);
  const byPlatform = new Map<string, Catalog['platforms'][number]>();
  for (const r of rows) {
    const p = byPlatform.get(r.platform_id) ?? { platformId: r.platform_id, events: 0, orgIds: [] };
    p.events += r.n;
    p.orgIds.push(r.org_id);
    byPlatform.set(r.platform_id, p);
  }
  return { catalog: { platforms: [...byPlatform.values()] }, rows: rows.length };
}
