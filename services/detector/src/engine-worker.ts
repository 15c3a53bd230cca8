/**
 * The engine thread: holds the LiveDetector and does all its work, so the main thread stays
 * free for Kafka heartbeats, the health endpoints and I/O while a detection run takes seconds.
 */
import { LiveDetector, traceChunkToRecords } from '@tracewatch/live';
import { serveJobs } from '@tracewatch/service-kit';
import type { EngineReply, EngineRequest, EngineStats } from './engine-protocol.js';

let live: LiveDetector | undefined;
const rebuildTime = { storedParseMs: 0, storedObserveMs: 0 };

function stats(d: LiveDetector): EngineStats {
  return {
    watermark: d.watermark.value,
    latestRecordedAt: d.watermark.latestRecordedAt,
    caughtUp: d.watermark.caughtUp,
    replayIds: d.engine.replayMemory.ids,
    replayBytes: d.engine.replayMemory.bytes,
    trackedFindings: d.trackedFindings,
    ...d.counts,
    ...rebuildTime,
  };
}

serveJobs<EngineRequest, EngineReply>((req) => {
  if (req.op === 'init') live = new LiveDetector(req.options);
  const d = live;
  if (!d) throw new Error('engine thread used before init');
  const reply: EngineReply = { stats: stats(d) };
  switch (req.op) {
    case 'stored': {
      const started = performance.now();
      const records = traceChunkToRecords(req.chunk);
      const parsed = performance.now();
      d.observeStored(records);
      rebuildTime.storedParseMs += parsed - started;
      rebuildTime.storedObserveMs += performance.now() - parsed;
      break;
    }
    case 'messages':
      d.observeMessages(
        req.partition,
        req.values.map((v) => (v === null ? null : Buffer.from(v.buffer, v.byteOffset, v.byteLength))),
        req.lag,
        req.receivedAt,
      );
      break;
    case 'behind':
      d.setBehind(req.partition, req.behind);
      break;
    case 'reset-sent':
      d.resetSent(req.active);
      break;
    case 'adopt':
      reply.adopted = d.adopt(req.active);
      break;
    case 'is-due':
      reply.due = d.isDue(req.now);
      break;
    case 'evaluate':
      reply.evaluated = d.evaluate(req.now, () => req, req.force);
      break;
  }
  reply.stats = stats(d);
  return { result: reply };
});
