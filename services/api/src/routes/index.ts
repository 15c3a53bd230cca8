import { overdueNotices } from '@tracewatch/notices';
import type { Store } from '@tracewatch/store';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { type AlertRoutesDeps, alertRoutes } from './alerts.js';
import { auditRoutes } from './audit.js';
import { evaluationRoutes } from './evaluations.js';
import { findingRoutes } from './findings.js';
import { inspectRoutes } from './inspect.js';
import { meRoutes } from './me.js';
import { noticeRoutes } from './notices.js';
import { platformRoutes } from './platforms.js';
import { rankingRoutes } from './ranking.js';
import { recipientRoutes } from './recipients.js';
import { reportRoutes } from './report.js';

/** One module per area. */
export function apiRoutes(store: Store, alerts: AlertRoutesDeps): FastifyPluginAsyncZod[] {
  return [
    meRoutes,
    platformRoutes(store),
    inspectRoutes(store),
    evaluationRoutes(store),
    auditRoutes(store),
    alertRoutes(store, alerts),
    findingRoutes(store),
    rankingRoutes(store, {
      overdueNotices: async (asOf, scope) =>
        (await overdueNotices(store, asOf, scope)).map((n) => ({
          id: n.id,
          units: n.items.map((i) => ({ platformId: i.platformId, orgId: i.orgId })),
        })),
    }),
    reportRoutes(store),
    recipientRoutes(store),
    noticeRoutes(store),
  ];
}
