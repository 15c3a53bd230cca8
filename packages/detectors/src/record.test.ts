import type { TraceEvent } from '@tracewatch/schema';
import { describe, expect, it } from 'vitest';
import { toTraceRecord } from './record.js';

describe('toTraceRecord', () => {
  const event: TraceEvent = {
    specversion: '1.0',
    id: 'ev-1',
    source: 'platform/p1',
    type: 'gov.trace.v1',
    time: '2024-03-05T10:00:00+08:00',
    data: {
      platformId: 'p1',
      orgId: 'o1',
      actorId: 'a1',
      actorRole: 'staff',
      action: 'form.submit',
      occurredAt: '2024-03-04T09:30:00Z',
      taskId: 't1',
      assignedAt: '2024-03-01T00:00:00Z',
      deadline: '2024-03-08T00:00:00Z',
      value: 12,
      durationMs: 42_000,
    },
  };
  it('parses the times once into epoch ms (offsets honoured)', () => {
    const r = toTraceRecord(event);
    expect(r.recordedAt).toBe(Date.UTC(2024, 2, 5, 2, 0, 0)); // 10:00 +08:00 = 02:00Z
    expect(r.occurredAt).toBe(Date.UTC(2024, 2, 4, 9, 30, 0));
    expect(r.assignedAt).toBe(Date.UTC(2024, 2, 1));
    expect(r.deadline).toBe(Date.UTC(2024, 2, 8));
    expect(r).toMatchObject({
      id: 'ev-1',
      platformId: 'p1',
      orgId: 'o1',
      actorId: 'a1',
      action: 'form.submit',
      taskId: 't1',
      value: 12,
      durationMs: 42_000,
    });
  });
  it('leaves absent optional fields undefined', () => {
    const r = toTraceRecord({
      ...event,
      data: { ...event.data, taskId: undefined, assignedAt: undefined, deadline: undefined },
    });
    expect(r.assignedAt).toBeUndefined();
    expect(r.deadline).toBeUndefined();
    expect(r.contentHash).toBeUndefined();
  });
});
