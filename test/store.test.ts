/** The store against the real ClickHouse: migrations, the escaping helper, the table writer. */
import { type TraceEventRow, traceEventToRow } from '@tracewatch/schema';
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
  it('isolates a row ClickHouse refuses and stores its neighbours', async () => {
    const writer = new TableWriter<object>(store, 'trace_events', { maxRows: 1_000, maxWaitMs: 20 });
    const rows: object[] = Array.from({ length: 100 }, (_, i) =>
      traceEventToRow(makeEvent(i, { idPrefix: 'tw' }), Date.now()),
    );
    const broken: Partial<Record<keyof TraceEventRow, unknown>> = {
      ...(rows[37] as TraceEventRow),
      occurred_at: 'not a time',
    };
    rows[37] = broken;
    const result = await writer.write(rows);
    expect(result.status).toBe('stored');
    expect(result.rejected.map((r) => r.index)).toEqual([37]);
    expect(result.rejected[0]?.reason).toMatch(/storage refused the row/);
    expect(await countTraceEvents(store, "event_id LIKE 'tw-%'")).toBe(99);
  });

  it('gives every caller its own result when their rows share one insert', async () => {
    const writer = new TableWriter<object>(store, 'trace_events', { maxRows: 10_000, maxWaitMs: 50 });
    const a = writer.write([traceEventToRow(makeEvent(1, { idPrefix: 'wa' }), Date.now())]);
    const b = writer.write([traceEventToRow(makeEvent(2, { idPrefix: 'wb' }), Date.now())]);
    expect(await Promise.all([a, b])).toEqual([
      { status: 'stored', rejected: [] },
      { status: 'stored', rejected: [] },
    ]);
    expect(await countTraceEvents(store, "event_id IN ('wa-1', 'wb-2')")).toBe(2);
  });
});
