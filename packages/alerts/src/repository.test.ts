import { ALERT_SCHEMA_VERSION, type Alert } from '@tracewatch/schema';
import { describe, expect, it } from 'vitest';
import { alertFilterSql, alertFromRow, alertRow } from './repository.js';
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
