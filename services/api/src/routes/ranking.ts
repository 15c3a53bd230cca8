import {
  checkDayRange,
  dayRangeShape,
  MAX_RANKING_ROWS,
  type OverdueNoticeCounter,
  RANKING_CSV_HEADER,
  RANKING_LEVELS,
  ranking,
  rankingCsvRows,
  rankingRowSchema,
  toCsv,
} from '@tracewatch/inspect';
import type { Store } from '@tracewatch/store';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { accessOf } from '../access.js';
import { ERROR_RESPONSES } from '../errors.js';
import { csvResponse, sendCsv } from './common.js';

const rankingQuery = z
  .strictObject({
    level: z.enum(RANKING_LEVELS).default('org').describe('rank units (org) or platforms'),
    limit: z.coerce.number().int().min(1).max(MAX_RANKING_ROWS).default(50),
    ...dayRangeShape,
  })
  .superRefine(checkDayRange);

const rankingAnswerSchema = z.object({
  level: z.enum(RANKING_LEVELS),
  range: z.object({ from: z.string(), to: z.string(), tz: z.string() }),
  rows: z.array(rankingRowSchema),
  overdueNoticesConnected: z
    .boolean()
    .describe('false while the notices service is not wired: the overdueNotices column is then null'),
  queriedAt: z.string(),
});

export interface RankingRouteOptions {
  /** Overdue notices per platform / unit (packages/notices `overdueNotices(asOf)`), when wired. */
  overdueNotices?: OverdueNoticeCounter | undefined;
}

/** Ranking (负面典型): units or platforms by confirmed and open findings, with their indicators. */
export function rankingRoutes(store: Store, options: RankingRouteOptions = {}): FastifyPluginAsyncZod {
  return async (app) => {
    const answer = async (scope: Parameters<typeof ranking>[1], q: z.infer<typeof rankingQuery>) =>
      ranking(store, scope, q.level, q, { limit: q.limit, overdueNotices: options.overdueNotices });

    app.get(
      '/v1/ranking',
      {
        config: { permission: 'inspect.read' },
        schema: {
          tags: ['ranking'],
          summary:
            'Units or platforms ranked by confirmed, then open findings whose period meets the range, with reality indicators',
          querystring: rankingQuery,
          response: { 200: rankingAnswerSchema, ...ERROR_RESPONSES },
        },
      },
      async (req) => {
        const { scope } = accessOf(req);
        const q = req.query;
        const result = await answer(scope, q);
        req.rowsReturned = result.rows.length;
        return {
          level: q.level,
          range: { from: q.from, to: q.to, tz: q.tz },
          ...result,
          queriedAt: new Date().toISOString(),
        };
      },
    );

    app.get(
      '/v1/ranking.csv',
      {
        config: { permission: 'inspect.read' },
        schema: {
          tags: ['ranking'],
          summary: 'The ranking as CSV',
          querystring: rankingQuery,
          response: { 200: csvResponse(RANKING_CSV_HEADER), ...ERROR_RESPONSES },
        },
      },
      async (req, reply) => {
        const { scope } = accessOf(req);
        const q = req.query;
        const result = await answer(scope, q);
        req.rowsReturned = result.rows.length;
        return sendCsv(
          reply,
          `ranking_${q.level}_${q.from}_${q.to}.csv`,
          toCsv(RANKING_CSV_HEADER, rankingCsvRows(result.rows)),
        );
      },
    );
  };
}
