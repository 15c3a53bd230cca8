import { roleSchema } from '@tracewatch/access';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { accessOf } from '../access.js';
import { ERROR_RESPONSES } from '../errors.js';

/** Who the key belongs to: the console shows it and picks the pages the role may use. */
export const meRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/v1/me',
    {
      config: { permission: 'self.read' },
      schema: {
        tags: ['access'],
        summary: 'The calling key: name, role and (for owners) platforms',
        response: {
          200: z.object({ keyId: z.string(), name: z.string(), role: roleSchema, platformIds: z.array(z.string()) }),
          ...ERROR_RESPONSES,
        },
      },
    },
    async (req) => {
      const { principal } = accessOf(req);
      req.rowsReturned = 1;
      return principal;
    },
  );
};
