import { randomBytes } from 'node:crypto';
import { withAdmin } from '@tracewatch/bus';
import type { Kafka } from 'kafkajs';

export interface ReadMessage {
  partition: number;
  offset: string;
  value: Buffer | null;
}

/**
 * Every committed message of `topic`'s partitions from the given offsets to the partition's end
 * as of the call (read_committed: aborted transactions are skipped). With a throw-away consumer
 * group, deleted afterwards. The end is the high watermark; a transaction still open would hold
 * the read below it, so callers first fence the partition's transactional producer (which ends
 * any open transaction). Control records count for the position, not as messages.
 */
export async function readCommittedRange(
  kafka: Kafka,
  topic: string,
  from: ReadonlyMap<number, bigint>,
  timeoutMs: number,
): Promise<ReadMessage[]> {
  const ends = new Map<number, bigint>();
  await withAdmin(kafka, async (admin) => {
    for (const p of await admin.fetchTopicOffsets(topic)) {
      const start = from.get(p.partition);
      if (start !== undefined && BigInt(p.high) > start) ends.set(p.partition, BigInt(p.high));
    }
  });
  // By partition and offset: a fetch before the seek took effect may deliver a message twice.
  const got = new Map<string, ReadMessage>();
  if (ends.size === 0) return [];
  const groupId = `alert-keeper-recovery-${randomBytes(6).toString('hex')}`;
  const consumer = kafka.consumer({ groupId, readUncommitted: false, allowAutoTopicCreation: false });
  const positions = new Map<number, bigint>();
  const advance = (partition: number, lastOffset: string) => {
    const next = BigInt(lastOffset) + 1n;
    if (next > (positions.get(partition) ?? 0n)) positions.set(partition, next);
  };
  const done = () => [...ends].every(([p, end]) => (positions.get(p) ?? 0n) >= end);
  await consumer.connect();
  try {
    let finish: () => void = () => undefined;
    const finished = new Promise<void>((resolve) => {
      finish = resolve;
    });
    // Batches of control records only (a commit marker at the end) reach no handler: their
    // position comes from the instrumentation event.
    consumer.on(consumer.events.END_BATCH_PROCESS, (e) => {
      if (e.payload.topic !== topic || !ends.has(e.payload.partition)) return;
      advance(e.payload.partition, String(e.payload.lastOffset));
      if (done()) finish();
    });
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      eachBatch: async ({ batch }) => {
        const start = from.get(batch.partition);
        const end = ends.get(batch.partition);
        if (start === undefined || end === undefined) return;
        for (const m of batch.messages) {
          const o = BigInt(m.offset);
          if (o >= start && o < end)
            got.set(`${batch.partition}:${m.offset}`, { partition: batch.partition, offset: m.offset, value: m.value });
        }
      },
    });
    const others: number[] = [];
    for (const p of await withAdmin(kafka, (admin) => admin.fetchTopicOffsets(topic))) {
      const start = from.get(p.partition);
      if (ends.has(p.partition) && start !== undefined)
        consumer.seek({ topic, partition: p.partition, offset: start.toString() });
      else others.push(p.partition);
    }
    if (others.length > 0) consumer.pause([{ topic, partitions: others }]);
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), timeoutMs);
    });
    const outcome = await Promise.race([finished, timedOut]);
    clearTimeout(timer);
    if (outcome === 'timeout')
      throw new Error(
        `could not read ${topic} to its end within ${timeoutMs} ms (positions ${JSON.stringify(
          Object.fromEntries([...positions].map(([p, o]) => [p, o.toString()])),
        )}, ends ${JSON.stringify(Object.fromEntries([...ends].map(([p, o]) => [p, o.toString()])))})`,
      );
  } finally {
    await consumer.disconnect();
    await withAdmin(kafka, (admin) => admin.deleteGroups([groupId])).catch(() => undefined);
  }
  return [...got.values()].sort((a, b) => a.partition - b.partition || (BigInt(a.offset) < BigInt(b.offset) ? -1 : 1));
}
