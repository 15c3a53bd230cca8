/**
 * A partition that cannot commit while Kafka and ClickHouse are up is visible (issue 8, item
 * 5): /healthz fails naming the partition and why, and the lag metric counts from the
 * committed offset, even while the other partitions commit on.
 */
import { TOPICS } from '@tracewatch/schema';
import { countTraceEvents } from '@tracewatch/store';
import { Partitioners } from 'kafkajs';
import { afterAll, describe, expect, it } from 'vitest';
import { makeEvent } from '../support/events.js';
import { startIngest, testKafka, testStore, uniqueScope, waitFor } from '../support/harness.js';

const kafka = testKafka();

describe('hostile producers: a stuck partition is visible', () => {
  const scope = uniqueScope('stuck');
  const input = `${scope.topicPrefix}${TOPICS.traceEvents}`;
  const dlq = `${scope.topicPrefix}${TOPICS.traceEventsDlq}`;
  const store = testStore(scope.database);
  afterAll(() => store.close());

  it('fails /healthz for the one partition that cannot commit, and its lag counts from the commit', async () => {
    const ingest = await startIngest(scope, { INGEST_STALL_TIMEOUT_MS: '3000' });
    const admin = kafka.admin();
    const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await Promise.all([admin.connect(), producer.connect()]);
    let sending = true;
    let n = 0;
    const health = async () => {
      const r = await fetch(`http://127.0.0.1:${ingest.port}/healthz`);
      return { status: r.status, body: await r.text() };
    };
    try {
      // The dead-letter topic is gone: the partition of the invalid message cannot commit.
      await admin.deleteTopics({ topics: [dlq] });
      await producer.send({ topic: input, messages: [{ partition: 0, value: '{"invalid' }] });
      // Meanwhile the other partitions commit on, all the time.
      const others = (async () => {
        while (sending) {
          const e = makeEvent(n++, { idPrefix: 'other' });
          await producer.send({ topic: input, messages: [{ partition: 1 + (n % 5), value: JSON.stringify(e) }] });
          await new Promise((r) => setTimeout(r, 300));
        }
      })();
      let seen = { status: 0, body: '' };
      await waitFor('/healthz to fail for partition 0', async () => {
        seen = await health();
        return seen.status === 503;
      });
      expect(seen.body).toContain(`partition ${input}[0] stuck`);
      expect(seen.body).toMatch(/dead-letter topic/);
      expect(await countTraceEvents(store)).toBeGreaterThan(0); // the others did go on
      const metrics = await (await fetch(`http://127.0.0.1:${ingest.port}/metrics`)).text();
      expect(metrics).toContain(`tw_ingest_consumer_lag{topic="${input}",partition="0"} 1`);

      // The topic is back: the dead letter goes, the partition commits, health recovers.
      await admin.createTopics({ topics: [{ topic: dlq, numPartitions: 3 }], waitForLeaders: true });
      await waitFor('/healthz to recover', async () => (await health()).status === 200, 90_000);
      sending = false;
      await others;
      await waitFor('partition 0 lag back to 0', async () => {
        const text = await (await fetch(`http://127.0.0.1:${ingest.port}/metrics`)).text();
        return text.includes(`tw_ingest_consumer_lag{topic="${input}",partition="0"} 0`);
      });
    } finally {
      sending = false;
      await Promise.all([admin.disconnect(), producer.disconnect()]);
      await ingest.stop();
    }
  });
});
