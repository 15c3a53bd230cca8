import { type Store, selectRows } from '@tracewatch/store';
import type { z } from 'zod';

/** Runs a builder's SQL and reads every row back through its schema (a changed column fails loudly). */
export async function readRows<S extends z.ZodType>(store: Store, sql: string, schema: S): Promise<z.infer<S>[]> {
  const rows = await selectRows<unknown>(store, sql);
  return rows.map((r) => schema.parse(r));
}
