/** Kafka topics of the system; names can be prefixed per deployment (and per test run). */
export const TOPICS = {
  traceEvents: 'trace-events',
  traceEventsDlq: 'trace-events.dlq',
  evaluations: 'evaluations',
  reportedMetrics: 'reported-metrics',
  alerts: 'alerts',
  alertCommands: 'alert-commands',
} as const;
export type TopicKey = keyof typeof TOPICS;

/**
 * Partitions per topic when the project creates it (trace-events is keyed by orgId: several
 * partitions keep one unit's events in order while spreading the load). The local stack's
 * script infra/local/create-topics.mjs runs before any build, so it keeps its own copy;
 * topics.test.ts holds the two equal.
 */
export const TOPIC_PARTITIONS: Record<(typeof TOPICS)[TopicKey], number> = {
  'trace-events': 6,
  'trace-events.dlq': 3,
  evaluations: 1,
  'reported-metrics': 3,
  alerts: 3,
  'alert-commands': 3,
};
