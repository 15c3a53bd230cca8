/**
 * The api on the real ClickHouse: every route for every role, keys (missing, malformed, wrong,
 * revoked), owners kept to their platforms by every route, filter and export, hostile input,
 * the audit log, the OpenAPI document, rate limits, headers and bad configuration.
 */
import { spawnSync } from 'node:child_process';
import SwaggerParser from '@apidevtools/swagger-parser';
import { countTraceEvents } from '@tracewatch/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ApiFixture,
  fixtureEvents,
  type KeyName,
  PA_BACKFILLED,
  PA_CLAIMED,
  PA_RECORDED,
  startApiFixture,
} from './support/api-fixture.js';
import { runCli, waitFor } from './support/harness.js';
import { REPO_ROOT } from './support/servers.js';

let fx: ApiFixture;

interface Answer {
  status: number;
  body: string;
  json: () => any;
  headers: Headers;
}

async function call(
  key: string | undefined,
  method: string,
  path: string,
  body?: unknown,
  rawBody?: string,
): Promise<Answer> {
  const headers: Record<string, string> = {};
  if (key !== undefined) headers.authorization = `Bearer ${key}`;
  if (body !== undefined || rawBody !== undefined) headers['content-type'] = 'application/json';
  const r = await fetch(`${fx.base}${path}`, {
    method,
    headers,
    body: rawBody ?? (body === undefined ? undefined : JSON.stringify(body)),
  });
  const text = await r.text();
  return { status: r.status, body: text, json: () => JSON.parse(text), headers: r.headers };
}
const get = (who: KeyName, path: string) => call(fx.keys[who], 'GET', path);

const RANGE = 'from=2026-03-01&to=2026-03-11';
let evaluationSeq = 0;
const newEvaluation = () => ({
  id: `ev-new-${++evaluationSeq}`,
  name: '新考核',
  kind: 'assessment',
  platformId: 'pA',
  start: '2026-03-20T00:00:00+08:00',
  end: '2026-03-21T00:00:00+08:00',
});

/** One valid request per route, on platform pA. */
const ROUTES = [
  { name: 'me', method: 'GET', path: () => '/v1/me' },
  { name: 'platforms', method: 'GET', path: () => '/v1/platforms' },
  { name: 'series', method: 'GET', path: () => `/v1/inspect/series?platformId=pA&${RANGE}` },
  { name: 'series.csv', method: 'GET', path: () => `/v1/inspect/series.csv?platformId=pA&${RANGE}` },
  { name: 'reality', method: 'GET', path: () => `/v1/platforms/pA/reality?${RANGE}` },
  { name: 'reality.csv', method: 'GET', path: () => `/v1/platforms/pA/reality.csv?${RANGE}` },
  { name: 'evaluations', method: 'GET', path: () => `/v1/evaluations?${RANGE}` },
  { name: 'evaluations.create', method: 'POST', path: () => '/v1/evaluations', body: newEvaluation },
  { name: 'audit', method: 'GET', path: () => '/v1/audit?from=2026-01-01T00:00:00Z&to=2027-06-01T00:00:00Z' },
] as const;

/** Expected status of each route's valid request (on pA) for each role. */
const MATRIX: Record<(typeof ROUTES)[number]['name'], Record<Exclude<KeyName, 'revoked'>, number>> = {
  me: { admin: 200, inspector: 200, ops: 200, ownerA: 200, ownerB: 200 },
  platforms: { admin: 200, inspector: 200, ops: 200, ownerA: 200, ownerB: 200 },
  series: { admin: 200, inspector: 200, ops: 403, ownerA: 200, ownerB: 404 },
  'series.csv': { admin: 200, inspector: 200, ops: 403, ownerA: 200, ownerB: 404 },
  reality: { admin: 200, inspector: 200, ops: 200, ownerA: 200, ownerB: 404 },
  'reality.csv': { admin: 200, inspector: 200, ops: 200, ownerA: 200, ownerB: 404 },
  evaluations: { admin: 200, inspector: 200, ops: 200, ownerA: 200, ownerB: 200 },
  'evaluations.create': { admin: 201, inspector: 201, ops: 403, ownerA: 403, ownerB: 403 },
  audit: { admin: 200, inspector: 403, ops: 403, ownerA: 403, ownerB: 403 },
};

beforeAll(async () => {
  fx = await startApiFixture('api');
  await waitFor('api /readyz', async () => (await call(undefined, 'GET', '/readyz')).status === 200);
  const revoke = runCli(['keys', 'revoke', fx.keyIds.revoked, '--database', fx.store.database]);
  expect(revoke.status, revoke.stderr).toBe(0);
});
afterAll(async () => {
  await fx?.stop();
});

describe('keys', () => {
  it('refuses a missing, malformed, unknown, wrong or revoked key with 401 on every route', async () => {
    const [, keyId] = /^tw_([0-9a-f]{16})_/.exec(fx.keys.admin)!;
    const wrongSecret = `tw_${keyId}_${'A'.repeat(43)}`;
    const unknownId = fx.keys.admin.replace(/^tw_[0-9a-f]{16}/, 'tw_0000000000000000');
    for (const route of ROUTES) {
      for (const key of [undefined, 'not-a-key', wrongSecret, unknownId, fx.keys.revoked, `${fx.keys.admin}x`]) {
        const r = await call(key, route.method, route.path(), 'body' in route ? route.body() : undefined);
        expect(r.status, `${route.name} with ${key}`).toBe(401);
        expect(r.json().error).toMatch(/API key/);
      }
    }
  });

  it('keys create prints the key alone, once; list shows no secret; an owner needs a platform', () => {
    const created = runCli([
      'keys',
      'create',
      '--role',
      'owner',
      '--platform',
      'pA',
      '--platform',
      'pB',
      '--name',
      'two platforms',
      '--database',
      fx.store.database,
    ]);
    expect(created.status, created.stderr).toBe(0);
    expect(created.stdout).toMatch(/^tw_[0-9a-f]{16}_[A-Za-z0-9_-]{43}\n$/);
    const secret = created.stdout.trim().split('_').slice(2).join('_');
    const list = runCli(['keys', 'list', '--format', 'json', '--database', fx.store.database]);
    expect(list.status, list.stderr).toBe(0);
    expect(list.stdout).not.toContain(secret);
    const rows = list.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(rows.find((r) => r.name === 'two platforms')).toMatchObject({
      role: 'owner',
      platformIds: ['pA', 'pB'],
      revokedAt: null,
    });
    expect(rows.find((r) => r.keyId === fx.keyIds.revoked).revokedAt).not.toBeNull();
    for (const r of rows)
      expect(Object.keys(r).sort()).toEqual(['createdAt', 'keyId', 'name', 'platformIds', 'revokedAt', 'role']);
    const ownerless = runCli(['keys', 'create', '--role', 'owner', '--name', 'x', '--database', fx.store.database]);
    expect(ownerless.status).toBe(2);
    expect(ownerless.stderr).toContain('--platform: an owner key needs at least one --platform');
    const badRole = runCli(['keys', 'create', '--role', 'root', '--name', 'x', '--database', fx.store.database]);
    expect(badRole.status).toBe(2);
    expect(badRole.stderr).toContain('--role');
  });
});

describe('roles', () => {
  it('every route answers each role as the permission table says', async () => {
    for (const route of ROUTES) {
      for (const [who, expected] of Object.entries(MATRIX[route.name]) as [KeyName, number][]) {
        const r = await call(fx.keys[who], route.method, route.path(), 'body' in route ? route.body() : undefined);
        expect(r.status, `${route.name} as ${who}: ${r.body.slice(0, 200)}`).toBe(expected);
        if (expected === 403) expect(r.json().error).toMatch(/^role \w+ may not use/);
      }
    }
  });
});

describe('inspection', () => {
  it('the daily series counts each event once, by local day, claimed and recorded, with the evaluations', async () => {
    const r = await get('inspector', `/v1/inspect/series?platformId=pA&${RANGE}`);
    expect(r.status).toBe(200);
    const a = r.json();
    expect(a.days.map((d: any) => d.day)).toEqual(
      Array.from({ length: 10 }, (_, i) => `2026-03-${String(i + 1).padStart(2, '0')}`),
    );
    expect(a.days.map((d: any) => d.claimed)).toEqual(PA_CLAIMED);
    expect(a.days.map((d: any) => d.recorded)).toEqual(PA_RECORDED);
    expect(a.days.map((d: any) => d.backfilled)).toEqual(PA_BACKFILLED);
    expect(a.evaluations.map((e: any) => e.id)).toEqual(['ev-a', 'ev-all']);
    expect(a.evaluations[0]).toMatchObject({
      platformId: 'pA',
      start: '2026-03-07T16:00:00.000Z',
      name: '一网通办 季度考核',
    });
    expect(a.extent).toEqual({ firstDay: '2026-03-01', lastDay: '2026-03-10' });
    // In UTC the late view of u2 falls on 03-05 instead of 03-06.
    const utc = (await get('inspector', `/v1/inspect/series?platformId=pA&${RANGE}&tz=UTC`)).json();
    expect(utc.days[4].claimed - a.days[4].claimed).toBe(1);
    // One org of the platform.
    const o2 = (await get('inspector', `/v1/inspect/series?platformId=pA&orgId=o2&${RANGE}`)).json();
    expect(o2.days.map((d: any) => d.claimed)).toEqual([0, 1, 0, 1, 0, 1, 0, 0, 0, 0]);
  });

  it('exports the same series as CSV', async () => {
    const r = await get('inspector', `/v1/inspect/series.csv?platformId=pA&${RANGE}`);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(r.headers.get('content-disposition')).toContain('series_pA_all_2026-03-01_2026-03-11.csv');
    const lines = r.body.trim().split('\r\n');
    expect(lines[0]).toBe('day,claimed,recorded,backfilled,evaluations_starting');
    expect(lines.slice(1).map((l) => Number(l.split(',')[1]))).toEqual(PA_CLAIMED);
    expect(lines[8]).toBe('2026-03-08,1,1,0,ev-a');
    expect(lines[10]).toBe('2026-03-10,1,1,0,ev-all');
  });

  it('platform reality: users, DAU/MAU, shares, departments, hour × weekday, pre-windows, deadlines', async () => {
    const r = await get('inspector', `/v1/platforms/pA/reality?${RANGE}`);
    expect(r.status, r.body).toBe(200);
    const a = r.json();
    expect(a.registeredUsers).toEqual({
      fromTraces: 4,
      inPeriod: 3,
      reported: { periodEnd: '2026-02-28', value: 150 },
    });
    expect(a.activeUsers).toEqual({ public: 3, staff: 2 });
    expect(a.dau).toBeCloseTo(1.3, 10); // (3 + 1·4 + 2 + 1·4) / 10 days
    expect(a.mau).toBe(3);
    expect(a.dauMau).toBeCloseTo(1.3 / 3, 10);
    expect(a.activity).toEqual({
      total: 21,
      byRole: { public: 14, staff: 7 },
      publicShare: 14 / 21,
      staffShare: 7 / 21,
    });
    expect(a.byDepartment).toEqual([
      { orgId: 'o1', events: 18, publicEvents: 14 },
      { orgId: 'o2', events: 3, publicEvents: 0 },
    ]);
    // u1's ten views at 10:00 local; 03-01 is a Sunday (7): 3 registrations + 1 view.
    const cell = (weekday: number, hour: number) =>
      a.hourWeekday.find((c: any) => c.weekday === weekday && c.hour === hour)?.events;
    expect(cell(7, 10)).toBe(4 + 1); // Sundays 03-01 and 03-08
    expect(a.hourWeekday.reduce((n: number, c: any) => n + c.events, 0)).toBe(21);
    // Pre-windows: ev-a (03-08 local) covers 03-01..03-07, ev-all (03-10) 03-03..03-09; merged,
    // local 03-01..03-09: 20 of the 21 events (all but 03-10's view) in 9 of the 10 days.
    expect(a.preWindow.share).toBeCloseTo(20 / 21, 10);
    expect(a.preWindow.timeShare).toBeCloseTo(0.9, 10);
    expect(a.preWindow.days).toBeCloseTo(9, 10);
    expect(a.tasks).toEqual({
      tasks: 3,
      metShare: 2 / 3,
      atDeadlineShare: 1 / 3,
      medianAllowedHours: 10,
      medianTakenHours: 9.5,
    });
  });

  it('platform reality as CSV, one indicator per line', async () => {
    const r = await get('ops', `/v1/platforms/pA/reality.csv?${RANGE}`);
    expect(r.status).toBe(200);
    const lines = r.body.trim().split('\r\n');
    expect(lines[0]).toBe('section,key,value');
    expect(lines).toContain('registered_users,from_traces,4');
    expect(lines).toContain('activity,total,21');
    expect(lines).toContain('requests_by_department,o1,18');
    expect(lines).toContain('tasks,median_taken_hours,9.5');
  });

  it('the evaluation calendar: an inspector adds an entry, a second with the same id is a conflict', async () => {
    const entry = { ...newEvaluation(), id: 'ev-calendar-test', name: '年度检查' };
    expect((await call(fx.keys.inspector, 'POST', '/v1/evaluations', entry)).status).toBe(201);
    const again = await call(fx.keys.admin, 'POST', '/v1/evaluations', entry);
    expect(again.status).toBe(409);
    expect(again.json().error).toContain('ev-calendar-test');
    const list = (await get('ownerA', '/v1/evaluations?from=2026-03-15&to=2026-03-25')).json();
    expect(list.evaluations.map((e: any) => e.id)).toContain('ev-calendar-test');
    const bad = await call(fx.keys.inspector, 'POST', '/v1/evaluations', {
      ...entry,
      id: 'ev-x',
      end: '2026-03-19T00:00:00+08:00',
    });
    expect(bad.status).toBe(400);
    expect(bad.json().error).toContain('end must not be before start');
  });
});

describe('owners see only their own platforms', () => {
  it('by every route, filter and export: 404 for another platform, the same answer whether it exists or not', async () => {
    for (const path of [
      `/v1/inspect/series?platformId=pB&${RANGE}`,
      `/v1/inspect/series.csv?platformId=pB&${RANGE}`,
      `/v1/inspect/series?platformId=pB&orgId=o3&${RANGE}`,
      `/v1/platforms/pB/reality?${RANGE}`,
      `/v1/platforms/pB/reality.csv?${RANGE}`,
      `/v1/evaluations?platformId=pB&${RANGE}`,
    ]) {
      const existing = await get('ownerA', path);
      const missing = await get('ownerA', path.replaceAll('pB', 'pZ'));
      expect(existing.status, path).toBe(404);
      expect(missing.status, path).toBe(404);
      expect(existing.body.replaceAll('pB', 'pZ')).toBe(missing.body);
      expect(existing.body).not.toMatch(/\bo3\b|form\.submit|999/);
    }
  });

  it('filters without a platform are narrowed to their own: another platform’s org shows nothing', async () => {
    const byOrg = (await get('ownerA', `/v1/inspect/series?orgId=o3&${RANGE}`)).json();
    expect(byOrg.days.every((d: any) => d.claimed === 0 && d.recorded === 0)).toBe(true);
    const inspectorView = (await get('inspector', `/v1/inspect/series?orgId=o3&${RANGE}`)).json();
    expect(inspectorView.days[2].claimed).toBe(5); // the data exists; the owner just may not see it
    const csv = await get('ownerA', `/v1/inspect/series.csv?orgId=o3&${RANGE}`);
    expect(
      csv.body
        .trim()
        .split('\r\n')
        .slice(1)
        .every((l) => /^\d{4}-\d\d-\d\d,0,0,0,/.test(l)),
    ).toBe(true);
    const evaluations = (await get('ownerA', `/v1/evaluations?${RANGE}`)).json();
    expect(evaluations.evaluations.map((e: any) => e.id)).toEqual(['ev-a', 'ev-all']);
    const catalog = (await get('ownerA', '/v1/platforms')).json();
    expect(catalog.platforms.map((p: any) => p.platformId)).toEqual(['pA']);
    const all = (await get('inspector', '/v1/platforms')).json();
    expect(all.platforms.map((p: any) => [p.platformId, p.events, p.orgIds])).toEqual([
      ['pA', 22, ['o1', 'o2']], // 21 in range + u4's registration before it
      ['pB', 5, ['o3']],
    ]);
    const ownerB = (await get('ownerB', `/v1/platforms/pB/reality?${RANGE}`)).json();
    expect(ownerB.registeredUsers.reported.value).toBe(999);
    expect(ownerB.activity.total).toBe(5);
  });
});

describe('hostile input', () => {
  const SQLISH = [
    "x' OR 1=1 --",
    "pA'); DROP TABLE trace_events; --",
    'pA\\',
    '../../etc/passwd',
    '%27',
    'a'.repeat(65),
  ];

  it('every parameter is checked before any query: 400 naming the parameter', async () => {
    const cases: Array<[string, RegExp]> = [];
    for (const s of SQLISH) {
      const v = encodeURIComponent(s);
      cases.push([`/v1/inspect/series?platformId=${v}&${RANGE}`, /platformId/]);
      cases.push([`/v1/inspect/series?orgId=${v}&${RANGE}`, /orgId/]);
      cases.push([`/v1/inspect/series.csv?platformId=pA&from=${v}&to=2026-03-11`, /from/]);
      cases.push([`/v1/inspect/series?platformId=pA&${RANGE}&tz=${v}`, /tz/]);
      cases.push([`/v1/platforms/${v}/reality?${RANGE}`, /platformId|no route/]);
      cases.push([`/v1/platforms/pA/reality.csv?from=2026-03-01&to=${v}`, /to/]);
      cases.push([`/v1/evaluations?${RANGE}&platformId=${v}`, /platformId/]);
      cases.push([`/v1/audit?from=2026-01-01T00:00:00Z&to=2027-01-01T00:00:00Z&keyId=${v}`, /keyId/]);
      cases.push([`/v1/audit?from=2026-01-01T00:00:00Z&to=2027-01-01T00:00:00Z&role=${v}`, /role/]);
    }
    cases.push(
      [`/v1/inspect/series?platformId=pA&from=2020-01-01&to=2026-01-01`, /at most 731 days/],
      [`/v1/platforms/pA/reality?from=2026-03-11&to=2026-03-01`, /to must be after from/],
      [`/v1/inspect/series?platformId=pA&from=2026-02-30&to=2026-03-11`, /from/],
      [`/v1/inspect/series?platformId=pA&from=yesterday&to=today`, /from/],
      [`/v1/inspect/series?${RANGE}`, /give a platformId, an orgId or both/],
      [`/v1/inspect/series?platformId=pA&${RANGE}&tz=Mars/Olympus`, /unknown time zone/],
      [`/v1/inspect/series?platformId=pA&${RANGE}&limit=5`, /Unrecognized key: "limit"/],
      [`/v1/inspect/series?platformId=pA&platformId=pB&${RANGE}`, /platformId/],
      [`/v1/platforms?x=1`, /Unrecognized key: "x"/],
      [`/v1/audit?from=2026-01-01T00:00:00Z&to=2027-01-01T00:00:00Z&limit=100000`, /limit/],
      [`/v1/audit?from=2026-01-01T00:00:00Z&to=2027-01-01T00:00:00Z&offset=-1`, /offset/],
      [`/v1/audit?from=2020-01-01T00:00:00Z&to=2027-01-01T00:00:00Z`, /at most 2 years/],
      [`/v1/audit?from=2026-01-01&to=2027-01-01T00:00:00Z`, /from/],
    );
    for (const [path, reason] of cases) {
      const r = await get('admin', path);
      expect(r.status, `${path}: ${r.body}`).toBeGreaterThanOrEqual(400);
      expect(r.status, path).toBeLessThan(500);
      expect(r.json().error, path).toMatch(reason);
    }
    expect(await countTraceEvents(fx.store)).toBe(fixtureEvents().length);
  });

  it('bodies: unknown fields, wrong types, oversized, not JSON → 4xx with the reason', async () => {
    const post = (body?: unknown, raw?: string) => call(fx.keys.admin, 'POST', '/v1/evaluations', body, raw);
    const unknown = await post({ ...newEvaluation(), sql: 'DROP' });
    expect(unknown.status).toBe(400);
    expect(unknown.json().error).toContain('Unrecognized key: "sql"');
    const injected = await post({ ...newEvaluation(), id: "e'); DROP TABLE evaluations; --" });
    expect(injected.status).toBe(400);
    expect(injected.json().error).toContain('body.id');
    const huge = await post(undefined, JSON.stringify({ ...newEvaluation(), name: 'x'.repeat(100_000) }));
    expect(huge.status).toBe(413);
    expect(huge.json().error).toContain('request body larger than 16384 bytes');
    const notJson = await post(undefined, '{"id": ');
    expect(notJson.status).toBe(400);
    expect(notJson.json().error).toMatch(/JSON/);
    const kinds = await post({ ...newEvaluation(), kind: 'party' });
    expect(kinds.json().error).toContain('body.kind');
    // A value that only the escaping helper keeps harmless reaches the store intact.
    const quoted = { ...newEvaluation(), name: "考核 'quoted' \\ back\nslash" };
    expect((await post(quoted)).status).toBe(201);
    const listed = (await get('admin', '/v1/evaluations?from=2026-03-15&to=2026-03-25')).json();
    expect(listed.evaluations.find((e: any) => e.id === quoted.id).name).toBe(quoted.name);
  });
});

describe('audit log', () => {
  it('records every inspector query: who, route, parameters, when, rows returned; only admins read it', async () => {
    // The log keeps whole seconds: start on a fresh second, so that earlier tests' queries fall before it.
    await new Promise((r) => setTimeout(r, 1_005 - (Date.now() % 1_000)));
    const since = new Date(Math.floor(Date.now() / 1_000) * 1_000).toISOString();
    const asked = [
      `/v1/inspect/series?platformId=pA&${RANGE}`,
      `/v1/platforms/pA/reality?${RANGE}`,
      `/v1/inspect/series?platformId=bad'id&${RANGE}`,
    ];
    for (const p of asked) await get('inspector', p);
    const until = new Date(Date.now() + 86_400_000).toISOString();
    const r = await get('admin', `/v1/audit?from=${since}&to=${until}&keyId=${fx.keyIds.inspector}`);
    expect(r.status).toBe(200);
    const entries = r.json().entries.reverse();
    expect(entries.map((e: any) => [e.route, e.status, e.rowsReturned])).toEqual([
      ['/v1/inspect/series', 200, 12], // 10 days + 2 evaluations
      ['/v1/platforms/:platformId/reality', 200, 18], // summary + 2 departments + 15 hour × weekday cells
      ['/v1/inspect/series', 400, 0],
    ]);
    expect(entries.every((e: any) => e.keyName === 'test-inspector' && e.role === 'inspector')).toBe(true);
    expect(JSON.parse(entries[0].parameters)).toEqual({
      params: {},
      query: { platformId: 'pA', from: '2026-03-01', to: '2026-03-11', tz: 'Asia/Shanghai' },
      body: null,
    });
    expect(JSON.parse(entries[2].parameters).query.platformId).toBe("bad'id");
    expect(Date.parse(entries[0].at)).toBeGreaterThanOrEqual(Date.parse(since));
  });
});

describe('OpenAPI', () => {
  it('the document is valid OpenAPI 3 and names every route', async () => {
    const doc = (await call(undefined, 'GET', '/docs/json')).json();
    await SwaggerParser.validate(structuredClone(doc));
    expect(doc.openapi).toMatch(/^3\./);
    for (const p of [
      '/v1/me',
      '/v1/platforms',
      '/v1/inspect/series',
      '/v1/inspect/series.csv',
      '/v1/platforms/{platformId}/reality',
      '/v1/platforms/{platformId}/reality.csv',
      '/v1/evaluations',
      '/v1/audit',
    ])
      expect(Object.keys(doc.paths)).toContain(p);
    expect((await call(undefined, 'GET', '/docs')).status).toBe(200);
  });

  it('a request built from the document (every declared parameter, nothing else) succeeds', async () => {
    const doc = (await call(undefined, 'GET', '/docs/json')).json();
    const values: Record<string, string> = {
      platformId: 'pA',
      orgId: 'o1',
      from: '2026-03-01',
      to: '2026-03-11',
      tz: 'Asia/Shanghai',
    };
    for (const path of ['/v1/inspect/series', '/v1/platforms/{platformId}/reality', '/v1/evaluations']) {
      const params: Array<{ name: string; in: string; required?: boolean; schema: any }> =
        doc.paths[path].get.parameters;
      let url = path;
      const query = new URLSearchParams();
      for (const p of params) {
        expect(values[p.name], `a value for ${p.name}`).toBeDefined();
        if (p.in === 'path') url = url.replace(`{${p.name}}`, values[p.name]!);
        else query.set(p.name, values[p.name]!);
      }
      const r = await get('admin', `${url}?${query}`);
      expect(r.status, `${url}?${query}: ${r.body}`).toBe(200);
    }
    const postSchema = doc.paths['/v1/evaluations'].post.requestBody.content['application/json'].schema;
    expect(postSchema.additionalProperties).toBe(false);
    const body = Object.fromEntries(
      postSchema.required.map((k: string) => [
        k,
        {
          id: 'ev-from-doc',
          name: 'doc',
          kind: postSchema.properties.kind.enum[0],
          start: '2026-04-01T00:00:00Z',
          end: '2026-04-02T00:00:00Z',
        }[k],
      ]),
    );
    expect((await call(fx.keys.admin, 'POST', '/v1/evaluations', body)).status).toBe(201);
  });
});

describe('service', () => {
  it('security headers and a strict Content-Security-Policy on the console', async () => {
    const r = await call(undefined, 'GET', '/');
    const csp = r.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
    expect(r.headers.get('x-content-type-options')).toBe('nosniff');
    expect(r.headers.get('x-frame-options')).toBe('SAMEORIGIN');
  });

  it('health, readiness and metrics beside the api', async () => {
    expect((await call(undefined, 'GET', '/healthz')).json().status).toBe('ok');
    expect((await call(undefined, 'GET', '/readyz')).json().status).toBe('ok');
    const metrics = await call(undefined, 'GET', '/metrics');
    expect(metrics.body).toMatch(/tw_api_requests_total\{route="\/v1\/inspect\/series",status="200"\} \d+/);
  });

  it('unknown routes are 404 JSON', async () => {
    const r = await get('admin', '/v1/nothing-here');
    expect(r.status).toBe(404);
    expect(r.json().error).toContain('no route GET /v1/nothing-here');
  });

  it('rate limits per key: one key over its budget gets 429, another key is unaffected', async () => {
    const limited = await startApiFixture('api_rate', { API_RATE_LIMIT_PER_MINUTE: '5' });
    try {
      const hit = (key: string) => fetch(`${limited.base}/v1/me`, { headers: { authorization: `Bearer ${key}` } });
      const statuses: number[] = [];
      for (let i = 0; i < 7; i++) statuses.push((await hit(limited.keys.inspector)).status);
      expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429]);
      const over = await hit(limited.keys.inspector);
      expect(((await over.json()) as { error: string }).error).toMatch(/rate limit of 5 requests/);
      expect((await hit(limited.keys.admin)).status).toBe(200);
    } finally {
      await limited.stop();
    }
  });

  it('bad configuration exits 78 naming the variable', () => {
    for (const [name, value] of <Array<[string, string]>>[
      ['HTTP_PORT', 'eighty'],
      ['CLICKHOUSE_DATABASE', 'Bad-Name'],
      ['API_RATE_LIMIT_PER_MINUTE', '0'],
    ]) {
      const r = spawnSync(process.execPath, [`${REPO_ROOT}services/api/dist/main.js`], {
        env: { ...process.env, [name]: value },
        encoding: 'utf8',
        timeout: 30_000,
      });
      expect(r.status, `${name}=${value}`).toBe(78);
      expect(r.stderr).toContain(name);
    }
  });
});
