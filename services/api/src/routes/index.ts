import type { Store } from '@tracewatch/store';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { auditRoutes } from './audit.js';
import { evaluationRoutes } from './evaluations.js';
import { inspectRoutes } from './inspect.js';
import { meRoutes } from './me.js';
import { noticeRoutes } from './notices.js';
import { platformRoutes } from './platforms.js';
import { recipientRoutes } from './recipients.js';

/**
 * One module per area. Still to come, each as its own module here once packages/alerts is
 * merged (do not write a second alerts library): alerts (list/filter, lifecycle commands,
 * the SSE stream), findings and suspicious periods (inspection), ranking.
 */
export function apiRoutes(store: Store): FastifyPluginAsyncZod[] {
  return [
    meRoutes,
    platformRoutes(store),
    inspectRoutes(store),
    evaluationRoutes(store),
    auditRoutes(store),
    recipientRoutes(store),
    noticeRoutes(store),
  ];
}
