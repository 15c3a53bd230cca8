import {
  dailySeries,
  evaluationOutSchema,
  SERIES_CSV_HEADER,
  seriesCsvRows,
  seriesDaySchema,
  toCsv,
} from '@tracewatch/inspect';
import type { Store } from '@tracewatch/store';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { accessOf } from '../access.js';
import { ERROR_RESPONSES } from '../errors.js';
import { requireVisiblePlatform, sendCsv, targetRangeQuery } from './common.js';

const seriesAnswerSchema = z.object({
  target: z.object({ platformId: z.string().nullable(), orgId: z.string().nullable() }),
  range: z.object({ from: z.string(), to: z.string(), tz: z.string() }),
  days: z.array(seriesDaySchema),
  evaluations: z.array(evaluationOutSchema),
  extent: z
    .object({ firstDay: z.string(), lastDay: z.string() })
    .nullable()
    .describe('first and last day of the range with claimed events'),
  queriedAt: z.string(),
});

/** Inspection of an org or platform: the daily series by claimed and recorded time, with the evaluations. */
export function inspectRoutes(store: Store): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/v1/inspect/series',
      {
        config: { permission: 'inspect.read' },
        schema: {
          tags: ['inspection'],
          summary: 'Daily series by claimed and by recorded time, with the evaluation dates',
          querystring: targetRangeQuery,
          response: { 200: seriesAnswerSchema, ...ERROR_RESPONSES },
        },
      },
      async (req) => {
        const { scope } = accessOf(req);
        const q = req.query;
        requireVisiblePlatform(scope, q.platformId);
        const answer = await dailySeries(store, scope, q, q);
        const active = answer.days.filter((d) => d.claimed > 0);
        req.rowsReturned = answer.days.length + answer.evaluations.length;
        return {
          target: { platformId: q.platformId ?? null, orgId: q.orgId ?? null },
          range: { from: q.from, to: q.to, tz: q.tz },
          days: answer.days,
          evaluations: answer.evaluations,
          extent: active.length > 0 ? { firstDay: active[0]!.day, lastDay: active[active.length - 1]!.day } : null,
          queriedAt: new Date().toISOString(),
        };
      },
    );

    app.get(
      '/v1/inspect/series.csv',
      {
        config: { permission: 'inspect.read' },
        schema: {
          tags: ['inspection'],
          summary: 'The daily series as CSV (day, claimed, recorded, backfilled, evaluations starting)',
          querystring: targetRangeQuery,
          produces: ['text/csv'],
          response: { 200: z.string(), ...ERROR_RESPONSES },
        },
      },
      async (req, reply) => {
        const { scope } = accessOf(req);
        const q = req.query;
        requireVisiblePlatform(scope, q.platformId);
        const answer = await dailySeries(store, scope, q, q);
        req.rowsReturned = answer.days.length;
        const name = `series_${q.platformId ?? 'all'}_${q.orgId ?? 'all'}_${q.from}_${q.to}.csv`;
        return sendCsv(reply, name, toCsv(SERIES_CSV_HEADER, seriesCsvRows(answer, q.tz)));
      },
    );
  };
}
