import {
  catalogSchema,
  platformCatalog,
  platformReality,
  realityCsvRows,
  realitySchema,
  toCsv,
} from '@tracewatch/inspect';
import { boundedId } from '@tracewatch/schema';
import type { Store } from '@tracewatch/store';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { accessOf } from '../access.js';
import { ERROR_RESPONSES } from '../errors.js';
import { rangeQuery, requireVisiblePlatform, sendCsv } from './common.js';

const platformParams = z.strictObject({ platformId: boundedId });
const realityAnswerSchema = realitySchema.extend({
  platformId: z.string(),
  range: z.object({ from: z.string(), to: z.string(), tz: z.string() }),
  queriedAt: z.string(),
});

/** Platforms in the caller's scope, and how each is really used. */
export function platformRoutes(store: Store): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/v1/platforms',
      {
        config: { permission: 'platforms.read' },
        schema: {
          tags: ['platforms'],
          summary: 'Platforms (and their units) this key may see, with their stored event counts',
          querystring: z.strictObject({}),
          response: { 200: catalogSchema, ...ERROR_RESPONSES },
        },
      },
      async (req) => {
        const { scope } = accessOf(req);
        const { catalog, rows } = await platformCatalog(store, scope);
        req.rowsReturned = rows;
        return catalog;
      },
    );

    app.get(
      '/v1/platforms/:platformId/reality',
      {
        config: { permission: 'platforms.read' },
        schema: {
          tags: ['platforms'],
          summary:
            'How the platform is really used: registered and active users, DAU/MAU, public vs staff, by department, hour × weekday, evaluation pre-windows, deadlines',
          params: platformParams,
          querystring: rangeQuery,
          response: { 200: realityAnswerSchema, ...ERROR_RESPONSES },
        },
      },
      async (req) => {
        const { scope } = accessOf(req);
        requireVisiblePlatform(scope, req.params.platformId);
        const reality = await platformReality(store, scope, req.params.platformId, req.query);
        req.rowsReturned = 1 + reality.byDepartment.length + reality.hourWeekday.length;
        return { platformId: req.params.platformId, range: req.query, ...reality, queriedAt: new Date().toISOString() };
      },
    );

    app.get(
      '/v1/platforms/:platformId/reality.csv',
      {
        config: { permission: 'platforms.read' },
        schema: {
          tags: ['platforms'],
          summary: 'The platform-reality indicators as CSV (section, key, value)',
          params: platformParams,
          querystring: rangeQuery,
          produces: ['text/csv'],
          response: { 200: z.string(), ...ERROR_RESPONSES },
        },
      },
      async (req, reply) => {
        const { scope } = accessOf(req);
        requireVisiblePlatform(scope, req.params.platformId);
        const reality = await platformReality(store, scope, req.params.platformId, req.query);
        const rows = realityCsvRows(reality);
        req.rowsReturned = rows.length;
        const q = req.query;
        return sendCsv(
          reply,
          `reality_${req.params.platformId}_${q.from}_${q.to}.csv`,
          toCsv(['section', 'key', 'value'], rows),
        );
      },
    );
  };
}
