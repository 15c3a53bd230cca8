/**
 * Inspection of findings on the real ClickHouse: suspicious periods (merged, each with its
 * findings), one finding, the raw evidence records behind it (paged), the ranking, the report's
 * content; each role; owners kept to their platforms by every route, filter and export;
 * hostile input refused naming what was wrong, nothing executed; the audit log records every
 * inspector query; the OpenAPI document declares them (CSV as text/csv) and a request built
 * from it succeeds.
 */
import SwaggerParser from '@apidevtools/swagger-parser';
import { revokeKey } from '@tracewatch/access';
import { ranking } from '@tracewatch/inspect';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiFixture, type KeyName, startApiFixture } from './support/api-fixture.js';
import { FINDING, FINDING_EXPLANATIONS, seedFindings } from './support/findings-fixture.js';
import { waitFor } from './support/harness.js';

let fx: ApiFixture;
const RANGE = 'from=2026-03-01&to=2026-03-11';

interface Answer {
  status: number;
  body: string;
  json: () => any;
  headers: Headers;
}
async function get(who: KeyName | undefined, path: string): Promise<Answer> {
  const r = await fetch(`${fx.base}${path}`, { headers: who ? { authorization: `Bearer ${fx.keys[who]}` } : {} });
  const body = await r.text();
  return { status: r.status, body, json: () => JSON.parse(body), headers: r.headers };
}
const csvLines = (body: string) => body.trim().split('\r\n');
/** The audit route takes at most two years: until tomorrow. */
const auditUntil = () => new Date(Date.now() + 86_400_000).toISOString();

/** One valid request per route, on platform pA (or a finding of pA). */
const ROUTES = {
  periods: `/v1/inspect/periods?platformId=pA&${RANGE}`,
  'periods.csv': `/v1/inspect/periods.csv?platformId=pA&${RANGE}`,
  finding: `/v1/findings/${FINDING.F1}`,
  evidence: `/v1/findings/${FINDING.F2}/evidence`,
  'evidence.csv': `/v1/findings/${FINDING.F2}/evidence.csv`,
  ranking: `/v1/ranking?${RANGE}`,
  'ranking.csv': `/v1/ranking.csv?${RANGE}`,
  report: `/v1/inspect/report?platformId=pA&${RANGE}`,
} as const;
/** pA routes: ownerB is told 404 (never 403: it must not learn that pA's data exist). */
const EXPECTED: Record<Exclude<KeyName, 'revoked'>, number> = {
  admin: 200,
  inspector: 200,
  ownerA: 200,
  ownerB: 404,
  ops: 403,
};

beforeAll(async () => {
  fx = await startApiFixture('api_findings');
  await seedFindings(fx.store);
  await revokeKey(fx.store, fx.keyIds.revoked);
  await waitFor('api /readyz', async () => (await get(undefined, '/readyz')).status === 200);
});
afterAll(async () => {
  await fx?.stop();
});

describe('roles', () => {
  it('each route answers each role: inspectors, admins and the owner of pA; not ops; not the owner of pB', async () => {
    for (const [name, path] of Object.entries(ROUTES)) {
      for (const [who, status] of Object.entries(EXPECTED) as [KeyName, number][]) {
        const expected = name.startsWith('ranking') && who === 'ownerB' ? 200 : status; // ranking: own rows only
        const r = await get(who, path);
        expect(r.status, `${name} as ${who}: ${r.body.slice(0, 200)}`).toBe(expected);
        if (expected === 403) expect(r.json().error).toMatch(/^role ops may not use GET/);
        if (expected === 404) expect(r.json().error).toMatch(/among the platforms this key may see/);
      }
      for (const key of [undefined, 'revoked'] as const) expect((await get(key, path)).status, name).toBe(401);
    }
  });
});

describe('suspicious periods', () => {
  it('merges the overlapping findings of pA into one period, keeps the later one apart, hides dismissed and withdrawn', async () => {
    const a = (await get('inspector', ROUTES.periods)).json();
    expect(a.periods.map((p: any) => [p.start, p.end, p.severity, p.findings.length])).toEqual([
      ['2026-03-01', '2026-03-07', 'critical', 3], // F1 03-01..07, F3 03-02..06, F2 03-03..06
      ['2026-03-09', '2026-03-10', 'warning', 1], // F5
    ]);
    expect(a.findings).toBe(4);
    expect(a.truncated).toBe(false);
    const first = a.periods[0];
    expect(first.detectors).toEqual(['backfill', 'burst-before-evaluation', 'deadline-crunch']);
    expect(first.findings.map((f: any) => f.fingerprint)).toEqual([FINDING.F1, FINDING.F3, FINDING.F2]);
    const f1 = first.findings[0];
    expect(f1).toMatchObject({
      state: 'open',
      severity: 'critical',
      detector: 'burst-before-evaluation',
      test: { 'zh-CN': '评估前激增（率比检验）', en: 'Burst before an evaluation (rate-ratio test)' },
      scope: { kind: 'org', platformId: 'pA', orgId: 'o1', actorId: null },
      statistics: { rateRatio: 3.4, observedPre: 16 },
      pValue: 0.0004,
      qValue: 0.0012,
      explanation: FINDING_EXPLANATIONS[FINDING.F1],
      evidence: { evaluationDay: '2026-03-08' },
      corroboratedBy: ['backfill'],
    });
    expect(a.target).toEqual({ platformId: 'pA', orgId: null });
  });

  it('an org alone, a range that misses, and a state filter', async () => {
    const o2 = (await get('inspector', `/v1/inspect/periods?orgId=o2&${RANGE}`)).json();
    expect(o2.periods.flatMap((p: any) => p.findings.map((f: any) => f.fingerprint))).toEqual([FINDING.F3]);
    // Findings whose period ends before the range are not in it; one that starts on its last day is.
    const late = (await get('inspector', '/v1/inspect/periods?platformId=pA&from=2026-03-08&to=2026-03-10')).json();
    expect(late.periods.map((p: any) => [p.start, p.end])).toEqual([['2026-03-09', '2026-03-10']]);
    const dismissed = (await get('inspector', `/v1/inspect/periods?platformId=pA&${RANGE}&state=dismissed`)).json();
    expect(dismissed.periods.flatMap((p: any) => p.findings.map((f: any) => f.fingerprint))).toEqual([FINDING.F6]);
  });

  it('exports one CSV line per finding with its period, numbers and both explanations', async () => {
    const r = await get('inspector', ROUTES['periods.csv']);
    expect(r.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(r.headers.get('content-disposition')).toContain('periods_pA_all_2026-03-01_2026-03-11.csv');
    const lines = csvLines(r.body);
    expect(lines[0]).toBe(
      'period_start,period_end,fingerprint,state,severity,detector,rule,platform_id,org_id,actor_id,finding_start,finding_end,p_value,q_value,score,statistics,explanation_zh,explanation_en',
    );
    expect(lines).toHaveLength(5);
    expect(lines[1]).toContain(`2026-03-01,2026-03-07,${FINDING.F1},open,critical,burst-before-evaluation`);
    expect(lines[1]).toContain('rateRatio=3.4 observedPre=16');
    expect(lines[1]).toContain('率比 3.4');
    expect(lines[4]).toMatch(/^2026-03-09,2026-03-10,/);
  });
});

describe('evidence', () => {
  it('backfilling: the records of o1 recorded in the period more than 24 h late, by day and by actor', async () => {
    const a = (await get('inspector', ROUTES.evidence)).json();
    expect(a.finding.fingerprint).toBe(FINDING.F2);
    expect(a.selection.timeBasis).toBe('recorded');
    expect(a.selection.description.en).toContain('more than 24 h after');
    expect(a.total).toBe(1);
    expect(a.days).toEqual([{ day: '2026-03-06', events: 1, backfilled: 1 }]);
    expect(a.actors).toEqual([
      expect.objectContaining({ actorId: 's1', actorRole: 'staff', events: 1, firstAt: '2026-03-06T03:00:00.000Z' }),
    ]);
    expect(a.records).toEqual([
      expect.objectContaining({
        eventId: 'case-s1-3',
        occurredAt: '2026-03-03T03:00:00.000Z',
        recordedAt: '2026-03-06T03:00:00.000Z',
        lagHours: 72,
        orgId: 'o1',
        actorId: 's1',
        action: 'case.close',
      }),
    ]);
    expect(a.page).toEqual({ limit: 100, offset: 0, returned: 1, more: false });
  });

  it('deadline crunch: the task completions of o2 in the period, paged', async () => {
    const path = `/v1/findings/${FINDING.F3}/evidence`;
    const all = (await get('inspector', path)).json();
    expect(all.total).toBe(3);
    expect(all.records.map((r: any) => r.eventId)).toEqual(['task-t1', 'task-t2', 'task-t3']);
    expect(all.records[1]).toMatchObject({ taskId: 't2', deadline: '2026-03-04T10:00:00.000Z' });
    const page1 = (await get('inspector', `${path}?limit=2`)).json();
    expect(page1.records.map((r: any) => r.eventId)).toEqual(['task-t1', 'task-t2']);
    expect(page1.page).toEqual({ limit: 2, offset: 0, returned: 2, more: true });
    const page2 = (await get('inspector', `${path}?limit=2&offset=2`)).json();
    expect(page2.records.map((r: any) => r.eventId)).toEqual(['task-t3']);
    expect(page2.page.more).toBe(false);
    // The replayed event view-u1-1 counts once among the records of F1 (o1, 03-01..03-07).
    const f1 = (await get('inspector', `/v1/findings/${FINDING.F1}/evidence?limit=1000`)).json();
    const ids = f1.records.map((r: any) => r.eventId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(f1.total).toBe(ids.length);
    expect(f1.total).toBe(15); // o1's claimed traces 03-01..03-07 (pA's less o2's tasks on 03-02, 03-04, 03-06)
    expect(f1.days.map((d: any) => d.events)).toEqual([4, 2, 2, 2, 2, 2, 1]);
  });

  it('exports a page of records as CSV', async () => {
    const r = await get('inspector', `/v1/findings/${FINDING.F3}/evidence.csv?limit=2&offset=1`);
    expect(r.headers.get('content-type')).toMatch(/^text\/csv/);
    const lines = csvLines(r.body);
    expect(lines[0]).toBe(
      'event_id,occurred_at,recorded_at,lag_hours,org_id,actor_id,actor_role,action,task_id,deadline,value,duration_ms,content_hash,session_hash',
    );
    expect(lines.slice(1).map((l) => l.split(',')[0])).toEqual(['task-t2', 'task-t3']);
  });
});

describe('ranking', () => {
  it('units by confirmed, then open, then critical findings, with their indicators and overdue notices (none in this fixture)', async () => {
    const a = (await get('inspector', ROUTES.ranking)).json();
    expect(a.level).toBe('org');
    expect(a.overdueNoticesConnected).toBe(true); // wired to packages/notices in services/api
    expect(a.rows.map((r: any) => [r.rank, r.platformId, r.orgId, r.confirmed, r.open, r.critical])).toEqual([
      [1, 'pA', 'o1', 1, 2, 1], // F2 confirmed; F1, F5 open (F6 dismissed, F7 withdrawn not counted)
      [2, 'pB', 'o3', 0, 1, 1],
      [3, 'pA', 'o2', 0, 1, 0], // F3 acknowledged counts as open
    ]);
    const o1 = a.rows[0];
    expect(o1.detectors).toEqual(['backfill', 'burst-before-evaluation', 'under-dispersion']);
    expect(o1.overdueNotices).toBe(0);
    // o1: 18 traces in the range, 14 by the public, 4 by staff; 1 backfilled of 18 recorded;
    // pre-windows of ev-a (03-01..03-07) and ev-all (03-03..03-09) cover 03-01..03-09: 17 traces, 9 of 10 days.
    expect(o1.indicators.events).toBe(18);
    expect(o1.indicators.publicShare).toBeCloseTo(14 / 18, 10);
    expect(o1.indicators.staffShare).toBeCloseTo(4 / 18, 10);
    expect(o1.indicators.backfilledShare).toBeCloseTo(1 / 18, 10);
    expect(o1.indicators.preWindowShare).toBeCloseTo(17 / 18, 10);
    expect(o1.indicators.preWindowTimeShare).toBeCloseTo(0.9, 10);
    // pB/o3: 5 staff forms on 03-03, inside ev-b's and ev-all's pre-windows.
    expect(a.rows[1].indicators).toMatchObject({ events: 5, publicShare: 0, staffShare: 1, preWindowShare: 1 });
  });

  it('platforms; owners see only their own rows; CSV', async () => {
    const p = (await get('inspector', `/v1/ranking?${RANGE}&level=platform`)).json();
    expect(p.rows.map((r: any) => [r.platformId, r.orgId, r.confirmed, r.open, r.critical])).toEqual([
      ['pA', null, 1, 3, 1],
      ['pB', null, 0, 1, 1],
    ]);
    expect(p.rows[0].indicators.events).toBe(21);
    for (const [who, platform] of [
      ['ownerA', 'pA'],
      ['ownerB', 'pB'],
    ] as const) {
      for (const level of ['org', 'platform']) {
        const rows = (await get(who, `/v1/ranking?${RANGE}&level=${level}`)).json().rows;
        expect(rows.length, `${who} ${level}`).toBeGreaterThan(0);
        expect(rows.every((r: any) => r.platformId === platform)).toBe(true);
      }
      const csv = csvLines((await get(who, `/v1/ranking.csv?${RANGE}`)).body);
      expect(csv.slice(1).every((l) => l.split(',')[1] === platform)).toBe(true);
    }
    const csv = csvLines((await get('inspector', `/v1/ranking.csv?${RANGE}`)).body);
    expect(csv[0]).toBe(
      'rank,platform_id,org_id,confirmed,open,critical,detectors,overdue_notices,events,public_share,staff_share,backfilled_share,pre_window_share,pre_window_time_share',
    );
    expect(csv[1]).toMatch(/^1,pA,o1,1,2,1,backfill burst-before-evaluation under-dispersion,0,18,/);
  });
});

describe('report', () => {
  it('series, evaluations, periods, extent, totals, who asked and the audit entry', async () => {
    const r = await get('inspector', ROUTES.report);
    const a = r.json();
    expect(a.days).toHaveLength(10);
    expect(a.totals).toEqual({ claimed: 21, recorded: 21, backfilled: 1 });
    expect(a.extent).toEqual({ firstDay: '2026-03-01', lastDay: '2026-03-10' });
    expect(a.evaluations.map((e: any) => e.id)).toEqual(['ev-a', 'ev-all']);
    expect(a.periods).toHaveLength(2);
    expect(a.requestedBy).toEqual({ keyId: fx.keyIds.inspector, name: 'test-inspector', role: 'inspector' });
    expect(Date.parse(a.queriedAt)).toBeGreaterThan(Date.now() - 600_000);
    expect(a.queryMs).toBeGreaterThan(0);
    const audit = (
      await get(
        'admin',
        `/v1/audit?from=${new Date(Date.now() - 600_000).toISOString()}&to=${auditUntil()}&keyId=${fx.keyIds.inspector}&limit=1000`,
      )
    ).json();
    expect(audit.entries.find((e: any) => e.requestId === a.auditRequestId)).toMatchObject({
      route: '/v1/inspect/report',
      status: 200,
      rowsReturned: 10 + 2 + 4,
    });
  });
});

describe('owners', () => {
  it('never see another platform’s periods, findings, evidence or report, by any filter', async () => {
    // pB's finding by fingerprint: the answer an unknown fingerprint gets.
    for (const suffix of ['', '/evidence', '/evidence.csv']) {
      const theirs = await get('ownerA', `/v1/findings/${FINDING.F4}${suffix}`);
      const unknown = await get('ownerA', `/v1/findings/${'0'.repeat(32)}${suffix}`);
      expect(theirs.status).toBe(404);
      expect(theirs.json().error.replace(FINDING.F4, 'X')).toBe(unknown.json().error.replace('0'.repeat(32), 'X'));
      expect(theirs.body).not.toContain('o3');
    }
    // Naming pB: 404. Naming only pB's org (no platform): nothing of it.
    for (const path of ['periods', 'periods.csv', 'report'])
      expect((await get('ownerA', `/v1/inspect/${path}?platformId=pB&${RANGE}`)).status).toBe(404);
    const byOrg = (await get('ownerA', `/v1/inspect/periods?orgId=o3&${RANGE}`)).json();
    expect(byOrg.periods).toEqual([]);
    const csv = csvLines((await get('ownerA', `/v1/inspect/periods.csv?orgId=o3&${RANGE}`)).body);
    expect(csv).toHaveLength(1);
    const report = (await get('ownerA', `/v1/inspect/report?orgId=o3&${RANGE}`)).json();
    expect(report.periods).toEqual([]);
    expect(report.totals.claimed).toBe(0);
    expect(JSON.stringify(report)).not.toContain('pB inspection');
    // Their own: seen.
    const own = (await get('ownerB', `/v1/inspect/periods?platformId=pB&${RANGE}`)).json();
    expect(own.periods.flatMap((p: any) => p.findings.map((f: any) => f.fingerprint))).toEqual([FINDING.F4]);
    expect((await get('ownerB', `/v1/findings/${FINDING.F4}/evidence`)).json().total).toBe(5);
  });
});

describe('hostile input', () => {
  const cases: Array<[string, RegExp]> = [
    [`/v1/findings/${encodeURIComponent("' OR 1=1 --")}`, /params\.fingerprint: a fingerprint is 32 lower-case hex/],
    [`/v1/findings/${'A'.repeat(32)}/evidence`, /params\.fingerprint/],
    [`/v1/findings/${FINDING.F2}/evidence?limit=100000`, /querystring\.limit/],
    [`/v1/findings/${FINDING.F2}/evidence?offset=-1`, /querystring\.offset/],
    [`/v1/findings/${FINDING.F2}/evidence?limit=1e400`, /querystring\.limit/],
    [`/v1/findings/${FINDING.F2}/evidence?sql=1`, /querystring.*sql/],
    [
      `/v1/inspect/periods?platformId=${encodeURIComponent("pA' OR '1'='1")}&${RANGE}`,
      /querystring\.platformId: ids may contain/,
    ],
    ['/v1/inspect/periods?platformId=pA&from=2026-03-11&to=2026-03-01', /querystring\.to: to must be after from/],
    ['/v1/inspect/periods?platformId=pA&from=2020-01-01&to=2026-01-01', /at most 731 days/],
    ['/v1/inspect/periods?platformId=pA&from=2026-02-30&to=2026-03-01', /querystring\.from/],
    [`/v1/inspect/periods?${RANGE}`, /give a platformId, an orgId or both/],
    [`/v1/inspect/periods?platformId=pA&${RANGE}&state=deleted`, /querystring\.state/],
    [`/v1/inspect/periods?platformId=pA&${RANGE}&drop=table`, /querystring.*drop/],
    [`/v1/ranking?${RANGE}&level=${encodeURIComponent('org; DROP TABLE alerts')}`, /querystring\.level/],
    [`/v1/ranking?${RANGE}&limit=101`, /querystring\.limit/],
    [`/v1/ranking.csv?from=2026-03-01`, /querystring\.to/],
    [`/v1/inspect/report?platformId=pA&${RANGE}&tz=${encodeURIComponent("Asia/Shanghai'")}`, /querystring\.tz/],
  ];
  it('is refused with 400 naming what was wrong; nothing is executed or changed', async () => {
    for (const [path, reason] of cases) {
      const r = await get('inspector', path);
      expect(r.status, `${path}: ${r.body}`).toBe(400);
      expect(r.json().error, path).toMatch(reason);
    }
    // The alerts and events are all still there.
    expect((await get('inspector', ROUTES.periods)).json().findings).toBe(4);
    expect((await get('inspector', `/v1/findings/${FINDING.F1}/evidence`)).json().total).toBe(15);
  });
});

describe('audit', () => {
  it('records every inspector query of these routes: route, parameters, rows returned', async () => {
    const since = new Date(Math.floor(Date.now() / 1000) * 1000).toISOString();
    await new Promise((r) => setTimeout(r, 1100)); // the log keeps whole seconds: start on a fresh one
    const asked = new Map<string, number>();
    for (const [name, path] of Object.entries(ROUTES)) {
      const r = await get('inspector', `${path}${path.includes('?') ? '&' : '?'}`);
      expect(r.status, name).toBe(200);
      asked.set(name, r.status);
    }
    const audit = (
      await get('admin', `/v1/audit?from=${since}&to=${auditUntil()}&keyId=${fx.keyIds.inspector}&limit=1000`)
    ).json();
    const routes = audit.entries.map((e: any) => e.route);
    for (const route of [
      '/v1/inspect/periods',
      '/v1/inspect/periods.csv',
      '/v1/findings/:fingerprint',
      '/v1/findings/:fingerprint/evidence',
      '/v1/findings/:fingerprint/evidence.csv',
      '/v1/ranking',
      '/v1/ranking.csv',
      '/v1/inspect/report',
    ])
      expect(routes, route).toContain(route);
    const evidence = audit.entries.find((e: any) => e.route === '/v1/findings/:fingerprint/evidence');
    expect(JSON.parse(evidence.parameters).params).toEqual({ fingerprint: FINDING.F2 });
    expect(evidence.rowsReturned).toBe(3); // 1 record, 1 day, 1 actor
    expect(audit.entries.find((e: any) => e.route === '/v1/inspect/periods').rowsReturned).toBe(4);
    expect(audit.entries.every((e: any) => e.role === 'inspector' && e.keyName === 'test-inspector')).toBe(true);
  });
});

describe('OpenAPI', () => {
  it('is valid, declares the CSV answers as text/csv (errors as JSON), and a request built from it succeeds', async () => {
    const doc = (await get(undefined, '/docs/json')).json();
    await SwaggerParser.validate(structuredClone(doc));
    for (const path of ['/v1/inspect/periods.csv', '/v1/findings/{fingerprint}/evidence.csv', '/v1/ranking.csv']) {
      const op = doc.paths[path].get;
      expect(Object.keys(op.responses['200'].content), path).toEqual(['text/csv']);
      expect(Object.keys(op.responses['400'].content), path).toEqual(['application/json']);
    }
    // Build the evidence request from the document: its path parameter and every query parameter with an example value.
    const op = doc.paths['/v1/findings/{fingerprint}/evidence'].get;
    const params = op.parameters as Array<{ name: string; in: string; required?: boolean; schema: any }>;
    expect(params.filter((p) => p.in === 'path').map((p) => p.name)).toEqual(['fingerprint']);
    const query = new URLSearchParams();
    for (const p of params.filter((x) => x.in === 'query'))
      query.set(p.name, String(p.schema.default ?? p.schema.minimum));
    const r = await get('inspector', `/v1/findings/${FINDING.F3}/evidence?${query}`);
    expect(r.status, r.body).toBe(200);
    const periods = doc.paths['/v1/inspect/periods'].get.parameters.map((p: any) => p.name).sort();
    expect(periods).toEqual(['from', 'orgId', 'platformId', 'state', 'to', 'tz']);
    const ranking = doc.paths['/v1/ranking'].get.parameters.find((p: any) => p.name === 'level');
    expect(ranking.schema.enum).toEqual(['org', 'platform']);
  });
});

describe('overdue notices in the ranking', () => {
  it('are counted once per notice for each platform and unit it names, in the caller’s scope', async () => {
    const notices = [
      // One notice on two units of pA; one on o1 twice (two items); one on pB.
      {
        id: 'n1',
        units: [
          { platformId: 'pA', orgId: 'o1' },
          { platformId: 'pA', orgId: 'o2' },
        ],
      },
      {
        id: 'n2',
        units: [
          { platformId: 'pA', orgId: 'o1' },
          { platformId: 'pA', orgId: 'o1' },
        ],
      },
      { id: 'n3', units: [{ platformId: 'pB', orgId: 'o3' }] },
    ];
    const asked: unknown[] = [];
    const overdueNotices = async (asOf: Date, scope: unknown) => {
      asked.push([asOf.toISOString(), scope]);
      return notices;
    };
    const range = { from: '2026-03-01', to: '2026-03-11', tz: 'Asia/Shanghai' };
    const now = new Date('2026-03-11T00:00:00Z');
    const units = await ranking(fx.store, { kind: 'all' }, 'org', range, { overdueNotices, now });
    expect(units.overdueNoticesConnected).toBe(true);
    expect(units.rows.map((r) => [r.platformId, r.orgId, r.overdueNotices])).toEqual([
      ['pA', 'o1', 2],
      ['pB', 'o3', 1],
      ['pA', 'o2', 1],
    ]);
    const platforms = await ranking(fx.store, { kind: 'all' }, 'platform', range, { overdueNotices, now });
    expect(platforms.rows.map((r) => [r.platformId, r.overdueNotices])).toEqual([
      ['pA', 2],
      ['pB', 1],
    ]);
    // The counter is asked with the caller's scope (notices filters by it).
    const owner = { kind: 'platforms', platformIds: ['pA'] } as const;
    await ranking(fx.store, owner, 'org', range, { overdueNotices, now });
    expect(asked.at(-1)).toEqual([now.toISOString(), owner]);
  });
});
