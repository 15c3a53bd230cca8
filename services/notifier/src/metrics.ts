import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/** The notifier's numbers; gauges read the live state when scraped. */
export function createNotifierMetrics(
  state: () => {
    leader: boolean;
    pending: number;
    retrying: number;
    oldestUndeliveredSeconds: number;
    overdue: number;
    recipientProblems: number;
  },
) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'tw_notifier_process_' });
  const gauge = (name: string, help: string, read: () => number) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      collect() {
        this.set(read());
      },
    });
  gauge('tw_notifier_leader', '1 when this instance composes and delivers for the group', () =>
    state().leader ? 1 : 0,
  );
  gauge(
    'tw_notifier_pending_deliveries',
    'Deliveries (notice × channel) stored and not marked yet',
    () => state().pending,
  );
  gauge(
    'tw_notifier_retry_queue_depth',
    'Pending deliveries that failed at least once and wait for a retry',
    () => state().retrying,
  );
  gauge(
    'tw_notifier_oldest_undelivered_seconds',
    'Age of the oldest notice with a delivery not marked yet (0 when none)',
    () => state().oldestUndeliveredSeconds,
  );
  gauge('tw_notifier_overdue_answers', 'Notices unanswered past their deadline (escalated)', () => state().overdue);
  gauge(
    'tw_notifier_recipient_problems',
    'Owners whose stored recipient configuration does not parse (no notices reach them)',
    () => state().recipientProblems,
  );
  return {
    registry,
    alertChanges: new Counter({
      name: 'tw_notifier_alert_changes_total',
      help: 'Alert changes read from the alerts topic into the inbox',
      registers: [registry],
    }),
    invalid: new Counter({
      name: 'tw_notifier_invalid_messages_total',
      help: 'Messages on the alerts topic that are not alert-changed events (logged with their offset, skipped)',
      registers: [registry],
    }),
    created: new Counter({
      name: 'tw_notifier_notices_created_total',
      help: 'Notices stored in the outbox, by kind',
      labelNames: ['kind'],
      registers: [registry],
    }),
    deliveries: new Counter({
      name: 'tw_notifier_deliveries_total',
      help: 'Delivery attempts, by channel and outcome (delivered, retry, failed)',
      labelNames: ['channel', 'outcome'],
      registers: [registry],
    }),
    deliverySeconds: new Histogram({
      name: 'tw_notifier_delivery_seconds',
      help: 'Duration of one delivery attempt',
      labelNames: ['channel'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 15, 30],
      registers: [registry],
    }),
    failed: new Counter({
      name: 'tw_notifier_deliveries_failed_total',
      help: 'Deliveries marked failed (refused for good, or past the retry horizon), by channel',
      labelNames: ['channel'],
      registers: [registry],
    }),
  };
}
