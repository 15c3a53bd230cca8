import { RowBinaryWriter, traceEventRowBinary } from '@tracewatch/schema';
import { describe, expect, it } from 'vitest';
import { sampleTraceEvent } from '../../schema/src/testing/samples.js';
import { rowIdentity } from './identity.js';

const line = (e: ReturnType<typeof sampleTraceEvent>, ingestedAt = 0) => {
  const w = new RowBinaryWriter();
  traceEventRowBinary(w, e as never, ingestedAt);
  w.endRow();
  return w.finish().data;
};

describe('rowIdentity', () => {
  it('reads id, platform and org from a trace_events RowBinary row', () => {
    const id = rowIdentity(
      line(
        sampleTraceEvent(
          { id: 'a:b.c-1', source: `platform/${'é'.repeat(100)}` },
          { orgId: 'org-9', platformId: 'zwfw' },
        ),
      ),
    );
    expect(id).toMatchObject({ eventId: 'a:b.c-1', platformId: 'zwfw', orgId: 'org-9' });
    expect(id.fingerprint).toMatch(/^[0-9a-f]{16}$/);
  });

  it('fingerprints the stored content: not the ingest time, but every other column', () => {
    const base = rowIdentity(line(sampleTraceEvent(), 1_000)).fingerprint;
    expect(rowIdentity(line(sampleTraceEvent(), 99_000_000)).fingerprint).toBe(base);
    const changed = [
      sampleTraceEvent({}, { action: 'case.close' }),
      sampleTraceEvent({}, { occurredAt: '2026-03-10T11:58:00.001+08:00' }),
      sampleTraceEvent({ time: '2026-03-10T11:59:00.251+08:00' }),
      sampleTraceEvent({}, { value: 1 }),
      sampleTraceEvent({}, { actorId: 'a-18' }),
    ];
    for (const e of changed) expect(rowIdentity(line(e)).fingerprint, JSON.stringify(e.data)).not.toBe(base);
  });
});
