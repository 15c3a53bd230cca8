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

/** /healthz (liveness), /readyz (readiness) and /metrics (Prometheus text format). */
export async function startHealthServer(opts: HealthServerOptions): Promise<Server> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const reply = (status: number, body: string, type = 'application/json') => {
      res.writeHead(status, { 'content-type': type });
      res.end(body);
    };
    if (req.method !== 'GET') return reply(405, JSON.stringify({ error: 'only GET is served here' }));
    if (path === '/healthz' || path === '/readyz') {
      const r = path === '/healthz' ? opts.live() : opts.ready();
      return reply(r.ready ? 200 : 503, JSON.stringify({ status: r.ready ? 'ok' : 'unavailable', reasons: r.reasons }));
    }
    if (path === '/metrics') {
      opts.registry.metrics().then(
        (text) => reply(200, text, opts.registry.contentType),
        (err: Error) => reply(500, JSON.stringify({ error: err.message })),
      );
      return;
    }
    reply(404, JSON.stringify({ error: `no such path ${path}; try /healthz, /readyz or /metrics` }));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host ?? '127.0.0.1', () => resolve());
  });
  return server;
}
