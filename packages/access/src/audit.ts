import { type Store, selectRows, sqlDateTime, sqlNumber, sqlString } from '@tracewatch/store';
import { z } from 'zod';

export interface AuditEntry {
  atMs: number;
  requestId: string;
  keyId: string;
  keyName: string;
  role: string;
  method: string;
  route: string;
  /** The request's parameters (path, query, body) as given, JSON. */
  parameters: string;
  status: number;
  rowsReturned: number;
}

export async function writeAudit(store: Store, e: AuditEntry): Promise<void> {
  const at = Math.floor(e.atMs / 1000);
  await store.client.insert({
    table: `${store.database}.audit_log`,
    format: 'JSONEachRow',
    values: [
      {
        at,
        at_ms: e.atMs - at * 1000,
        request_id: e.requestId,
        key_id: e.keyId,
        key_name: e.keyName,
        role: e.role,
        method: e.method,
        route: e.route,
        parameters: e.parameters,
        status: e.status,
        rows_returned: e.rowsReturned,
      },
    ],
  });
}

export const auditRecordSchema = z.object({
  at: z.string(),
  requestId: z.string(),
  keyId: z.string(),
  keyName: z.string(),
  role: z.string(),
  method: z.string(),
  route: z.string(),
  parameters: z.string(),
  status: z.number(),
  rowsReturned: z.number(),
});
export type AuditRecord = z.infer<typeof auditRecordSchema>;

export interface AuditQuery {
  fromMs: number;
  toMs: number;
  keyId?: string | undefined;
  role?: string | undefined;
  limit: number;
  offset: number;
}

/** The SELECT for a page of the audit log, newest first (pure; values through the escaping helpers). */
export function auditQuerySql(database: string, q: AuditQuery): string {
  const where = [`at >= ${sqlDateTime(q.fromMs)}`, `at < ${sqlDateTime(q.toMs)}`];
  if (q.keyId !== undefined) where.push(`key_id = ${sqlString(q.keyId)}`);
  if (q.role !== undefined) where.push(`role = ${sqlString(q.role)}`);
  return `SELECT toUnixTimestamp(at) * 1000 + at_ms AS at_ms, request_id, key_id, key_name, role, method, route, parameters, status, rows_returned
FROM ${database}.audit_log WHERE ${where.join(' AND ')}
ORDER BY at DESC, at_ms DESC LIMIT ${sqlNumber(q.limit)} OFFSET ${sqlNumber(q.offset)}`;
}

const auditRowSchema = z.object({
  at_ms: z.coerce.number(),
  request_id: z.string(),
  key_id: z.string(),
  key_name: z.string(),
  role: z.string(),
  method: z.string(),
  route: z.string(),
  parameters: z.string(),
  status: z.coerce.number(),
  rows_returned: z.coerce.number(),
});

export async function readAudit(store: Store, q: AuditQuery): Promise<AuditRecord[]> {
  const rows = await selectRows<unknown>(store, auditQuerySql(store.database, q));
  return rows.map((raw) => {
    const r = auditRowSchema.parse(raw);
    return {
      at: new Date(r.at_ms).toISOString(),
      requestId: r.request_id,
      keyId: r.key_id,
      keyName: r.key_name,
      role: r.role,
      method: r.method,
      route: r.route,
      parameters: r.parameters,
      status: r.status,
      rowsReturned: r.rows_returned,
    };
  });
}
