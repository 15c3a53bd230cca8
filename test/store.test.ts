/** The store against the real ClickHouse: migrations, the escaping helper, the table writer. */
import { TRACE_EVENT_COLUMNS, type TraceEventRow, toTsv, traceEventToRow } from '@tracewatch/schema';
import {
  countTraceEvents,
  loadMigrations,
  migrate,
  type Store,
  selectRows,
  sqlString,
  TableWriter,
} from '@tracewatch/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeEvent } from './support/events.js';
import { testStore, uniqueScope } from './support/harness.js';

let store: Store;
beforeAll(async () => {
  store = testStore(uniqueScope('store').database);
  await migrate(store);
});
afterAll(async () => {
  await store.client.command({ query: `DROP DATABASE IF EXISTS ${store.database}` });
  await store.close();
});

describe('migrations', () => {
  it('are recorded and applied once', async () => {
    const all = await loadMigrations();
    expect(all.map((m) => m.version)).toEqual([...all.map((m) => m.version)].sort((a, b) => a - b));
    expect(await migrate(store)).toEqual([]); // second run: nothing left to apply
    const recorded = await selectRows<{ version: number }>(
      store,
      `SELECT version FROM ${store.database}.schema_migrations FINAL ORDER BY version`,
    );
    expect(recorded.map((r) => Number(r.version))).toEqual(all.map((m) => m.version));
  });
});

describe('sqlString round-trips hostile strings through the server', () => {
  const hostile = [
    "O'Brien",
    "'; DROP TABLE trace_events; --",
    "back\\slash \\' \\\\",
    'new\nline\r\ttab\0nul\b\f',
    '评估前突击补录 ✓ 🚀',
    "\\'",
    '{db}',
    '',
    'x'.repeat(10_000),
    String.fromCharCode(...Array.from({ length: 32 }, (_, i) => i)),
  ];
  it.each(hostile.map((s, i) => [i, s]))('string %i comes back unchanged', async (_i, s) => {
    const rows = await selectRows<{ v: string }>(store, `SELECT ${sqlString(s as string)} AS v`);
    expect(rows[0]?.v).toBe(s);
  });
  it('selectRows refuses writes (readonly)', async () => {
    await expect(selectRows(store, `CREATE TABLE ${store.database}.nope (x UInt8) ENGINE = Memory`)).rejects.toThrow();
  });
});

describe('TableWriter', () => {
  const columns = TRACE_EVENT_COLUMNS;
  const tsvChunk = (rows: object[]) => ({ data: Buffer.from(toTsv(rows, columns)), rows: rows.length });

  it('isolates rows ClickHouse refuses and stores their neighbours', async () => {
    const writer = new TableWriter(store, 'trace_events', columns, { maxRows: 1_000, maxWaitMs: 20 });
    const rows: object[] = Array.from({ length: 100 }, (_, i) =>
      traceEventToRow(makeEvent(i, { idPrefix: 'tw' }), Date.now()),
    );
    for (const bad of [37, 38, 99]) {
      const broken: Partial<Record<keyof TraceEventRow, unknown>> = {
        ...(rows[bad] as TraceEventRow),
        occurred_at: 'not a time',
      };
      rows[bad] = broken;
    }
    const result = await writer.write(tsvChunk(rows));
    expect(result.status).toBe('stored');
    expect(result.rejected.map((r) => r.line)).toEqual([37, 38, 99]);
    expect(result.rejected[0]?.reason).toMatch(/storage refused the row/);
    expect(await countTraceEvents(store, "event_id LIKE 'tw-%'")).toBe(97);
  });

  it('gives every caller its own result when their rows share one insert', async () => {
    const writer = new TableWriter(store, 'trace_events', columns, { maxRows: 10_000, maxWaitMs: 50 });
    const good = (id: number, prefix: string) => traceEventToRow(makeEvent(id, { idPrefix: prefix }), Date.now());
    const a = writer.write(tsvChunk([good(1, 'wa')]));
    const b = writer.write(tsvChunk([good(2, 'wb'), { ...good(3, 'wb'), recorded_at: 'x' }, good(4, 'wb')]));
    expect(await Promise.all([a, b])).toEqual([
      { status: 'stored', rejected: [] },
      { status: 'stored', rejected: [{ line: 1, reason: expect.stringMatching(/storage refused the row/) }] },
    ]);
    expect(await countTraceEvents(store, "event_id IN ('wa-1', 'wb-2', 'wb-3', 'wb-4')")).toBe(3);
  });

  it('streams chunks holding rows that span several inserts, each row stored once', async () => {
    const writer = new TableWriter(store, 'trace_events', columns, { maxRows: 500, maxWaitMs: 10 });
    const chunks = Array.from({ length: 12 }, (_, c) =>
      tsvChunk(
        Array.from({ length: 100 }, (_, i) => traceEventToRow(makeEvent(c * 100 + i, { idPrefix: 'ws' }), Date.now())),
      ),
    );
    const results = await Promise.all(chunks.map((c) => writer.write(c)));
    expect(results.filter((r) => r.status !== 'stored' || r.rejected.length > 0)).toEqual([]);
    expect(await countTraceEvents(store, "event_id LIKE 'ws-%'")).toBe(1_200);
  });
});
