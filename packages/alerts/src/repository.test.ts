import { ALERT_SCHEMA_VERSION, type Alert } from '@tracewatch/schema';
import { describe, expect, it } from 'vitest';
import { alertFilterSql, alertFromRow, alertMatches, alertRow } from './repository.js';
import { finding } from './testing/fixtures.js';

const alert: Alert = {
  schemaVersion: ALERT_SCHEMA_VERSION,
  fingerprint: finding().fingerprint,
  state: 'acknowledged',
  version: 3,
  finding: finding({ scope: { kind: 'actor', platformId: 'plat-a', orgId: 'org-1', actorId: 'act-7' } }),
  firstSeenAt: '2026-03-15T00:00:00.000Z',
  lastSeenAt: '2026-03-16T12:30:00.250Z',
  updatedAt: '2026-12-01T09:00:00.000Z',
  updatedBy: 'li.wei',
  silencedBy: ['sil-1'],
};

describe('alert rows', () => {
  it('carry the filter columns and the whole alert, read back equal through the schema', () => {
    const row = alertRow(alert, 2);
    expect(row).toMatchObject({
      topic_partition: 2,
      state: 'acknowledged',
      severity: 'warning',
      detector: 'burst-before-evaluation',
      platform_id: 'plat-a',
      org_id: 'org-1',
      actor_id: 'act-7',
      period_start: '2026-03-01',
      silenced: 1,
      version: 3,
      last_seen_at: Math.floor(Date.parse(alert.lastSeenAt) / 1000),
    });
    expect(alertFromRow(row)).toEqual(alert);
  });

  it('a row whose JSON fails the schema is an error, not a wrong alert', () => {
    expect(() => alertFromRow({ alert: JSON.stringify({ ...alert, state: 'lost' }) })).toThrow(/alert schema/);
  });
});

describe('alertFilterSql', () => {
  it('escapes every value and checks days', () => {
    const sql = alertFilterSql({ detector: "x' OR 1=1 --", state: 'open', from: '2026-03-01', to: '2026-03-31' });
    expect(sql).toBe(
      "1 AND state = 'open' AND detector = 'x\\' OR 1=1 --' AND period_end >= toDate('2026-03-01') AND period_start <= toDate('2026-03-31')",
    );
    expect(() => alertFilterSql({ from: "2026'); DROP" })).toThrow(/not a day/);
  });

  it('no filter: everything', () => {
    expect(alertFilterSql({})).toBe('1');
  });
});

describe('a scope (platformIds)', () => {
  it('restricts to the listed platforms; an empty list sees nothing', () => {
    expect(alertFilterSql({ platformIds: ["pA'", 'pB'] })).toBe("1 AND platform_id IN ('pA\\'', 'pB')");
    expect(alertFilterSql({ platformIds: [] })).toBe('1 AND 0');
  });
});

describe("alertMatches (the stream's filter, in memory)", () => {
  it('matches each field as alertFilterSql does', () => {
    expect(alertMatches(alert, {})).toBe(true);
    expect(alertMatches(alert, { state: 'acknowledged', detector: 'burst-before-evaluation' })).toBe(true);
    expect(alertMatches(alert, { severity: 'critical' })).toBe(false);
    expect(alertMatches(alert, { platformId: 'plat-a', orgId: 'org-1' })).toBe(true);
    expect(alertMatches(alert, { orgId: 'org-2' })).toBe(false);
    expect(alertMatches(alert, { platformIds: ['plat-b'] })).toBe(false);
    expect(alertMatches(alert, { platformIds: [] })).toBe(false);
    expect(alertMatches(alert, { platformIds: ['plat-b', 'plat-a'] })).toBe(true);
  });

  it('periods overlap inclusively: ends on or after from, starts on or before to', () => {
    // The fixture's period is 2026-03-01 .. 2026-03-14.
    expect(alertMatches(alert, { from: '2026-03-14', to: '2026-03-14' })).toBe(true);
    expect(alertMatches(alert, { from: '2026-03-15' })).toBe(false);
    expect(alertMatches(alert, { to: '2026-02-28' })).toBe(false);
    expect(alertMatches(alert, { to: '2026-03-01' })).toBe(true);
  });

  it('a change matches a state filter when it enters or leaves the state', () => {
    expect(alertMatches(alert, { state: 'open' })).toBe(false);
    expect(alertMatches(alert, { state: 'open' }, 'open')).toBe(true);
    expect(alertMatches(alert, { state: 'open' }, 'resolved')).toBe(false);
  });
});
