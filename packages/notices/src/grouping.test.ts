import { describe, expect, it } from 'vitest';
import { classifyChange, digestSlot, isUrgent, planOwnerNotices } from './grouping.js';
import type { NotifiedSnapshot } from './repository.js';
import { alert, owner } from './testing/fixtures.js';

const snapshot = (a: ReturnType<typeof alert>): NotifiedSnapshot => ({
  fingerprint: a.fingerprint,
  alertVersion: a.version,
  alertState: a.state,
  severity: a.finding.severity,
  periodStart: a.finding.period.start,
  periodEnd: a.finding.period.end,
});

describe('classifyChange', () => {
  it('announces an open alert never notified, not one closed before anyone was told', () => {
    expect(classifyChange(undefined, alert(1))).toBe('new');
    expect(classifyChange(undefined, alert(1, { state: 'acknowledged' }))).toBe('new');
    expect(classifyChange(undefined, alert(1, { state: 'confirmed' }))).toBe('confirmed');
    for (const state of ['withdrawn', 'dismissed', 'resolved'] as const)
      expect(classifyChange(undefined, alert(1, { state }))).toBeNull();
    expect(classifyChange(undefined, alert(1, { silencedBy: ['sil-1'] }))).toBeNull();
  });

  it('reports what changed after a notice went out, never silently', () => {
    const sent = snapshot(alert(1, { version: 2 }));
    expect(classifyChange(sent, alert(1, { version: 3, state: 'dismissed' }))).toBe('dismissed');
    expect(classifyChange(sent, alert(1, { version: 3, state: 'confirmed' }))).toBe('confirmed');
    expect(classifyChange(sent, alert(1, { version: 3, state: 'withdrawn' }))).toBe('withdrawn');
    expect(classifyChange(sent, alert(1, { version: 3, state: 'resolved' }))).toBe('resolved');
    expect(classifyChange(sent, alert(1, { version: 3, finding: { severity: 'critical' } }))).toBe('updated');
    expect(
      classifyChange(sent, alert(1, { version: 3, finding: { period: { start: '2026-03-01', end: '2026-03-20' } } })),
    ).toBe('updated');
    const closed = snapshot(alert(1, { version: 4, state: 'withdrawn' }));
    expect(classifyChange(closed, alert(1, { version: 5, state: 'open' }))).toBe('reopened');
  });

  it('says nothing for what the owner already knows or what only concerns operators', () => {
    const sent = snapshot(alert(1, { version: 2 }));
    expect(classifyChange(sent, alert(1, { version: 2 }))).toBeNull();
    expect(classifyChange(sent, alert(1, { version: 1, state: 'dismissed' }))).toBeNull();
    expect(classifyChange(sent, alert(1, { version: 3, state: 'acknowledged' }))).toBeNull();
    expect(classifyChange(sent, alert(1, { version: 9 }))).toBeNull(); // seen again, unchanged
  });

  it('holds critical findings urgent, closings not', () => {
    const crit = alert(1, { finding: { severity: 'critical' } });
    expect(isUrgent(crit, 'new')).toBe(true);
    expect(isUrgent(crit, 'confirmed')).toBe(true);
    expect(isUrgent(crit, 'withdrawn')).toBe(false);
    expect(isUrgent(alert(2), 'new')).toBe(false);
  });
});

describe('digestSlot', () => {
  const daily = owner('o', ['p']).digest; // 09:00 Beijing = 01:00 UTC
  it('is the latest 09:00 local at or before now', () => {
    expect(new Date(digestSlot(daily, Date.parse('2026-12-02T05:00:00Z'))).toISOString()).toBe(
      '2026-12-02T01:00:00.000Z',
    );
    expect(new Date(digestSlot(daily, Date.parse('2026-12-02T00:59:59Z'))).toISOString()).toBe(
      '2026-12-01T01:00:00.000Z',
    );
    expect(new Date(digestSlot(daily, Date.parse('2026-12-02T01:00:00Z'))).toISOString()).toBe(
      '2026-12-02T01:00:00.000Z',
    );
  });
  it('follows a weekly schedule (2026-12-02 is a Wednesday)', () => {
    const at = (schedule: typeof daily, now: string) => new Date(digestSlot(schedule, Date.parse(now))).toISOString();
    const mondays = { ...daily, frequency: 'weekly' as const, weekday: 1 };
    expect(at(mondays, '2026-12-02T05:00:00Z')).toBe('2026-11-30T01:00:00.000Z');
    const wednesdays = { ...daily, frequency: 'weekly' as const, weekday: 3 };
    expect(at(wednesdays, '2026-12-02T05:00:00Z')).toBe('2026-12-02T01:00:00.000Z');
    expect(at(wednesdays, '2026-12-02T00:30:00Z')).toBe('2026-11-25T01:00:00.000Z');
  });

  it('keeps the local time across a daylight-saving change', () => {
    const at = (schedule: typeof daily, now: string) => new Date(digestSlot(schedule, Date.parse(now))).toISOString();
    const berlin = { ...daily, timeZone: 'Europe/Berlin' }; // CEST (+2) until 2026-10-25, CET (+1) after
    expect(at(berlin, '2026-10-24T12:00:00Z')).toBe('2026-10-24T07:00:00.000Z');
    expect(at(berlin, '2026-10-25T12:00:00Z')).toBe('2026-10-25T08:00:00.000Z');
  });
});

describe('planOwnerNotices', () => {
  const o = owner('owner-a', ['plat-a']);
  const now = Date.parse('2026-12-02T05:00:00Z');
  const received = [
    { alert: alert(1, { finding: { severity: 'critical' } }), changedAtMs: now - 1000 },
    { alert: alert(2), changedAtMs: now - 2000 },
    {
      alert: alert(3, { finding: { scope: { kind: 'org', platformId: 'plat-b', orgId: 'org-9' } } }),
      changedAtMs: now,
    },
  ];

  it('sends critical at once and the rest in the digest of the current slot', () => {
    const plans = planOwnerNotices({ owner: o, received, notified: new Map(), lastSlotMs: undefined, nowMs: now });
    expect(plans.map((p) => [p.kind, p.entries.map((e) => e.alert.fingerprint)])).toEqual([
      ['immediate', [alert(1).fingerprint]],
      ['digest', [alert(2).fingerprint]],
    ]);
    expect(plans[1]?.slotMs).toBe(Date.parse('2026-12-02T01:00:00Z'));
  });

  it('holds the rest until the next slot once this slot had its digest', () => {
    const slot = Date.parse('2026-12-02T01:00:00Z');
    const plans = planOwnerNotices({ owner: o, received, notified: new Map(), lastSlotMs: slot, nowMs: now });
    expect(plans.map((p) => p.kind)).toEqual(['immediate']);
    const tomorrow = planOwnerNotices({
      owner: o,
      received,
      notified: new Map(),
      lastSlotMs: slot,
      nowMs: Date.parse('2026-12-03T01:00:00Z'),
    });
    expect(tomorrow.map((p) => p.kind)).toEqual(['immediate', 'digest']);
  });

  it("leaves out other owners' platforms and what was already notified", () => {
    const notified = new Map(received.map((r) => [r.alert.fingerprint, snapshot(r.alert)]));
    expect(planOwnerNotices({ owner: o, received, notified, lastSlotMs: undefined, nowMs: now })).toEqual([]);
    const other = owner('owner-b', ['plat-b']);
    const plans = planOwnerNotices({ owner: other, received, notified: new Map(), lastSlotMs: undefined, nowMs: now });
    expect(plans.flatMap((p) => p.entries.map((e) => e.alert.fingerprint))).toEqual([alert(3).fingerprint]);
  });
});
