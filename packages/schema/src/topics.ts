/** Kafka topics of the system; names can be prefixed per deployment (and per test run). */
export const TOPICS = {
  traceEvents: 'trace-events',
  traceEventsDlq: 'trace-events.dlq',
  evaluations: 'evaluations',
  reportedMetrics: 'reported-metrics',
  alerts: 'alerts',
} as const;
export type TopicKey = keyof typeof TOPICS;
