import {
  checkDayRange,
  dayRangeShape,
  evaluationExists,
  evaluationOutSchema,
  insertEvaluation,
  listEvaluations,
} from '@tracewatch/inspect';
import { boundedId, evaluationSchema } from '@tracewatch/schema';
import type { Store } from '@tracewatch/store';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { accessOf } from '../access.js';
import { ERROR_RESPONSES, errorBodySchema, HttpError } from '../errors.js';
import { requireVisiblePlatform } from './common.js';

const listQuery = z
  .strictObject({ platformId: boundedId.optional(), orgId: boundedId.optional(), ...dayRangeShape })
  .superRefine(checkDayRange);

/** The evaluation calendar: list (scoped), create (inspectors and admins). */
export function evaluationRoutes(store: Store): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/v1/evaluations',
      {
        config: { permission: 'evaluations.read' },
        schema: {
          tags: ['evaluations'],
          summary: 'Evaluations overlapping the range (optionally of one platform or org)',
          querystring: listQuery,
          response: { 200: z.object({ evaluations: z.array(evaluationOutSchema) }), ...ERROR_RESPONSES },
        },
      },
      async (req) => {
        const { scope } = accessOf(req);
        requireVisiblePlatform(scope, req.query.platformId);
        const evaluations = await listEvaluations(store, scope, req.query, req.query);
        req.rowsReturned = evaluations.length;
        return { evaluations };
      },
    );

    app.post(
      '/v1/evaluations',
      {
        config: { permission: 'evaluations.write' },
        schema: {
          tags: ['evaluations'],
          summary: 'Adds an entry to the evaluation calendar (same schema as the evaluations topic)',
          body: evaluationSchema,
          response: { 201: z.object({ id: z.string() }), 409: errorBodySchema, ...ERROR_RESPONSES },
        },
      },
      async (req, reply) => {
        accessOf(req);
        if (await evaluationExists(store, req.body.id))
          throw new HttpError(409, `evaluation ${JSON.stringify(req.body.id)} exists already; choose another id`);
        await insertEvaluation(store, req.body);
        req.rowsReturned = 1;
        return reply.code(201).send({ id: req.body.id });
      },
    );
  };
}
