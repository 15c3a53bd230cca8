/**
 * What ingest holds in flight is bounded by bytes, not only by message count (issue 8, item
 * 9): large messages that cannot be finished (here: their dead-letter topic is gone) pause
 * consumption once their bytes reach INGEST_MAX_IN_FLIGHT_BYTES, far below the count bound.
 */
import { readDeadLetterHeaders } from '@tracewatch/bus';
import { TOPICS } from '@tracewatch/schema';
import { Partitioners } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { readTopic, startIngest, testKafka, uniqueScope, waitFor } from '../support/harness.js';

const kafka = testKafka();
const metric = (text: string, name: string) =>
  Number(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'm').exec(text)?.[1]);

describe('hostile producers: memory bounded by bytes', () => {
  it('pauses at the byte bound while large messages are held, and resumes and loses nothing after', async () => {
    const scope = uniqueScope('bytes');
    const input = `${scope.topicPrefix}${TOPICS.traceEvents}`;
    const dlq = `${scope.topicPrefix}${TOPICS.traceEventsDlq}`;
    const maxBytes = 2_000_000;
    const perPartition = 600_000;
    const ingest = await startIngest(scope, {
      INGEST_MAX_IN_FLIGHT_BYTES: String(maxBytes),
      INGEST_MAX_BYTES_PER_PARTITION: String(perPartition),
    });
    const admin = kafka.admin();
    const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await Promise.all([admin.connect(), producer.connect()]);
    const scrape = async () => (await fetch(`http://127.0.0.1:${ingest.port}/metrics`)).text();
    try {
      await admin.deleteTopics({ topics: [dlq] });
      const big = Buffer.alloc(500_000, 0x7b); // invalid (and over the 16 KB message limit)
      for (let i = 0; i < 40; i++)
        await producer.send({ topic: input, messages: [{ partition: i % 6, key: `k${i}`, value: big }] });
      await waitFor(
        'consumption paused by the byte bound',
        async () => metric(await scrape(), 'tw_ingest_consumer_paused') === 1,
      );
      // Held for a while: neither the bytes nor what was read grow past the bound plus one fetch.
      await new Promise((r) => setTimeout(r, 3000));
      const text = await scrape();
      expect(metric(text, 'tw_ingest_in_flight_bytes')).toBeLessThanOrEqual(maxBytes + 6 * (perPartition + 500_000));
      expect(metric(text, 'tw_ingest_in_flight_messages')).toBeLessThan(40);

      await admin.createTopics({ topics: [{ topic: dlq, numPartitions: 3 }], waitForLeaders: true });
      const letters = await readTopic(kafka, dlq, 40, 120_000);
      expect(new Set(letters.map((l) => String(l.key))).size).toBe(40);
      for (const l of letters) expect(readDeadLetterHeaders(l).stage).toBe('size');
      await waitFor('resumed', async () => metric(await scrape(), 'tw_ingest_consumer_paused') === 0);
    } finally {
      await Promise.all([admin.disconnect(), producer.disconnect()]);
      await ingest.stop();
    }
  });
});
