/**
 * A small hand-made world for the api tests, with numbers computed by hand (see the comments),
 * stored in a per-test database, and the api service started on it (in process, real HTTP).
 * Local days are Asia/Shanghai (UTC+8). Platform pA: orgs o1 (public users + staff s1) and
 * o2 (tasks of s2); platform pB: org o3.
 */
import { createKey, type Role } from '@tracewatch/access';
import { type ApiConfig, apiConfigSchema, type RunningApi, startApiService } from '@tracewatch/api';
import { insertEvaluation } from '@tracewatch/inspect';
import {
  type Evaluation,
  type ReportedMetric,
  reportedMetricToRow,
  type TraceEvent,
  traceEventToRow,
} from '@tracewatch/schema';
import { createLogger } from '@tracewatch/service-kit';
import { migrate, type Store } from '@tracewatch/store';
import { brokers, clickhouseUrl, freePort, testStore, uniqueScope } from './harness.js';

interface TraceSpec {
  id: string;
  platform: string;
  org: string;
  actor: string;
  role: 'public' | 'staff';
  action: string;
  at: string;
  recordedAt?: string;
  task?: { id: string; assignedAt: string; deadline: string };
}

function trace(s: TraceSpec): TraceEvent {
  return {
    specversion: '1.0',
    id: s.id,
    source: `platform/${s.platform}`,
    type: 'gov.trace.v1',
    time: s.recordedAt ?? new Date(Date.parse(s.at) + 2000).toISOString(),
    data: {
      platformId: s.platform,
      orgId: s.org,
      actorId: s.actor,
      actorRole: s.role,
      action: s.action,
      occurredAt: s.at,
      ...(s.task ? { taskId: s.task.id, assignedAt: s.task.assignedAt, deadline: s.task.deadline } : {}),
    },
  };
}

const day = (d: number) => String(d).padStart(2, '0');

export function fixtureEvents(): TraceEvent[] {
  const events: TraceEvent[] = [];
  const pA = { platform: 'pA', org: 'o1' };
  // u4 registered before the range; u1..u3 on 03-01 (10:00 local).
  events.push(
    trace({ ...pA, id: 'reg-u4', actor: 'u4', role: 'public', action: 'user.register', at: '2026-02-20T02:00:00Z' }),
  );
  for (const u of ['u1', 'u2', 'u3'])
    events.push(
      trace({ ...pA, id: `reg-${u}`, actor: u, role: 'public', action: 'user.register', at: '2026-03-01T02:00:00Z' }),
    );
  // u1 views every day 03-01..03-10 at 10:00 local.
  for (let d = 1; d <= 10; d++)
    events.push(
      trace({
        ...pA,
        id: `view-u1-${d}`,
        actor: 'u1',
        role: 'public',
        action: 'item.view',
        at: `2026-03-${day(d)}T02:00:00Z`,
      }),
    );
  // 03-05 17:30Z is 03-06 01:30 in Shanghai: a local-day test.
  events.push(
    trace({ ...pA, id: 'view-u2-late', actor: 'u2', role: 'public', action: 'item.view', at: '2026-03-05T17:30:00Z' }),
  );
  // s1 closes a case 03-02..03-05; the one of 03-03 is recorded three days later (backfilled).
  for (let d = 2; d <= 5; d++)
    events.push(
      trace({
        ...pA,
        id: `case-s1-${d}`,
        actor: 's1',
        role: 'staff',
        action: 'case.close',
        at: `2026-03-${day(d)}T03:00:00Z`,
        ...(d === 3 ? { recordedAt: '2026-03-06T03:00:00Z' } : {}),
      }),
    );
  // s2's tasks: allowed 24 h taken 12 h; allowed 10 h taken 9.5 h (last tenth); allowed 4 h taken 6 h (late).
  const o2 = { platform: 'pA', org: 'o2', actor: 's2', role: 'staff' as const, action: 'task.complete' };
  events.push(
    trace({
      ...o2,
      id: 'task-t1',
      at: '2026-03-02T12:00:00Z',
      task: { id: 't1', assignedAt: '2026-03-02T00:00:00Z', deadline: '2026-03-03T00:00:00Z' },
    }),
  );
  events.push(
    trace({
      ...o2,
      id: 'task-t2',
      at: '2026-03-04T09:30:00Z',
      task: { id: 't2', assignedAt: '2026-03-04T00:00:00Z', deadline: '2026-03-04T10:00:00Z' },
    }),
  );
  events.push(
    trace({
      ...o2,
      id: 'task-t3',
      at: '2026-03-06T06:00:00Z',
      task: { id: 't3', assignedAt: '2026-03-06T00:00:00Z', deadline: '2026-03-06T04:00:00Z' },
    }),
  );
  // Platform pB: five forms on 03-03.
  for (let i = 0; i < 5; i++)
    events.push(
      trace({
        platform: 'pB',
        org: 'o3',
        id: `form-s3-${i}`,
        actor: 's3',
        role: 'staff',
        action: 'form.submit',
        at: `2026-03-03T04:0${i}:00Z`,
      }),
    );
  return events;
}

/** Claimed events of pA per local day 03-01..03-10 (by hand from fixtureEvents). */
export const PA_CLAIMED = [4, 3, 2, 3, 2, 3, 1, 1, 1, 1];
/** Recorded events of pA per local day: the backfilled case moves from 03-03 to 03-06. */
export const PA_RECORDED = [4, 3, 1, 3, 2, 4, 1, 1, 1, 1];
export const PA_BACKFILLED = [0, 0, 0, 0, 0, 1, 0, 0, 0, 0];

export const FIXTURE_EVALUATIONS: Evaluation[] = [
  {
    id: 'ev-a',
    name: '一网通办 季度考核',
    kind: 'assessment',
    platformId: 'pA',
    start: '2026-03-08T00:00:00+08:00',
    end: '2026-03-09T00:00:00+08:00',
  },
  {
    id: 'ev-b',
    name: 'pB inspection',
    kind: 'inspection',
    platformId: 'pB',
    start: '2026-03-05T00:00:00+08:00',
    end: '2026-03-05T12:00:00+08:00',
  },
  {
    id: 'ev-all',
    name: 'province-wide audit',
    kind: 'audit',
    start: '2026-03-10T00:00:00+08:00',
    end: '2026-03-10T18:00:00+08:00',
  },
];

const FIXTURE_METRICS: ReportedMetric[] = [
  {
    id: 'm1',
    platformId: 'pA',
    orgId: 'o1',
    metric: 'users.registered',
    periodStart: '2026-02-01',
    periodEnd: '2026-02-28',
    value: 120,
    reportedAt: '2026-03-01T01:00:00Z',
  },
  {
    id: 'm2',
    platformId: 'pA',
    orgId: 'o2',
    metric: 'users.registered',
    periodStart: '2026-02-01',
    periodEnd: '2026-02-28',
    value: 30,
    reportedAt: '2026-03-01T01:00:00Z',
  },
  {
    id: 'm3',
    platformId: 'pB',
    orgId: 'o3',
    metric: 'users.registered',
    periodStart: '2026-02-01',
    periodEnd: '2026-02-28',
    value: 999,
    reportedAt: '2026-03-01T01:00:00Z',
  },
];

export async function insertEvents(store: Store, events: readonly TraceEvent[]): Promise<void> {
  await store.client.insert({
    table: `${store.database}.trace_events`,
    values: events.map((e) => traceEventToRow(e, Date.now())),
    format: 'JSONEachRow',
  });
}

export async function seedFixture(store: Store): Promise<void> {
  await migrate(store);
  const events = fixtureEvents();
  await insertEvents(store, events);
  // A replay of one event (same id, a later insert): every answer must still count it once.
  await insertEvents(
    store,
    events.filter((e) => e.id === 'view-u1-1'),
  );
  for (const e of FIXTURE_EVALUATIONS) await insertEvaluation(store, e);
  await store.client.insert({
    table: `${store.database}.reported_metrics`,
    values: FIXTURE_METRICS.map((m) => reportedMetricToRow(m, Date.now())),
    format: 'JSONEachRow',
  });
}

export type KeyName = 'admin' | 'inspector' | 'ops' | 'ownerA' | 'ownerB' | 'revoked';

export interface ApiFixture {
  store: Store;
  api: RunningApi;
  base: string;
  keys: Record<KeyName, string>;
  keyIds: Record<KeyName, string>;
  stop(): Promise<void>;
}

/** With `scope`, the api runs on that database and topic prefix (e.g. an alert keeper's). */
export async function startApiFixture(
  label: string,
  env: Record<string, string> = {},
  scope: ReturnType<typeof uniqueScope> = uniqueScope(label),
): Promise<ApiFixture> {
  const store = testStore(scope.database);
  await seedFixture(store);
  const specs: Record<KeyName, { role: Role; platformIds: string[] }> = {
    admin: { role: 'admin', platformIds: [] },
    inspector: { role: 'inspector', platformIds: [] },
    ops: { role: 'ops', platformIds: [] },
    ownerA: { role: 'owner', platformIds: ['pA'] },
    ownerB: { role: 'owner', platformIds: ['pB'] },
    revoked: { role: 'admin', platformIds: [] },
  };
  const keys = {} as Record<KeyName, string>;
  const keyIds = {} as Record<KeyName, string>;
  for (const [name, spec] of Object.entries(specs) as [KeyName, (typeof specs)[KeyName]][]) {
    const k = await createKey(store, { name: `test-${name}`, ...spec });
    keys[name] = k.token;
    keyIds[name] = k.keyId;
  }
  const config: ApiConfig = apiConfigSchema.parse({
    CLICKHOUSE_URL: clickhouseUrl(),
    CLICKHOUSE_DATABASE: scope.database,
    KAFKA_BROKERS: brokers().join(','),
    TOPIC_PREFIX: scope.topicPrefix,
    HTTP_PORT: String(await freePort()),
    LOG_LEVEL: 'silent',
    ...env,
  });
  const api = await startApiService(config, createLogger('api-test', 'silent'));
  return {
    store,
    api,
    base: api.address,
    keys,
    keyIds,
    async stop() {
      await api.stop();
      await store.close();
    },
  };
}
