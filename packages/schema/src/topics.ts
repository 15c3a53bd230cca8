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

/**
 * The largest record the dead-letter topic takes. An input topic takes what the broker's
 * message.max.bytes allows (10 MiB on the local stack and Kafka's docker images set alike);
 * a dead letter is such a record plus the DLQ headers (at most a few KB), so the DLQ topic
 * allows more. Anything larger still (a compressed batch's record that decompressed beyond
 * it) is sent as a reduced dead letter (see DeadLetterPublisher).
 */
export const DLQ_MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

/** Topic configs set when the project creates a topic (create-topics.mjs keeps a copy, held equal by a test). */
export const TOPIC_CONFIGS: Partial<Record<(typeof TOPICS)[TopicKey], Record<string, string>>> = {
  'trace-events.dlq': { 'max.message.bytes': String(DLQ_MAX_MESSAGE_BYTES) },
};
