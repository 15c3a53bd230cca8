import { ALERT_SCHEMA_VERSION, type AlertChange, alertChangeSchema } from '@tracewatch/schema';
import { describe, expect, it } from 'vitest';
import { finding, silence } from '../../alerts/src/testing/fixtures.js';
import { alertSummary, alertsTable, changeLine, parseExpires, parseLang, silencesTable } from './alerts-format.js';
import { UsageError } from './args.js';

const NOW = new Date('2026-12-01T10:00:00.000Z');
const change: AlertChange = alertChangeSchema.parse({
  schemaVersion: ALERT_SCHEMA_VERSION,
  changeId: 'chg-1',
  commandId: 'cmd-1',
  fingerprint: finding().fingerprint,
  version: 2,
  kind: 'transition',
  from: 'open',
  to: 'acknowledged',
  at: NOW.toISOString(),
  by: 'li.wei',
  note: 'checking\nwith the unit',
  alert: {
    schemaVersion: ALERT_SCHEMA_VERSION,
    fingerprint: finding().fingerprint,
    state: 'acknowledged',
    version: 2,
    finding: finding(),
    firstSeenAt: '2026-03-15T00:00:00.000Z',
    lastSeenAt: '2026-03-15T00:00:00.000Z',
    updatedAt: NOW.toISOString(),
    updatedBy: 'li.wei',
    silencedBy: ['sil-1'],
  },
});

describe('parseExpires', () => {
  it('durations from now', () => {
    expect(parseExpires('30m', NOW)).toBe('2026-12-01T10:30:00.000Z');
    expect(parseExpires('4h', NOW)).toBe('2026-12-01T14:00:00.000Z');
    expect(parseExpires('7d', NOW)).toBe('2026-12-08T10:00:00.000Z');
    expect(parseExpires('2w', NOW)).toBe('2026-12-15T10:00:00.000Z');
  });
  it('instants with an offset', () => {
    expect(parseExpires('2026-12-31T18:00:00+08:00', NOW)).toBe('2026-12-31T10:00:00.000Z');
  });
  it('refuses the past, zero, and what it cannot read, naming the value', () => {
    expect(() => parseExpires('2026-11-30T00:00:00Z', NOW)).toThrow(/in the future/);
    expect(() => parseExpires('0h', NOW)).toThrow(UsageError);
    expect(() => parseExpires('tomorrow', NOW)).toThrow(/"tomorrow"/);
    expect(() => parseExpires('2026-12-31T18:00:00', NOW)).toThrow(UsageError); // no offset
  });
});

describe('alert output', () => {
  it('json summary has what operators script against', () => {
    expect(Object.keys(alertSummary(change.alert))).toEqual(
      expect.arrayContaining([
        'fingerprint',
        'state',
        'severity',
        'detector',
        'scope',
        'period',
        'explanation',
        'version',
      ]),
    );
  });
  it('tables in both languages, silenced marked', () => {
    expect(alertsTable([change.alert], 'en')).toContain('acknowledged (silenced)');
    expect(alertsTable([change.alert], 'zh-CN')).toContain('已确认收到(静默)');
    expect(alertsTable([], 'en')).toBe('no alerts.\n');
  });
  it('a change is one line, its note flattened', () => {
    const line = changeLine(change, 'en');
    expect(line.split('\n')).toHaveLength(1);
    expect(line).toContain('open → acknowledged');
    expect(line).toContain('— checking with the unit');
    expect(changeLine(change, 'zh-CN')).toContain('待处理 → 已确认收到');
  });
  it('silences: active or expired, with who expired it', () => {
    const s = silence({ id: 'sil-9', expiresAt: '2026-12-01T09:00:00.000Z', createdAt: '2026-12-01T08:00:00.000Z' });
    expect(silencesTable([{ silence: s, expiredBy: 'zhou.qi' }], NOW, 'en')).toContain('expired (zhou.qi)');
  });
  it('--lang, or LANG', () => {
    expect(parseLang(undefined, { LANG: 'zh_CN.UTF-8' })).toBe('zh-CN');
    expect(parseLang(undefined, { LANG: 'C' })).toBe('en');
    expect(() => parseLang('fr')).toThrow(UsageError);
  });
});
