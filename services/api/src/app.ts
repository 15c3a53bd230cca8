import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { HEALTH_PATHS, type HealthServerOptions, healthAnswer, type Logger } from '@tracewatch/service-kit';
import type { Store } from '@tracewatch/store';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { installAccess } from './access.js';
import type { ApiConfig } from './config.js';
import { HttpError, installErrorHandler } from './errors.js';
import type { ApiMetrics } from './metrics.js';
import type { AlertsWiring } from './routes/alerts.js';
import { apiRoutes } from './routes/index.js';

/** The built console (packages/console/dist), the same path from src/ and dist/. */
export const DEFAULT_CONSOLE_DIR = fileURLToPath(new URL('../../../packages/console/dist/', import.meta.url));

/**
 * The console's policy: only this origin's scripts, styles, images and API; no inline script
 * or style, no framing, no plugins.
 */
const CONSOLE_CSP = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'", 'data:'],
  fontSrc: ["'self'"],
  connectSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'self'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
  // Served over plain HTTP on 127.0.0.1: upgrading would break every request.
  upgradeInsecureRequests: null,
};

export interface ApiDeps {
  config: ApiConfig;
  store: Store;
  log: Logger;
  metrics: ApiMetrics;
  health: Pick<HealthServerOptions, 'live' | 'ready'>;
  /** Kafka's side of the alerts routes: sending commands, the live stream's feed. */
  alerts: AlertsWiring;
}

/** The Fastify application (not listening): routes, validation, access, docs, console, health. */
export async function buildApi(deps: ApiDeps): Promise<FastifyInstance> {
  const { config, store, metrics } = deps;
  const app = Fastify({
    loggerInstance: deps.log as FastifyBaseLogger,
    bodyLimit: config.API_BODY_LIMIT_BYTES,
    logController: new LogController({ disableRequestLogging: true }),
    // Unique across restarts: the audit log and the printed report cite requests by this id.
    genReqId: () => randomUUID(),
    routerOptions: { maxParamLength: 200 },
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  installErrorHandler(app);

  await app.register(helmet, {
    contentSecurityPolicy: { directives: CONSOLE_CSP },
    crossOriginEmbedderPolicy: false,
  });
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'tracewatch API',
        version: '1',
        description:
          'Inspection of trace activity, platform reality, alerts (lifecycle, silences, a live stream), the evaluation calendar and the audit log. Every /v1 route needs Authorization: Bearer <key> (tracewatch keys create).',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/docs', staticCSP: true });

  installAccess(app, store);
  // After authentication, so the budget is the verified key's (never a guessed key id's).
  await app.register(rateLimit, {
    global: true,
    hook: 'preHandler',
    max: config.API_RATE_LIMIT_PER_MINUTE,
    timeWindow: '1 minute',
    keyGenerator: (req) => (req.principal ? `key:${req.principal.keyId}` : `ip:${req.ip}`),
    allowList: (req) => !req.url.startsWith('/v1/'),
    errorResponseBuilder: (_req, ctx) =>
      new HttpError(429, `rate limit of ${ctx.max} requests per ${ctx.after} reached for this key; retry later`),
  });

  app.addHook('onResponse', async (req, reply) => {
    const route = req.routeOptions.url ?? 'unmatched';
    metrics.requests.inc({ route, status: String(reply.statusCode) });
    metrics.seconds.observe({ route }, reply.elapsedTime / 1000);
  });

  for (const path of HEALTH_PATHS) {
    app.get(path, { schema: { hide: true } }, async (_req, reply) => {
      const answer = await healthAnswer({ registry: metrics.registry, ...deps.health }, path);
      return reply.code(answer!.status).header('content-type', answer!.contentType).send(answer!.body);
    });
  }

  for (const routes of apiRoutes(store, { ...deps.alerts, config })) await app.register(routes);

  const consoleDir = config.CONSOLE_DIR ?? DEFAULT_CONSOLE_DIR;
  if (existsSync(`${consoleDir}/index.html`)) {
    await app.register(fastifyStatic, { root: consoleDir, prefix: '/', index: 'index.html', wildcard: false });
  } else {
    app.get('/', { schema: { hide: true } }, async (_req, reply) =>
      reply.code(503).send({
        error: `the console is not built (no ${consoleDir}index.html); run npm run build -w packages/console`,
      }),
    );
  }
  return app;
}
