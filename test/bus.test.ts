/** The consumer runner against the real Kafka: commits only what is done, in order. */
import { type BatchOutcome, ConsumerRunner } from '@tracewatch/bus';
import { afterAll, describe, expect, it } from 'vitest';
import { produceRaw, testKafka, uniqueScope, waitFor } from './support/harness.js';

const kafka = testKafka();
const quiet = { error: () => {}, warn: () => {}, info: () => {}, debug: () => {} };
const runners: ConsumerRunner[] = [];
afterAll(async () => {
  await Promise.all(runners.map((r) => r.stop()));
});

async function committedOffset(groupId: string, topic: string): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const [t] = await admin.fetchOffsets({ groupId, topics: [topic] });
    return Number(t?.partitions[0]?.offset ?? -1);
  } finally {
    await admin.disconnect();
  }
}

/** One partition, `sends` separate produce calls of 10 messages: one record batch each. */
async function topicWithBatches(label: string, sends: number) {
  const scope = uniqueScope(label);
  const topic = `${scope.topicPrefix}runner`;
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
  await admin.disconnect();
  for (let s = 0; s < sends; s++)
    await produceRaw(
      kafka,
      topic,
      Array.from({ length: 10 }, (_, i) => ({ value: `m${s * 10 + i}` })),
    );
  return { topic, groupId: scope.groupId };
}

function startRunner(
  groupId: string,
  topic: string,
  handle: (firstOffset: number, lastOffset: number) => Promise<BatchOutcome>,
) {
  const runner = new ConsumerRunner({
    kafka,
    groupId,
    topics: [topic],
    maxBytesPerPartition: 200, // one record batch per fetch: several batches per partition
    handle: (batch) =>
      handle(Number(batch.messages[0]!.offset), Number(batch.messages[batch.messages.length - 1]!.offset)),
    log: quiet,
  });
  runners.push(runner);
  void runner.start();
  return runner;
}

describe('ConsumerRunner', () => {
  it('commits each batch after it is done, in order, even when later ones finish first', async () => {
    const { topic, groupId } = await topicWithBatches('runner_order', 4);
    const finished: number[] = [];
    const runner = startRunner(groupId, topic, async (first) => {
      if (first === 0) await new Promise((r) => setTimeout(r, 1_500)); // the first batch is slow
      finished.push(first);
      return 'done';
    });
    // While the first batch is held, nothing may be committed although later ones are done.
    await waitFor('later batches done', async () => finished.length >= 2, 30_000, 50);
    expect(finished[0]).not.toBe(0);
    expect(await committedOffset(groupId, topic)).toBe(-1);
    await waitFor('everything committed', async () => (await committedOffset(groupId, topic)) === 40, 30_000);
    expect(runner.status.crashed).toBeUndefined();
  });

  it('never commits past a batch whose handler failed, and reports the consumer crashed', async () => {
    const { topic, groupId } = await topicWithBatches('runner_fail', 5);
    const handed: number[] = [];
    const runner = startRunner(groupId, topic, async (first) => {
      handed.push(first);
      if (first === 20) throw new Error('a defect in the handler');
      return 'done';
    });
    await waitFor('crash reported', async () => runner.status.crashed !== undefined, 30_000, 50);
    expect(runner.status.crashed).toMatch(/handler failed .* a defect in the handler/);
    await new Promise((r) => setTimeout(r, 1_000)); // give any wrong commit time to land
    expect(handed).toContain(20);
    expect(await committedOffset(groupId, topic)).toBe(20);
  });
});
