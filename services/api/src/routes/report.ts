import { roleSchema } from '@tracewatch/access';
import { evaluationOutSchema, inspectionReport, seriesDaySchema, suspiciousPeriodSchema } from '@tracewatch/inspect';
import type { Store } from '@tracewatch/store';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { accessOf } from '../access.js';
import { ERROR_RESPONSES } from '../errors.js';
import { requireVisiblePlatform, targetRangeQuery } from './common.js';

const reportSchema = z.object({
  target: z.object({ platformId: z.string().nullable(), orgId: z.string().nullable() }),
  range: z.object({ from: z.string(), to: z.string(), tz: z.string() }),
  days: z.array(seriesDaySchema),
  evaluations: z.array(evaluationOutSchema),
  periods: z.array(suspiciousPeriodSchema),
  findings: z.number(),
  truncated: z.boolean(),
  extent: z.object({ firstDay: z.string(), lastDay: z.string() }).nullable(),
  totals: z.object({ claimed: z.number(), recorded: z.number(), backfilled: z.number() }),
  requestedBy: z.object({ keyId: z.string(), name: z.string(), role: roleSchema }),
  auditRequestId: z.string().describe('the audit log entry of this request (GET /v1/audit)'),
  queriedAt: z.string().describe('when the data was read'),
  queryMs: z.number().describe('how long reading it took'),
});

/** The inspection report: everything the printable page shows, read in one request (audited). */
export function reportRoutes(store: Store): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/v1/inspect/report',
      {
        config: { permission: 'inspect.read' },
        schema: {
          tags: ['inspection'],
          summary:
            'The inspection report of an org or platform: series, evaluations, suspicious periods with their findings, extent, who asked and when',
          querystring: targetRangeQuery,
          response: { 200: reportSchema, ...ERROR_RESPONSES },
        },
      },
      async (req) => {
        const { scope, principal } = accessOf(req);
        const q = req.query;
        requireVisiblePlatform(scope, q.platformId);
        const started = performance.now();
        const queriedAt = new Date().toISOString();
        const content = await inspectionReport(store, scope, q, q);
        req.rowsReturned = content.days.length + content.evaluations.length + content.findings;
        return {
          target: { platformId: q.platformId ?? null, orgId: q.orgId ?? null },
          range: { from: q.from, to: q.to, tz: q.tz },
          ...content,
          requestedBy: { keyId: principal.keyId, name: principal.name, role: principal.role },
          auditRequestId: String(req.id),
          queriedAt,
          queryMs: Math.round((performance.now() - started) * 10) / 10,
        };
      },
    );
  };
}
