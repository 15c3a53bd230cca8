import type { Store } from '@tracewatch/store';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { type AlertRoutesDeps, alertRoutes } from './alerts.js';
import { auditRoutes } from './audit.js';
import { evaluationRoutes } from './evaluations.js';
import { findingRoutes } from './findings.js';
import { inspectRoutes } from './inspect.js';
import { meRoutes } from './me.js';
import { platformRoutes } from './platforms.js';
import { rankingRoutes } from './ranking.js';
import { reportRoutes } from './report.js';

/**
 * One module per area. Still to come, each as its own module here once packages/alerts is
 * merged (do not write a second alerts library): notices (owners).
 */
export function apiRoutes(store: Store, alerts: AlertRoutesDeps): FastifyPluginAsyncZod[] {
  return [
    meRoutes,
    platformRoutes(store),
    inspectRoutes(store),
    evaluationRoutes(store),
    auditRoutes(store),
    alertRoutes(store, alerts),
    findingRoutes(store),
    // Overdue notices, once packages/notices is merged: rankingRoutes(store, { overdueNotices:
    //   async (asOf, scope) => (await overdueNotices(store, asOf, scope)).map((n) =>
    //     ({ id: n.id, units: n.items.map((i) => ({ platformId: i.platformId, orgId: i.orgId })) })) })
    rankingRoutes(store),
    reportRoutes(store),
  ];
}
