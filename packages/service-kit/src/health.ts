import { createServer, type Server } from 'node:http';
import type { Registry } from 'prom-client';

export interface Readiness {
  ready: boolean;
  /** Why the service is not ready (or notes when it is). */
  reasons: string[];
}

export interface HealthServerOptions {
  port: number;
  host?: string;
  registry: Registry;
  /** Alive = the process loop is not stalled; false makes /healthz answer 503. */
  live: () => Readiness;
  ready: () => Readiness;
}

export interface HealthAnswer {
  status: number;
  body: string;
  contentType: string;
}

export const HEALTH_PATHS = ['/healthz', '/readyz', '/metrics'] as const;

/**
 * The answer to /healthz, /readyz or /metrics, for servers that serve them beside their own
 * routes (the api); undefined for any other path.
 */
export async function healthAnswer(
  opts: Pick<HealthServerOptions, 'registry' | 'live' | 'ready'>,
  path: string,
): Promise<HealthAnswer | undefined> {
  if (path === '/healthz' || path === '/readyz') {
    const r = path === '/healthz' ? opts.live() : opts.ready();
    return {
      status: r.ready ? 200 : 503,
      body: JSON.stringify({ status: r.ready ? 'ok' : 'unavailable', reasons: r.reasons }),
      contentType: 'application/json',
    };
  }
  if (path === '/metrics') {
    try {
      return { status: 200, body: await opts.registry.metrics(), contentType: opts.registry.contentType };
    } catch (err) {
      return { status: 500, body: JSON.stringify({ error: (err as Error).message }), contentType: 'application/json' };
    }
  }
  return undefined;
}

/** /healthz (liveness), /readyz (readiness) and /metrics (Prometheus text format). */
export async function startHealthServer(opts: HealthServerOptions): Promise<Server> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const reply = (a: HealthAnswer) => {
      res.writeHead(a.status, { 'content-type': a.contentType });
      res.end(a.body);
    };
    const json = (status: number, error: string) =>
      reply({ status, body: JSON.stringify({ error }), contentType: 'application/json' });
    if (req.method !== 'GET') return json(405, 'only GET is served here');
    void healthAnswer(opts, path).then((answer) =>
      answer ? reply(answer) : json(404, `no such path ${path}; try /healthz, /readyz or /metrics`),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host ?? '127.0.0.1', () => resolve());
  });
  return server;
}
