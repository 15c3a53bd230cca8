import { ALERT_STATES, type Alert, SEVERITIES } from '@tracewatch/schema';
import { Counter, Gauge, Registry } from 'prom-client';

export interface KeeperMetrics {
  registry: Registry;
  commands: Counter<'kind' | 'outcome'>;
  changes: Counter<'kind'>;
  transactionFailures: Counter<string>;
}

/** The keeper's metrics, on the registry given (a fresh one if none). `alerts` reads memory. */
export function keeperMetrics(registry: Registry | undefined, alerts: () => Iterable<Alert>): KeeperMetrics {
  const reg = registry ?? new Registry();
  const commands = new Counter({
    name: 'tracewatch_alert_commands_total',
    help: 'Alert commands applied by the keeper, by kind and outcome (accepted, duplicate, conflict, invalid, unknown-alert).',
    labelNames: ['kind', 'outcome'] as const,
    registers: [reg],
  });
  const changes = new Counter({
    name: 'tracewatch_alert_changes_published_total',
    help: 'Alert changes published to the alerts topic (committed transactions), by kind.',
    labelNames: ['kind'] as const,
    registers: [reg],
  });
  const transactionFailures = new Counter({
    name: 'tracewatch_alert_transaction_failures_total',
    help: 'Kafka transactions of the keeper that failed (aborted, or fenced by a newer owner).',
    registers: [reg],
  });
  new Gauge({
    name: 'tracewatch_alerts',
    help: "Alerts of the keeper's partitions, by state and severity (from its memory).",
    labelNames: ['state', 'severity'] as const,
    registers: [reg],
    collect() {
      const counts = new Map<string, number>();
      for (const s of ALERT_STATES) for (const v of SEVERITIES) counts.set(`${s}\u0000${v}`, 0);
      for (const a of alerts()) {
        const key = `${a.state}\u0000${a.finding.severity}`;
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
      for (const [key, n] of counts) {
        const [state, severity] = key.split('\u0000') as [string, string];
        this.set({ state, severity }, n);
      }
    },
  });
  return { registry: reg, commands, changes, transactionFailures };
}
