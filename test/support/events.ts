import type { TraceEvent } from '@tracewatch/schema';

/** A valid trace event, numbered, spread over orgs and minutes (recorded just after it happened). */
export function makeEvent(i: number, opts: { orgs?: number; idPrefix?: string; baseMs?: number } = {}): TraceEvent {
  const base = opts.baseMs ?? Date.parse('2026-03-02T01:00:00Z');
  const occurred = new Date(base + i * 1000);
  const org = `org-${String(i % (opts.orgs ?? 10)).padStart(3, '0')}`;
  return {
    specversion: '1.0',
    id: `${opts.idPrefix ?? 'e'}-${i}`,
    source: 'platform/zwfw',
    type: 'gov.trace.v1',
    time: new Date(occurred.getTime() + 2000).toISOString(),
    data: {
      platformId: 'zwfw',
      orgId: org,
      actorId: `actor-${i % 97}`,
      actorRole: i % 5 === 0 ? 'public' : 'staff',
      action: i % 3 === 0 ? 'visit.record' : 'form.submit',
      occurredAt: occurred.toISOString(),
      value: i % 200,
      durationMs: 30_000 + (i % 50) * 1000,
      contentHash: i.toString(16).padStart(8, '0').repeat(8),
    },
  };
}
