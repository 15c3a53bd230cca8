/**
 * The simulator's internal trace: flat, times in epoch ms, every field present (one hidden
 * class for V8). It becomes a CloudEvents TraceEvent only when yielded.
 */
import { type ActorRole, TRACE_EVENT_TYPE, type TraceData, type TraceEvent } from '@tracewatch/schema';
import { isoInstant } from './time.js';

export class SimEvent {
  taskId: string | undefined = undefined;
  assignedAt: number | undefined = undefined;
  deadline: number | undefined = undefined;
  value: number | undefined = undefined;
  valueDenominator: number | undefined = undefined;
  durationMs: number | undefined = undefined;
  contentHash: string | undefined = undefined;
  simhash: string | undefined = undefined;
  sessionHash: string | undefined = undefined;
  deviceHash: string | undefined = undefined;

  constructor(
    public unitIndex: number,
    public platformId: string,
    public orgId: string,
    public actorId: string,
    public actorRole: ActorRole,
    public action: string,
    public occurredAt: number,
    public recordedAt: number,
  ) {}
}

/** The wire form of a simulated trace. */
export function toTraceEvent(e: SimEvent, id: string, source: string): TraceEvent {
  const data: TraceData = {
    platformId: e.platformId,
    orgId: e.orgId,
    actorId: e.actorId,
    actorRole: e.actorRole,
    action: e.action,
    occurredAt: isoInstant(e.occurredAt),
  };
  if (e.taskId !== undefined) data.taskId = e.taskId;
  if (e.assignedAt !== undefined) data.assignedAt = isoInstant(e.assignedAt);
  if (e.deadline !== undefined) data.deadline = isoInstant(e.deadline);
  if (e.value !== undefined) data.value = e.value;
  if (e.valueDenominator !== undefined) data.valueDenominator = e.valueDenominator;
  if (e.durationMs !== undefined) data.durationMs = e.durationMs;
  if (e.contentHash !== undefined) data.contentHash = e.contentHash;
  if (e.simhash !== undefined) data.simhash = e.simhash;
  if (e.sessionHash !== undefined) data.sessionHash = e.sessionHash;
  if (e.deviceHash !== undefined) data.deviceHash = e.deviceHash;
  return {
    specversion: '1.0',
    id,
    source,
    type: TRACE_EVENT_TYPE,
    time: isoInstant(e.recordedAt),
    datacontenttype: 'application/json',
    data,
  };
}
