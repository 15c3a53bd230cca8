import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';

export function createApiMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'tw_api_process_' });
  return {
    registry,
    requests: new Counter({
      name: 'tw_api_requests_total',
      help: 'Requests answered, by route and status',
      labelNames: ['route', 'status'],
      registers: [registry],
    }),
    seconds: new Histogram({
      name: 'tw_api_request_seconds',
      help: 'Time to answer a request',
      labelNames: ['route'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
  };
}
export type ApiMetrics = ReturnType<typeof createApiMetrics>;
