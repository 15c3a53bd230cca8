import { auditRecordSchema, readAudit, roleSchema } from '@tracewatch/access';
import { instant } from '@tracewatch/schema';
import type { Store } from '@tracewatch/store';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { accessOf } from '../access.js';
import { ERROR_RESPONSES } from '../errors.js';

const MAX_AUDIT_SPAN_MS = 731 * 86_400_000;
export const MAX_PAGE = 1000;

const auditQuery = z
  .strictObject({
    from: instant.describe('ISO instant, inclusive'),
    to: instant.describe('ISO instant, exclusive; from < to, at most 2 years later'),
    keyId: z
      .string()
      .regex(/^[0-9a-f]{16}$/, 'a key id is 16 lower-case hex digits')
      .optional(),
    role: roleSchema.optional(),
    limit: z.coerce.number().int().min(1).max(MAX_PAGE).default(100),
    offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
  })
  .superRefine((q, ctx) => {
    const span = Date.parse(q.to) - Date.parse(q.from);
    if (!(span > 0)) ctx.addIssue({ code: 'custom', path: ['to'], message: 'to must be after from' });
    else if (span > MAX_AUDIT_SPAN_MS)
      ctx.addIssue({ code: 'custom', path: ['to'], message: 'the range may span at most 2 years' });
  });

/** The audit log, for admins: who asked what, when, and how many rows they got. */
export function auditRoutes(store: Store): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/v1/audit',
      {
        config: { permission: 'audit.read' },
        schema: {
          tags: ['audit'],
          summary: 'Audit log entries, newest first',
          querystring: auditQuery,
          response: { 200: z.object({ entries: z.array(auditRecordSchema) }), ...ERROR_RESPONSES },
        },
      },
      async (req) => {
        accessOf(req);
        const q = req.query;
        const entries = await readAudit(store, { ...q, fromMs: Date.parse(q.from), toMs: Date.parse(q.to) });
        req.rowsReturned = entries.length;
        return { entries };
      },
    );
  };
}
