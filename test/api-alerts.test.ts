/**
 * The api's alerts on the real stack (Kafka, ClickHouse, the alert keeper in process): every
 * route for each role, owners kept to their platforms by every route, filter and the live
 * stream, the lifecycle through the keeper (conflicts as 409), hostile input, silences, the SSE
 * stream (a change made through the api arrives; resume with Last-Event-ID; heartbeats; clean
 * shutdown), and the OpenAPI document. Measured figures are printed, never asserted.
 */
import SwaggerParser from '@apidevtools/swagger-parser';
import { type AlertKeeper, getAlert, sendAlertCommands } from '@tracewatch/alerts';
import { withAdmin } from '@tracewatch/bus';
import type { FindingV1 } from '@tracewatch/schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { finding, findingCommand, fingerprintN } from '../packages/alerts/src/testing/fixtures.js';
import { type AlertScope, alertScope, keeperInProcess } from './support/alerts.js';
import { type ApiFixture, type KeyName, startApiFixture } from './support/api-fixture.js';
import { waitFor } from './support/harness.js';

let s: AlertScope;
let keeper: AlertKeeper;
let fx: ApiFixture;

const DAY1 = '2026-03-15T00:00:00.000Z';

/** Alerts of the test, by name: pA's (orgs o1, o2) and pB's (org o3). */
const FP = {
  a1: fingerprintN(0xa1),
  a2: fingerprintN(0xa2),
  a3: fingerprintN(0xa3),
  a4: fingerprintN(0xa4),
  a5: fingerprintN(0xa5),
  race: fingerprintN(0xa6),
  stream: fingerprintN(0xa7),
  b1: fingerprintN(0xb1),
  b2: fingerprintN(0xb2),
} as const;

const SEEDED: FindingV1[] = [
  finding({ fingerprint: FP.a1, scope: { kind: 'org', platformId: 'pA', orgId: 'o1' } }),
  finding({
    fingerprint: FP.a2,
    detector: 'backfill',
    rule: 'backfilled-share',
    severity: 'critical',
    scope: { kind: 'org', platformId: 'pA', orgId: 'o2' },
    period: { start: '2026-02-01', end: '2026-02-20' },
  }),
  finding({ fingerprint: FP.a3, scope: { kind: 'org', platformId: 'pA', orgId: 'o1' }, rule: 'r3' }),
  finding({ fingerprint: FP.a4, scope: { kind: 'org', platformId: 'pA', orgId: 'o1' }, rule: 'r4' }),
  finding({ fingerprint: FP.a5, scope: { kind: 'org', platformId: 'pA', orgId: 'o2' }, rule: 'r5' }),
  finding({ fingerprint: FP.race, scope: { kind: 'org', platformId: 'pA', orgId: 'o1' }, rule: 'race' }),
  finding({ fingerprint: FP.stream, scope: { kind: 'org', platformId: 'pA', orgId: 'o1' }, rule: 'stream' }),
  finding({
    fingerprint: FP.b1,
    detector: 'under-dispersion',
    rule: 'dispersion',
    scope: { kind: 'org', platformId: 'pB', orgId: 'o3' },
  }),
  finding({ fingerprint: FP.b2, scope: { kind: 'org', platformId: 'pB', orgId: 'o3' }, rule: 'b2' }),
];

interface Answer {
  status: number;
  body: string;
  json: () => any;
}

async function call(key: string | undefined, method: string, path: string, body?: unknown, raw?: string) {
  const headers: Record<string, string> = {};
  if (key) headers.authorization = `Bearer ${key}`;
  if (body !== undefined || raw !== undefined) headers['content-type'] = 'application/json';
  const r = await fetch(`${fx.base}${path}`, {
    method,
    headers,
    body: raw ?? (body === undefined ? undefined : JSON.stringify(body)),
  });
  const text = await r.text();
  return { status: r.status, body: text, json: () => JSON.parse(text) } as Answer;
}
const get = (who: KeyName, path: string) => call(fx.keys[who], 'GET', path);
const post = (who: KeyName, path: string, body: unknown = {}) => call(fx.keys[who], 'POST', path, body);

interface SseEvent {
  event: string;
  id?: string;
  data: any;
  atMs: number;
}

/** A live stream read with fetch (as the console does), its events parsed as they come. */
interface Stream {
  status: number;
  contentType: string;
  events: SseEvent[];
  comments: string[];
  /** Resolves when the server ended the stream. */
  ended: Promise<void>;
  next(predicate: (e: SseEvent) => boolean, what: string): Promise<SseEvent>;
  close(): void;
}

async function openStream(
  key: string,
  query = '',
  lastEventId?: string,
  base = fx.base,
): Promise<Stream & { body: string }> {
  const abort = new AbortController();
  const headers: Record<string, string> = { authorization: `Bearer ${key}` };
  if (lastEventId !== undefined) headers['last-event-id'] = lastEventId;
  const r = await fetch(`${base}/v1/alerts/stream${query}`, { headers, signal: abort.signal });
  const events: SseEvent[] = [];
  const comments: string[] = [];
  const contentType = r.headers.get('content-type') ?? '';
  if (!contentType.startsWith('text/event-stream')) {
    const body = await r.text();
    return {
      status: r.status,
      contentType,
      body,
      events,
      comments,
      ended: Promise.resolve(),
      next: () => Promise.reject(new Error(`not a stream: ${r.status} ${body}`)),
      close: () => undefined,
    };
  }
  const reader = r.body!.getReader();
  const decoder = new TextDecoder();
  const ended = (async () => {
    let buffer = '';
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        buffer += decoder.decode(value, { stream: true });
        let cut = buffer.indexOf('\n\n');
        while (cut >= 0) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          const e: Partial<SseEvent> = { event: 'message' };
          const data: string[] = [];
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) comments.push(line.slice(1).trim());
            else if (line.startsWith('event: ')) e.event = line.slice(7);
            else if (line.startsWith('id: ')) e.id = line.slice(4);
            else if (line.startsWith('data: ')) data.push(line.slice(6));
          }
          if (data.length > 0) events.push({ ...(e as SseEvent), data: JSON.parse(data.join('\n')), atMs: Date.now() });
          cut = buffer.indexOf('\n\n');
        }
      }
    } catch {
      // aborted by close()
    }
  })();
  return {
    status: r.status,
    contentType,
    body: '',
    events,
    comments,
    ended,
    async next(predicate, what) {
      let found: SseEvent | undefined;
      await waitFor(`stream event: ${what}`, async () => {
        found = events.find(predicate);
        return found !== undefined;
      });
      return found!;
    },
    close: () => abort.abort(),
  };
}

const alertEvent = (fp: string, version: number) => (e: SseEvent) =>
  e.event === 'alert' && e.data.fingerprint === fp && e.data.version === version;

beforeAll(async () => {
  s = await alertScope('api_alerts');
  keeper = await keeperInProcess(s, { silenceRefreshMs: 500 });
  fx = await startApiFixture(
    'api_alerts',
    { API_ALERT_COMMAND_TIMEOUT_MS: '90000', API_STREAM_HEARTBEAT_MS: '1000', API_STREAM_REPLAY: '100' },
    s.scope,
  );
  await waitFor('api /readyz', async () => (await call(undefined, 'GET', '/readyz')).status === 200, 90_000);
  await sendAlertCommands(
    s.producer,
    s.scope.topicPrefix,
    SEEDED.map((f) => findingCommand(f, DAY1)),
  );
  await waitFor('the seeded alerts stored', async () => {
    for (const f of SEEDED) if (!(await getAlert(s.store, f.fingerprint))) return false;
    return true;
  });
});

afterAll(async () => {
  await fx?.stop();
  await keeper?.stop();
  await s?.close();
});

const READS = [
  { name: 'list', path: () => '/v1/alerts' },
  { name: 'one', path: () => `/v1/alerts/${FP.a1}` },
  { name: 'silences', path: () => '/v1/silences' },
] as const;

describe('roles', () => {
  it('reads: every role lists alerts and one of its platform; silences are for ops, inspectors and admins', async () => {
    const expected: Record<(typeof READS)[number]['name'], Record<Exclude<KeyName, 'revoked'>, number>> = {
      list: { admin: 200, inspector: 200, ops: 200, ownerA: 200, ownerB: 200 },
      one: { admin: 200, inspector: 200, ops: 200, ownerA: 200, ownerB: 404 },
      silences: { admin: 200, inspector: 200, ops: 200, ownerA: 403, ownerB: 403 },
    };
    for (const route of READS)
      for (const [who, status] of Object.entries(expected[route.name]) as [KeyName, number][]) {
        const r = await get(who, route.path());
        expect(r.status, `${route.name} as ${who}: ${r.body.slice(0, 200)}`).toBe(status);
        if (status === 403) expect(r.json().error).toMatch(/^role \w+ may not use/);
      }
    for (const who of ['admin', 'inspector', 'ops', 'ownerA', 'ownerB'] as const) {
      const stream = await openStream(fx.keys[who]);
      expect(stream.status, who).toBe(200);
      expect(stream.contentType).toBe('text/event-stream; charset=utf-8');
      await stream.next((e) => e.event === 'ready', `${who} ready`);
      stream.close();
    }
  });

  it('writes: inspectors and owners may not act on alerts or silences, on any platform', async () => {
    const writes = [
      ...['acknowledge', 'resolve', 'dismiss', 'confirm', 'reopen'].flatMap((v) => [
        `/v1/alerts/${FP.a1}/${v}`,
        `/v1/alerts/${FP.b1}/${v}`,
      ]),
      '/v1/silences',
      '/v1/silences/sil-x/expire',
    ];
    for (const who of ['inspector', 'ownerA', 'ownerB'] as const)
      for (const path of writes) {
        const r = await post(who, path, { note: 'x' });
        expect(r.status, `${who} ${path}`).toBe(403);
        expect(r.json().error).toMatch(/^role (inspector|owner) may not use POST/);
      }
    expect((await getAlert(s.store, FP.a1))?.version).toBe(1);
    const missing = await call(undefined, 'POST', `/v1/alerts/${FP.a1}/acknowledge`, {});
    expect(missing.status).toBe(401);
  });
});

describe('list and filters', () => {
  it('filters by state, severity, detector, platform, org and period; pages with a total', async () => {
    const fps = async (q: string) => {
      const r = await get('inspector', `/v1/alerts?${q}`);
      expect(r.status, `${q}: ${r.body}`).toBe(200);
      return (r.json().alerts as Array<{ fingerprint: string }>).map((a) => a.fingerprint).sort();
    };
    expect(await fps('detector=backfill')).toEqual([FP.a2]);
    expect(await fps('severity=critical')).toEqual([FP.a2]);
    expect(await fps('platformId=pB')).toEqual([FP.b1, FP.b2].sort());
    expect(await fps('platformId=pA&orgId=o2')).toEqual([FP.a2, FP.a5].sort());
    expect(await fps('detector=under-dispersion&platformId=pB')).toEqual([FP.b1]);
    // a2's period is February; the others' 03-01..03-14 ('to' is exclusive).
    expect(await fps('from=2026-02-01&to=2026-02-21')).toEqual([FP.a2]);
    expect(await fps('from=2026-02-21&to=2026-03-01')).toEqual([]);
    expect((await fps('from=2026-03-14&to=2026-03-15')).length).toBe(SEEDED.length - 1);
    const all = await get('inspector', '/v1/alerts?limit=500');
    expect(all.json().total).toBe(SEEDED.length);
    const page = (await get('inspector', '/v1/alerts?limit=2&offset=1')).json();
    expect(page).toMatchObject({ total: SEEDED.length, limit: 2, offset: 1 });
    expect(page.alerts.map((a: any) => a.fingerprint)).toEqual(
      all
        .json()
        .alerts.slice(1, 3)
        .map((a: any) => a.fingerprint),
    );
  });

  it('one alert with its history', async () => {
    const r = await get('ops', `/v1/alerts/${FP.a2}`);
    expect(r.status).toBe(200);
    const a = r.json();
    expect(a.alert).toMatchObject({ fingerprint: FP.a2, state: 'open', version: 1 });
    expect(a.alert.finding.detector).toBe('backfill');
    expect(a.history).toEqual([
      expect.objectContaining({ version: 1, kind: 'created', from: null, to: 'open', by: 'system:detector' }),
    ]);
    const unknown = await get('ops', `/v1/alerts/${fingerprintN(0xdead)}`);
    expect(unknown.status).toBe(404);
    expect(unknown.json().error).toContain(fingerprintN(0xdead));
  });
});

describe('lifecycle', () => {
  it('acknowledge, dismiss (reason required), reopen (reason required), confirm; refused moves are 409 naming the state', async () => {
    const ack = await post('ops', `/v1/alerts/${FP.a3}/acknowledge`, { note: 'looking' });
    expect(ack.status, ack.body).toBe(200);
    expect(ack.json().change).toMatchObject({ from: 'open', to: 'acknowledged', version: 2 });
    expect(ack.json().alert).toMatchObject({ state: 'acknowledged', version: 2, updatedBy: 'test-ops' });

    const again = await call(fx.keys.ops, 'POST', `/v1/alerts/${FP.a3}/acknowledge`); // no body at all
    expect(again.status).toBe(409);
    expect(again.json()).toMatchObject({ code: 'invalid-transition', currentVersion: 2 });
    expect(again.json().error).toContain('cannot become acknowledged');

    const noReason = await post('admin', `/v1/alerts/${FP.a3}/dismiss`, {});
    expect(noReason.status).toBe(400);
    expect(noReason.json().error).toContain('body.note');
    const noBody = await call(fx.keys.admin, 'POST', `/v1/alerts/${FP.a3}/dismiss`);
    expect(noBody.status).toBe(400);
    expect(noBody.json().error).toContain('body.note');
    const blank = await post('admin', `/v1/alerts/${FP.a3}/dismiss`, { note: '   ' });
    expect(blank.status).toBe(400);
    expect(blank.json().error).toContain('give the reason');

    const dismissed = await post('admin', `/v1/alerts/${FP.a3}/dismiss`, { note: '已核实：正常的年终集中办理' });
    expect(dismissed.status, dismissed.body).toBe(200);
    expect(dismissed.json().alert.state).toBe('dismissed');

    expect((await post('ops', `/v1/alerts/${FP.a3}/reopen`, {})).status).toBe(400);
    const reopened = await post('ops', `/v1/alerts/${FP.a3}/reopen`, { note: 'new evidence' });
    expect(reopened.status, reopened.body).toBe(200);
    const confirmed = await post('ops', `/v1/alerts/${FP.a3}/confirm`, { expectedVersion: 4 });
    expect(confirmed.status, confirmed.body).toBe(200);
    expect(confirmed.json().alert).toMatchObject({ state: 'confirmed', version: 5 });
    const resolve = await post('ops', `/v1/alerts/${FP.a3}/resolve`);
    expect(resolve.status).toBe(409);
    expect(resolve.json().code).toBe('invalid-transition');

    const history = (await get('inspector', `/v1/alerts/${FP.a3}`)).json().history;
    expect(history.map((h: any) => [h.version, h.from, h.to, h.by, h.note])).toEqual([
      [1, null, 'open', 'system:detector', ''],
      [2, 'open', 'acknowledged', 'test-ops', 'looking'],
      [3, 'acknowledged', 'dismissed', 'test-admin', '已核实：正常的年终集中办理'],
      [4, 'dismissed', 'open', 'test-ops', 'new evidence'],
      [5, 'open', 'confirmed', 'test-ops', ''],
    ]);
  });

  it('a stale expectedVersion is a 409 conflict naming the current version; nothing changes', async () => {
    expect((await post('ops', `/v1/alerts/${FP.a4}/acknowledge`)).status).toBe(200);
    const stale = await post('admin', `/v1/alerts/${FP.a4}/resolve`, { expectedVersion: 1 });
    expect(stale.status).toBe(409);
    expect(stale.json()).toMatchObject({ code: 'conflict', currentVersion: 2 });
    expect(stale.json().error).toMatch(
      /changed since version 1: it is at version 2, acknowledged, changed by test-ops/,
    );
    expect((await getAlert(s.store, FP.a4))?.state).toBe('acknowledged');
    const unknown = await post('ops', `/v1/alerts/${fingerprintN(0xdead)}/acknowledge`);
    expect(unknown.status).toBe(404);
  });

  it('two acknowledgements at once: the keeper accepts one, the other is a 409 conflict', async () => {
    // With the keeper stopped both requests read version 1 and send; then the keeper decides, in order.
    await keeper.stop();
    const commandsSent = async () =>
      (await withAdmin(s.kafka, (admin) => admin.fetchTopicOffsets(s.topics.commands))).reduce(
        (n, p) => n + Number(p.high),
        0,
      );
    const before = await commandsSent();
    const racing = [
      post('ops', `/v1/alerts/${FP.race}/acknowledge`, { note: 'mine' }),
      post('admin', `/v1/alerts/${FP.race}/acknowledge`, { note: 'no, mine' }),
    ];
    await waitFor('both commands on the topic', async () => (await commandsSent()) >= before + 2);
    keeper = await keeperInProcess(s, { silenceRefreshMs: 500 });
    const answers = await Promise.all(racing);
    expect(answers.map((a) => a.status).sort()).toEqual([200, 409]);
    const loser = answers.find((a) => a.status === 409)!;
    expect(loser.json()).toMatchObject({ code: 'conflict', currentVersion: 2 });
    expect(loser.json().error).toContain('changed since version 1');
    const stored = await getAlert(s.store, FP.race);
    expect(stored).toMatchObject({ state: 'acknowledged', version: 2 });
    const winner = answers.find((a) => a.status === 200)!;
    expect(winner.json().alert.updatedBy).toBe(stored!.updatedBy);
  });
});

describe('owners see only their own platforms', () => {
  it('by every route and filter: another platform’s alert is the same 404 as a missing one', async () => {
    const list = (await get('ownerA', '/v1/alerts?limit=500')).json();
    expect(list.alerts.every((a: any) => a.finding.scope.platformId === 'pA')).toBe(true);
    expect(list.total).toBe(SEEDED.filter((f) => f.scope.platformId === 'pA').length);
    for (const q of ['orgId=o3', 'detector=under-dispersion', 'state=open&orgId=o3']) {
      const r = (await get('ownerA', `/v1/alerts?${q}`)).json();
      expect(r, q).toMatchObject({ alerts: [], total: 0 });
    }
    for (const path of ['/v1/alerts?platformId=pB', '/v1/alerts/stream?platformId=pB']) {
      const existing = await get('ownerA', path);
      const missing = await get('ownerA', path.replace('pB', 'pZ'));
      expect(existing.status, path).toBe(404);
      expect(existing.body.replace('pB', 'pZ')).toBe(missing.body);
    }
    const other = await get('ownerA', `/v1/alerts/${FP.b1}`);
    const none = await get('ownerA', `/v1/alerts/${fingerprintN(0xb9)}`);
    expect(other.status).toBe(404);
    expect(other.body.replace(FP.b1, fingerprintN(0xb9))).toBe(none.body);
    expect(other.body).not.toMatch(/o3|under-dispersion/);
    expect((await get('ownerB', `/v1/alerts/${FP.b1}`)).status).toBe(200);
  });

  it('the stream: an owner gets the changes of their platforms only, whatever the filter', async () => {
    const ownerA = await openStream(fx.keys.ownerA);
    const ownerAByOrg = await openStream(fx.keys.ownerA, '?orgId=o3');
    const ownerB = await openStream(fx.keys.ownerB);
    const ops = await openStream(fx.keys.ops);
    for (const st of [ownerA, ownerAByOrg, ownerB, ops]) await st.next((e) => e.event === 'ready', 'ready');
    expect((await post('ops', `/v1/alerts/${FP.b2}/acknowledge`)).status).toBe(200);
    expect((await post('ops', `/v1/alerts/${FP.a5}/acknowledge`)).status).toBe(200);
    await ops.next(alertEvent(FP.a5, 2), 'ops sees a5');
    await ops.next(alertEvent(FP.b2, 2), 'ops sees b2');
    await ownerB.next(alertEvent(FP.b2, 2), 'ownerB sees b2');
    await ownerA.next(alertEvent(FP.a5, 2), 'ownerA sees a5');
    // Streams deliver in order per connection: a5 came after b2, so b2 would have come first.
    const seen = (st: Stream) => st.events.filter((e) => e.event === 'alert').map((e) => e.data.fingerprint);
    expect(seen(ownerA)).toEqual([FP.a5]);
    expect(seen(ownerB)).toEqual([FP.b2]);
    expect(seen(ownerAByOrg)).toEqual([]);
    for (const st of [ownerA, ownerAByOrg, ownerB, ops]) st.close();
  });
});

describe('the live stream', () => {
  it('delivers a change made through the api, with its id; heartbeats keep it open', async () => {
    const st = await openStream(fx.keys.ops, '?platformId=pA');
    await st.next((e) => e.event === 'ready', 'ready');
    const sentAt = Date.now();
    const r = await post('ops', `/v1/alerts/${FP.stream}/acknowledge`, { note: 'via api' });
    const answeredAt = Date.now();
    expect(r.status, r.body).toBe(200);
    const e = await st.next(alertEvent(FP.stream, 2), 'the acknowledgement');
    expect(e.id).toBe(r.json().change.changeId);
    expect(e.data).toMatchObject({ from: 'open', to: 'acknowledged', by: 'test-ops', note: 'via api' });
    expect(e.data.alert.state).toBe('acknowledged');
    console.log(
      `api-alerts: request → stream event ${e.atMs - sentAt} ms (the answer came after ${answeredAt - sentAt} ms)`,
    );
    await waitFor('a heartbeat', async () => st.comments.some((c) => c.startsWith('heartbeat')));
    st.close();
  });

  it('a state filter sees an alert leave the state; resume with Last-Event-ID replays what was missed; an unknown id says reset', async () => {
    const openOnly = await openStream(fx.keys.ops, '?state=open');
    await openOnly.next((e) => e.event === 'ready', 'ready');
    expect((await post('ops', `/v1/alerts/${FP.a1}/acknowledge`)).status).toBe(200);
    const left = await openOnly.next(alertEvent(FP.a1, 2), 'a1 leaves open');
    expect(left.data).toMatchObject({ from: 'open', to: 'acknowledged' });
    openOnly.close();
    // While nobody listens: two more changes.
    expect((await post('ops', `/v1/alerts/${FP.a1}/resolve`)).status).toBe(200);
    expect((await post('ops', `/v1/alerts/${FP.a1}/reopen`, { note: 'back' })).status).toBe(200);
    const resumed = await openStream(fx.keys.ops, '', left.id);
    const ready = await resumed.next((e) => e.event === 'ready', 'ready');
    expect(ready.data.replayed).toBeGreaterThanOrEqual(2);
    const replayed = resumed.events.filter((e) => e.event === 'alert' && e.data.fingerprint === FP.a1);
    expect(replayed.map((e) => e.data.to)).toEqual(['resolved', 'open']);
    resumed.close();
    const reset = await openStream(fx.keys.ops, '', 'chg-never-seen');
    await reset.next((e) => e.event === 'reset', 'reset');
    await reset.next((e) => e.event === 'ready', 'ready');
    reset.close();
  });

  it('fans one change out to many clients', async () => {
    const clients = await Promise.all(Array.from({ length: 40 }, () => openStream(fx.keys.inspector)));
    await Promise.all(clients.map((c) => c.next((e) => e.event === 'ready', 'ready')));
    const sentAt = Date.now();
    expect((await post('admin', `/v1/alerts/${FP.a2}/acknowledge`)).status).toBe(200);
    const got = await Promise.all(clients.map((c) => c.next(alertEvent(FP.a2, 2), 'a2 acknowledged')));
    const latencies = got.map((e) => e.atMs - sentAt).sort((a, b) => a - b);
    console.log(
      `api-alerts: one change to ${clients.length} streams: first ${latencies[0]} ms, last ${latencies.at(-1)} ms after the request`,
    );
    for (const c of clients) c.close();
    // Every stream opened is in the audit log, like any other answered request.
    const audit = await get(
      'admin',
      `/v1/audit?from=2026-01-01T00:00:00Z&to=${new Date(Date.now() + 86_400_000).toISOString()}&keyId=${fx.keyIds.inspector}&limit=1000`,
    );
    const streams = audit.json().entries.filter((e: any) => e.route === '/v1/alerts/stream' && e.status === 200);
    expect(streams.length).toBeGreaterThanOrEqual(clients.length);
  });

  it('ends every stream with a shutdown event when the server stops', async () => {
    const second = await startApiFixture('api_alerts_stop', {}, s.scope);
    let stopped = false;
    try {
      await waitFor('second api ready', async () => (await fetch(`${second.base}/readyz`)).status === 200, 90_000);
      const st = await openStream(second.keys.ops, '', undefined, second.base);
      await st.next((e) => e.event === 'ready', 'ready');
      await second.api.stop();
      stopped = true;
      await st.ended;
      expect(st.events.at(-1)?.event).toBe('shutdown');
    } finally {
      if (stopped) await second.store.close();
      else await second.stop();
    }
  });
});

describe('silences', () => {
  it('created by ops with creator, reason, expiry and matchers; listed; the keeper marks a matching alert; expired', async () => {
    const expiresAt = new Date(Date.now() + 3_600_000).toISOString();
    const created = await post('ops', '/v1/silences', {
      detector: 'deadline-crunch',
      platformId: 'pA',
      reason: "known campaign 'quoted' \\ back",
      expiresAt,
    });
    expect(created.status, created.body).toBe(201);
    const silence = created.json().silence;
    expect(silence).toMatchObject({ detector: 'deadline-crunch', platformId: 'pA', createdBy: 'test-ops', expiresAt });
    expect(silence.reason).toBe("known campaign 'quoted' \\ back");
    const listed = (await get('inspector', '/v1/silences')).json().silences;
    expect(listed.find((x: any) => x.id === silence.id)).toMatchObject({ active: true, expiredBy: null });

    const fp = fingerprintN(0xc1);
    await new Promise((r) => setTimeout(r, 1_500)); // the keeper reloads silences every 500 ms here
    await sendAlertCommands(s.producer, s.scope.topicPrefix, [
      findingCommand(
        finding({
          fingerprint: fp,
          detector: 'deadline-crunch',
          rule: 'crunch',
          scope: { kind: 'org', platformId: 'pA', orgId: 'o1' },
        }),
        DAY1,
      ),
    ]);
    await waitFor('the silenced alert', async () => (await getAlert(s.store, fp)) !== undefined);
    const shown = (await get('ops', `/v1/alerts/${fp}`)).json().alert;
    expect(shown.silencedBy).toEqual([silence.id]);

    const expired = await post('admin', `/v1/silences/${silence.id}/expire`);
    expect(expired.status, expired.body).toBe(200);
    expect(Date.parse(expired.json().silence.expiresAt)).toBeLessThanOrEqual(Date.now());
    expect((await get('ops', '/v1/silences')).json().silences.map((x: any) => x.id)).not.toContain(silence.id);
    const all = (await get('ops', '/v1/silences?includeExpired=true')).json().silences;
    expect(all.find((x: any) => x.id === silence.id)).toMatchObject({ active: false, expiredBy: 'test-admin' });
    expect((await post('ops', '/v1/silences/sil-none/expire')).status).toBe(404);
  });
});

describe('hostile input', () => {
  const SQLISH = ["x' OR 1=1 --", "pA'); DROP TABLE alerts; --", 'pA\\', '../../etc/passwd', 'a'.repeat(65)];

  it('every parameter is checked before any query: 4xx naming it', async () => {
    const cases: Array<[string, RegExp]> = [];
    for (const v of SQLISH.map(encodeURIComponent)) {
      for (const p of ['state', 'severity', 'detector', 'platformId', 'orgId', 'from', 'to'])
        cases.push([`/v1/alerts?${p}=${v}`, new RegExp(p)], [`/v1/alerts/stream?${p}=${v}`, new RegExp(p)]);
      cases.push([`/v1/alerts/${v}`, /fingerprint|no route/]);
      cases.push([`/v1/silences?includeExpired=${v}`, /includeExpired/]);
    }
    cases.push(
      [`/v1/alerts/${FP.a1.toUpperCase()}`, /fingerprint/],
      [`/v1/alerts/${FP.a1}0`, /fingerprint/],
      ['/v1/alerts?limit=0', /limit/],
      ['/v1/alerts?limit=501', /limit/],
      ['/v1/alerts?offset=-1', /offset/],
      ['/v1/alerts?limit=ten', /limit/],
      ['/v1/alerts?from=2026-03-10&to=2026-03-01', /to must be after from/],
      ['/v1/alerts?from=2020-01-01&to=2026-01-01', /at most 731 days/],
      ['/v1/alerts?from=2026-02-30', /from/],
      ['/v1/alerts?state=open&sort=severity', /Unrecognized key: "sort"/],
      ['/v1/alerts/stream?limit=5', /Unrecognized key: "limit"/],
      ['/v1/alerts?state=open&state=resolved', /state/],
    );
    for (const [path, reason] of cases) {
      const r = await get('admin', path);
      expect(r.status, `${path}: ${r.body}`).toBeGreaterThanOrEqual(400);
      expect(r.status, path).toBeLessThan(500);
      expect(r.json().error, path).toMatch(reason);
    }
    const badResume = await openStream(fx.keys.ops, '', "x' OR 1=1");
    expect(badResume.status).toBe(400);
    expect(badResume.body).toContain('last-event-id');
  });

  it('bodies: unknown fields, wrong types, oversized, not JSON, hostile silences → 4xx with the reason, nothing changed', async () => {
    const path = `/v1/alerts/${FP.b1}/acknowledge`;
    const cases: Array<[unknown, string | undefined, number, RegExp]> = [
      [{ note: 'x', by: 'someone else' }, undefined, 400, /Unrecognized key: "by"/],
      [{ expectedVersion: '1' }, undefined, 400, /body.expectedVersion/],
      [{ expectedVersion: 0 }, undefined, 400, /body.expectedVersion/],
      [{ note: 'x'.repeat(2001) }, undefined, 400, /body.note/],
      [undefined, JSON.stringify({ note: 'x'.repeat(100_000) }), 413, /request body larger than 16384 bytes/],
      [undefined, '{"note": ', 400, /JSON/],
      [[1, 2], undefined, 400, /body/],
    ];
    for (const [body, raw, status, reason] of cases) {
      const r = await call(fx.keys.ops, 'POST', path, body, raw);
      expect(r.status, r.body).toBe(status);
      expect(r.json().error).toMatch(reason);
    }
    const future = new Date(Date.now() + 3_600_000).toISOString();
    const silences: Array<[unknown, RegExp]> = [
      [{ reason: 'all', expiresAt: future }, /name a detector or a platform/],
      [{ detector: "x' OR 1=1", reason: 'r', expiresAt: future }, /body.detector/],
      [{ platformId: "pA'); DROP TABLE silences; --", reason: 'r', expiresAt: future }, /body.platformId/],
      [{ detector: 'backfill', reason: '', expiresAt: future }, /a silence needs a reason/],
      [{ detector: 'backfill', reason: 'r', expiresAt: '2020-01-01T00:00:00Z' }, /in the future/],
      [{ detector: 'backfill', reason: 'r', expiresAt: '2030-01-01T00:00:00Z' }, /at most a year/],
      [{ detector: 'backfill', reason: 'r', expiresAt: 'tomorrow' }, /body.expiresAt/],
      [{ detector: 'backfill', reason: 'r', expiresAt: future, createdBy: 'root' }, /Unrecognized key: "createdBy"/],
    ];
    for (const [body, reason] of silences) {
      const r = await post('ops', '/v1/silences', body);
      expect(r.status, r.body).toBe(400);
      expect(r.json().error).toMatch(reason);
    }
    expect((await post('ops', `/v1/silences/${encodeURIComponent("x' OR 1=1")}/expire`)).status).toBe(400);
    expect((await getAlert(s.store, FP.b1))?.version).toBe(1);
  });
});

describe('OpenAPI', () => {
  it('lists the alert routes, and the document is valid', async () => {
    const doc = (await call(undefined, 'GET', '/docs/json')).json();
    await SwaggerParser.validate(structuredClone(doc));
    const paths = Object.keys(doc.paths);
    for (const p of [
      '/v1/alerts',
      '/v1/alerts/stream',
      '/v1/alerts/{fingerprint}',
      '/v1/alerts/{fingerprint}/acknowledge',
      '/v1/alerts/{fingerprint}/resolve',
      '/v1/alerts/{fingerprint}/dismiss',
      '/v1/alerts/{fingerprint}/confirm',
      '/v1/alerts/{fingerprint}/reopen',
      '/v1/silences',
      '/v1/silences/{id}/expire',
    ])
      expect(paths).toContain(p);
    const dismiss = doc.paths['/v1/alerts/{fingerprint}/dismiss'].post;
    expect(dismiss.requestBody.content['application/json'].schema.required).toContain('note');
    expect(Object.keys(dismiss.responses)).toEqual(expect.arrayContaining(['200', '400', '403', '404', '409']));
    // A request built from the document's parameters succeeds.
    const params: Array<{ name: string }> = doc.paths['/v1/alerts'].get.parameters;
    const values: Record<string, string> = {
      state: 'open',
      severity: 'warning',
      detector: 'burst-before-evaluation',
      platformId: 'pA',
      orgId: 'o1',
      from: '2026-03-01',
      to: '2026-04-01',
      limit: '10',
      offset: '0',
    };
    const q = new URLSearchParams();
    for (const p of params) {
      expect(values[p.name], p.name).toBeDefined();
      q.set(p.name, values[p.name]!);
    }
    const r = await get('inspector', `/v1/alerts?${q}`);
    expect(r.status, r.body).toBe(200);
  });
});
