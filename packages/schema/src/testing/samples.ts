/** Hand-written valid records for tests. */

/**
 * A valid trace event with the required fields only; `top` replaces top-level fields, `data`
 * adds or replaces fields of `data`.
 */
export function sampleTraceEvent(top: Record<string, unknown> = {}, data: Record<string, unknown> = {}) {
  return {
    specversion: '1.0',
    id: 'evt-1',
    source: 'platform/zwfw',
    type: 'gov.trace.v1',
    time: '2026-03-10T11:59:00.250+08:00',
    data: {
      platformId: 'zwfw',
      orgId: 'org-001',
      actorId: 'a-17',
      actorRole: 'staff',
      action: 'form.submit',
      occurredAt: '2026-03-10T11:58:00+08:00',
      ...data,
    },
    ...top,
  };
}
