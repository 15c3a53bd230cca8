/**
 * One reader of the `alerts` topic per process, fanned out to any number of listeners (the
 * api's live streams). One consumer, not one per client: a consumer per connection would be a
 * consumer group per browser tab (a join of seconds at every connect, a fetch loop and broker
 * connections each), while a change parsed once and matched per listener in memory costs
 * microseconds. Committed changes only (read_committed), from the topic's end when it starts.
 *
 * Resume: the last `replaySize` changes are kept, so a listener that reconnects with the id of
 * the last change it saw gets what it missed; an id no longer (or never) kept is answered
 * `unknown`, and the reader reloads its list instead.
 */
import { randomBytes } from 'node:crypto';
import { type BusLogger, withAdmin } from '@tracewatch/bus';
import type { AlertChange } from '@tracewatch/schema';
import type { Consumer, Kafka } from 'kafkajs';
import { alertTopics, parseAlertChangedEvent } from './messages.js';

export interface FeedEntry {
  /** The change id (the CloudEvent id): what a listener names to resume. */
  id: string;
  change: AlertChange;
  /** When this process read it (ms), for latency figures. */
  readAtMs: number;
}

export type FeedListener = (entry: FeedEntry) => void;

export interface AlertFeed {
  /** Joined, positioned at the topic's end as of the start: every later change is delivered. */
  ready(): boolean;
  /**
   * Adds a listener. With `lastEventId`: the kept changes after it (`unknown` when it is not
   * kept). Replay and subscription happen at once: nothing is missed or delivered twice.
   */
  subscribe(listener: FeedListener, lastEventId?: string): { replay: FeedEntry[] | 'unknown'; unsubscribe(): void };
  listeners(): number;
  stop(): Promise<void>;
}

export interface AlertFeedOptions {
  kafka: Kafka;
  topicPrefix: string;
  log: BusLogger;
  /** Changes kept for resuming. @default 1000 */
  replaySize?: number;
  /** Consumer group prefix; a random suffix makes it this process's own. */
  groupPrefix?: string;
}

/** Connects and starts reading; throws when Kafka or the topic is not there (callers retry). */
export async function startAlertFeed(options: AlertFeedOptions): Promise<AlertFeed> {
  const { kafka, log } = options;
  const replaySize = options.replaySize ?? 1000;
  const topic = alertTopics(options.topicPrefix).alerts;
  const listeners = new Set<FeedListener>();
  const kept: FeedEntry[] = [];
  let joined = false;

  const ends = await withAdmin(kafka, (admin) => admin.fetchTopicOffsets(topic));
  const groupId = `${options.groupPrefix ?? 'tracewatch-api-feed'}-${randomBytes(6).toString('hex')}`;
  const consumer: Consumer = kafka.consumer({
    groupId,
    readUncommitted: false,
    allowAutoTopicCreation: false,
    sessionTimeout: 30_000,
  });
  consumer.on(consumer.events.GROUP_JOIN, () => {
    joined = true;
  });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: false });
  await consumer.run({
    autoCommit: false,
    eachMessage: async ({ message, partition }) => {
      let change: AlertChange;
      try {
        change = parseAlertChangedEvent(message.value).data;
      } catch (err) {
        log.warn({ partition, offset: message.offset, err: (err as Error).message }, 'alerts feed: message skipped');
        return;
      }
      const entry: FeedEntry = { id: change.changeId, change, readAtMs: Date.now() };
      kept.push(entry);
      if (kept.length > replaySize) kept.splice(0, kept.length - replaySize);
      for (const l of listeners) {
        try {
          l(entry);
        } catch (err) {
          log.warn({ err: (err as Error).message }, 'alerts feed: a listener failed');
        }
      }
    },
  });
  // Exactly from where the topic ended before the subscription (a fresh group would resolve
  // "latest" only at its first fetch, missing what came in between).
  for (const p of ends) consumer.seek({ topic, partition: p.partition, offset: p.high });

  return {
    ready: () => joined,
    subscribe(listener, lastEventId) {
      let replay: FeedEntry[] | 'unknown' = [];
      if (lastEventId !== undefined) {
        const at = kept.findIndex((e) => e.id === lastEventId);
        replay = at < 0 ? 'unknown' : kept.slice(at + 1);
      }
      listeners.add(listener);
      return { replay, unsubscribe: () => listeners.delete(listener) };
    },
    listeners: () => listeners.size,
    async stop() {
      listeners.clear();
      await consumer.disconnect();
      await withAdmin(kafka, (admin) => admin.deleteGroups([groupId])).catch(() => undefined);
    },
  };
}
