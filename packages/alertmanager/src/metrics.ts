import { Counter, Gauge, type Registry } from 'prom-client';

export function createForwarderMetrics(registry: Registry) {
  const registers = [registry];
  return {
    posts: new Counter({
      name: 'tw_alertmanager_posts_total',
      help: 'POST /api/v2/alerts by outcome: ok, error (down, timeout, 5xx: retried), rejected (4xx)',
      labelNames: ['outcome'],
      registers,
    }),
    forwarded: new Counter({
      name: 'tw_alertmanager_alerts_forwarded_total',
      help: 'Alerts delivered to Alertmanager, one per alert per successful post, by kind (firing, ended)',
      labelNames: ['kind'],
      registers,
    }),
    firing: new Gauge({
      name: 'tw_alertmanager_firing_alerts',
      help: 'Alerts the last round forwarded as firing',
      registers,
    }),
    pendingEndings: new Gauge({
      name: 'tw_alertmanager_pending_endings',
      help: 'Alerts that stopped firing and whose end no successful post has carried yet',
      registers,
    }),
    lastSuccess: new Gauge({
      name: 'tw_alertmanager_last_success_timestamp_seconds',
      help: 'Unix time of the last post Alertmanager accepted (0: none yet)',
      registers,
    }),
    sourceFailures: new Counter({
      name: 'tw_alertmanager_source_failures_total',
      help: 'Rounds that could not read the current alerts (retried)',
      registers,
    }),
  };
}

export type ForwarderMetrics = ReturnType<typeof createForwarderMetrics>;
