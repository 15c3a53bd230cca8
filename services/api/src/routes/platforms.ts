import { platformFilter } from '@tracewatch/access';
import { platformReality, readRows, realityCsvRows, realitySchema, toCsv } from '@tracewatch/inspect';
import { boundedId } from '@tracewatch/schema';
import type { Store } from '@tracewatch/store';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { accessOf } from '../access.js';
import { ERROR_RESPONSES } from '../errors.js';
import { rangeQuery, requireVisiblePlatform, sendCsv } from './common.js';

const MAX_CATALOG_ROWS = 10_000;
const platformParams = z.strictObject({ platformId: boundedId });
const catalogRow = z.object({ platform_id: z.string(), org_id: z.string(), n: z.coerce.number() });
const catalogSchema = z.object({
  platforms: z.array(z.object({ platformId: z.string(), events: z.number(), orgIds: z.array(z.string()) })),
});
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
        const rows = await readRows(
          store,
          `SELECT platform_id, org_id, uniqExactMerge(events) AS n FROM ${store.database}.trace_hourly
WHERE ${platformFilter(scope, 'platform_id')} GROUP BY platform_id, org_id ORDER BY platform_id, org_id LIMIT ${MAX_CATALOG_ROWS}`,
          catalogRow,
        );
        const byPlatform = new Map<string, { platformId: string; events: number; orgIds: string[] }>();
        for (const r of rows) {
          const p = byPlatform.get(r.platform_id) ?? { platformId: r.platform_id, events: 0, orgIds: [] };
          p.events += r.n;
          p.orgIds.push(r.org_id);
          byPlatform.set(r.platform_id, p);
        }
        req.rowsReturned = rows.length;
        return { platforms: [...byPlatform.values()] };
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
