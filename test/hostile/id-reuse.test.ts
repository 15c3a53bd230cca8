/**
 * An id re-used with different content is never counted twice (issue 8, item 10): the first
 * stored version stands, the later message is dead-lettered with its reason and recorded per
 * org in trace_id_reuse; byte-identical replays stay harmless.
 */
import { readDeadLetterHeaders } from '@tracewatch/bus';
import { TOPICS } from '@tracewatch/schema';
import { countTraceEvents, type Store, selectRows } from '@tracewatch/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeEvent } from '../support/events.js';
import {
  type IngestProcess,
  produceRaw,
  readTopic,
  startIngest,
  testKafka,
  testStore,
  uniqueScope,
  waitFor,
} from '../support/harness.js';

const kafka = testKafka();
/** The check is off by default (see INGEST_REFUSE_REUSED_IDS). */
const REFUSE = { INGEST_REFUSE_REUSED_IDS: 'true' };

async function counts(store: Store) {
  const one = async (sql: string) => Number((await selectRows<{ n: string }>(store, sql))[0]?.n);
  const db = store.database;
  return {
    distinct: await countTraceEvents(store),
    final: await one(`SELECT count() AS n FROM ${db}.trace_events FINAL`),
    hourly: await one(
      `SELECT sum(c) AS n FROM (SELECT hour, org_id, uniqExactMerge(events) AS c FROM ${db}.trace_hourly GROUP BY hour, org_id)`,
    ),
    recorded: await one(`SELECT uniqExactMerge(events) AS n FROM ${db}.trace_hourly_recorded`),
  };
}

describe('hostile producers: an id re-used with different content', () => {
  const scope = uniqueScope('idreuse');
  const input = `${scope.topicPrefix}${TOPICS.traceEvents}`;
  let ingest: IngestProcess;
  let store: Store;
  beforeAll(async () => {
    ingest = await startIngest(scope, REFUSE);
    store = testStore(scope.database);
  });
  afterAll(async () => {
    await ingest?.stop();
    await store?.close();
  });

  it('keeps the first version, dead-letters the rewrite, counts it per org, and replays stay harmless', async () => {
    const N = 1_000;
    const original = Array.from({ length: N }, (_, i) => makeEvent(i, { idPrefix: 'reuse' }));
    const messages = original.map((e) => ({ key: e.data.orgId, value: JSON.stringify(e) }));
    await produceRaw(kafka, input, messages);
    await waitFor('N stored', async () => (await countTraceEvents(store)) === N);

    // The same ids, an hour earlier and another action; then a byte-identical replay.
    const rewritten = original.map((e) => ({
      ...e,
      time: new Date(Date.parse(e.time) - 3_600_000).toISOString(),
      data: {
        ...e.data,
        occurredAt: new Date(Date.parse(e.data.occurredAt) - 3_600_000).toISOString(),
        action: 'case.close',
      },
    }));
    await produceRaw(
      kafka,
      input,
      rewritten.map((e) => ({ key: e.data.orgId, value: JSON.stringify(e) })),
    );
    await produceRaw(kafka, input, messages);
    const letters = await readTopic(kafka, `${scope.topicPrefix}${TOPICS.traceEventsDlq}`, N, 120_000);
    expect(letters).toHaveLength(N); // the rewrites only: the replay is not refused
    for (const l of letters) {
      const h = readDeadLetterHeaders(l);
      expect(h.stage).toBe('identity');
      expect(h.reason).toMatch(/^id re-used with different content/);
      expect(JSON.parse(l.value!.toString()).data.action).toBe('case.close');
    }
    await produceRaw(kafka, input, [{ key: 'org-001', value: JSON.stringify(makeEvent(N, { idPrefix: 'reuse' })) }]);
    await waitFor('the marker stored', async () => (await countTraceEvents(store)) === N + 1);
    expect(await counts(store)).toEqual({ distinct: N + 1, final: N + 1, hourly: N + 1, recorded: N + 1 });
    const actions = await selectRows<{ n: string }>(
      store,
      `SELECT count() AS n FROM ${store.database}.trace_events FINAL WHERE action = 'case.close'`,
    );
    expect(Number(actions[0]?.n)).toBe(0);
    const perOrg = await selectRows<{ org_id: string; n: string }>(
      store,
      `SELECT org_id, uniqExact(event_id, fingerprint) AS n FROM ${store.database}.trace_id_reuse GROUP BY org_id ORDER BY org_id`,
    );
    expect(perOrg).toHaveLength(10);
    expect(perOrg.reduce((s, r) => s + Number(r.n), 0)).toBe(N);
  });

  it('refuses a rewrite that arrives after ingest restarted (the memory is gone: the store decides)', async () => {
    await ingest.stop();
    ingest = await startIngest(scope, REFUSE);
    const e = makeEvent(5, { idPrefix: 'reuse' });
    const rewrite = { ...e, data: { ...e.data, value: 9_999 } };
    await produceRaw(kafka, input, [{ key: e.data.orgId, value: JSON.stringify(rewrite) }]);
    const letters = await readTopic(kafka, `${scope.topicPrefix}${TOPICS.traceEventsDlq}`, 1_001, 120_000);
    expect(letters.filter((l) => JSON.parse(l.value!.toString()).data.value === 9_999)).toHaveLength(1);
    const stored = await selectRows<{ value: number }>(
      store,
      `SELECT value FROM ${store.database}.trace_events FINAL WHERE event_id = 'reuse-5'`,
    );
    expect(stored).toEqual([{ value: 5 }]);
  });
});
