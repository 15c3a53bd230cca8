/**
 * The two topics of alerts: commands in (`alert-commands`), changes out (`alerts`, CloudEvents),
 * both keyed by fingerprint.
 */
import { randomBytes } from 'node:crypto';
import {
  ALERT_CHANGED_TYPE,
  type AlertChange,
  type AlertChangedEvent,
  type AlertCommand,
  alertChangedEventSchema,
  alertCommandSchema,
  TOPICS,
} from '@tracewatch/schema';
import { type Kafka, Partitioners, type Producer } from 'kafkajs';
import { commandFingerprint } from './lifecycle.js';

export const alertTopics = (topicPrefix: string) => ({
  commands: `${topicPrefix}${TOPICS.alertCommands}`,
  alerts: `${topicPrefix}${TOPICS.alerts}`,
});

/** A fresh command id (`prefix-` + 96 random bits). */
export const newCommandId = (prefix = 'cmd') => `${prefix}-${randomBytes(12).toString('hex')}`;

/** A producer for commands: idempotent, the default (murmur2) partitioner, no topic creation. */
export function createCommandProducer(kafka: Kafka): Producer {
  return kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    allowAutoTopicCreation: false,
    createPartitioner: Partitioners.DefaultPartitioner,
    retry: { retries: Number.MAX_SAFE_INTEGER, initialRetryTime: 200, maxRetryTime: 5_000 },
  });
}

/**
 * Validates the commands (all or none: the first invalid one throws, naming it) and sends them
 * to `alert-commands`, keyed by fingerprint, acknowledged by all in-sync replicas.
 */
export async function sendAlertCommands(
  producer: Producer,
  topicPrefix: string,
  commands: readonly AlertCommand[],
): Promise<void> {
  if (commands.length === 0) return;
  const messages = commands.map((c, i) => {
    const parsed = alertCommandSchema.safeParse(c);
    if (!parsed.success) throw new RangeError(`alert command ${i} is invalid: ${parsed.error.message}`);
    return { key: commandFingerprint(parsed.data), value: JSON.stringify(parsed.data) };
  });
  await producer.send({ topic: alertTopics(topicPrefix).commands, messages, acks: -1 });
}

/** The CloudEvents envelope of a change (id = change id, subject = fingerprint). */
export function alertChangedEvent(change: AlertChange, source: string): AlertChangedEvent {
  return {
    specversion: '1.0',
    id: change.changeId,
    source,
    type: ALERT_CHANGED_TYPE,
    time: change.at,
    subject: change.fingerprint,
    datacontenttype: 'application/json',
    data: change,
  };
}

/** A message of the `alerts` topic, through the schema; throws naming what is wrong. */
export function parseAlertChangedEvent(value: Buffer | string | null): AlertChangedEvent {
  if (value === null) throw new RangeError('an alerts message without a value');
  const parsed = alertChangedEventSchema.safeParse(JSON.parse(value.toString()));
  if (!parsed.success) throw new RangeError(`an alerts message fails the schema: ${parsed.error.message}`);
  return parsed.data;
}
