/**
 * bench:inspect — how fast the api answers inspection and platform-reality queries.
 *
 *   npm run bench:inspect [-- --events 10000000]
 *
 * 1. Generates N synthetic trace events over one year inside ClickHouse (INSERT … SELECT FROM
 *    numbers(N): 20 platforms × 10 units, public and staff actors, registrations, tasks), so the
 *    rollups fill through their materialized views exactly as with ingest.
 * 2. Starts the api (in process, real HTTP) and times, one request at a time, the inspection
 *    answer (daily series + evaluations) for one unit over one year and the platform-reality
 *    answer for one platform over one year: p50 / p95.
 * 3. The same under 50 concurrent clients: requests/s and p95.
 * Numbers are printed, never asserted. Traffic goes to 127.0.0.1 only; the database is dropped.
 */
import { createKey } from '@tracewatch/access';
import { apiConfigSchema, startApiService } from '@tracewatch/api';
import { createLogger } from '@tracewatch/service-kit';
import { countTraceEvents, createStore, migrate } from '@tracewatch/store';

const argN = process.argv.indexOf('--events');
const N = argN > 0 ? Number(process.argv[argN + 1]) : 10_000_000;
const SEQUENTIAL = 40;
const CONCURRENT_CLIENTS = 50;
const CONCURRENT_REQUESTS = 400;
const clickhouseUrl = process.env.CLICKHOUSE_URL ?? 'http://127.0.0.1:8123';
const database = `tw_bench_inspect_${Date.now().toString(36)}`;
const YEAR_START_S = Date.UTC(2025, 0, 1) / 1000;

const fmt = (n: number) => Math.round(n).toLocaleString('en');
const quantile = (xs: number[], q: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))]!;

const store = createStore({ url: clickhouseUrl, database, requestTimeoutMs: 600_000 });
try {
  await migrate(store);
  const t0 = Date.now();
  // Event i: platform i%20, unit (i/20)%10, a second of the year from a multiplicative hash.
  await store.client.command({
    query: `INSERT INTO ${database}.trace_events (event_id, source, platform_id, org_id, actor_id, actor_role, action,
      occurred_at, occurred_ms, recorded_at, recorded_ms, task_id, assigned_at, deadline, ingested_at)
    SELECT concat('b', toString(number)), 'bench', concat('p', toString(number % 20)),
      concat('p', toString(number % 20), '-o', toString(intDiv(number, 20) % 10)),
      concat('a', toString(number % 5000)), if(number % 3 = 0, 'public', 'staff'),
      multiIf(number % 97 = 0, 'user.register', number % 11 = 0, 'task.complete', number % 3 = 0, 'item.view', 'form.submit'),
      toDateTime(${YEAR_START_S} + (number * 2654435761) % 31536000), 0,
      toDateTime(${YEAR_START_S} + (number * 2654435761) % 31536000 + if(number % 50 = 0, 200000, 5)), 0,
      if(number % 11 = 0, concat('t', toString(number)), ''),
      if(number % 11 = 0, toDateTime(${YEAR_START_S} + (number * 2654435761) % 31536000 - 3600), NULL),
      if(number % 11 = 0, toDateTime(${YEAR_START_S} + (number * 2654435761) % 31536000 + 1800), NULL),
      now()
    FROM numbers(${N})`,
  });
  console.log(
    `loaded ${fmt(await countTraceEvents(store))} events in ${((Date.now() - t0) / 1000).toFixed(1)} s (database ${database})`,
  );
  await store.client.command({
    query: `INSERT INTO ${database}.evaluations (evaluation_id, name, kind, platform_id, org_id, start_at, end_at, ingested_at)
    VALUES ('ev1', 'bench', 'assessment', 'p3', '', toDateTime(${YEAR_START_S + 90 * 86400}), toDateTime(${YEAR_START_S + 92 * 86400}), now())`,
  });

  const key = (await createKey(store, { name: 'bench', role: 'inspector', platformIds: [] })).token;
  const config = apiConfigSchema.parse({
    CLICKHOUSE_URL: clickhouseUrl,
    CLICKHOUSE_DATABASE: database,
    HTTP_PORT: '0',
    LOG_LEVEL: 'silent',
    API_RATE_LIMIT_PER_MINUTE: '1000000',
  });
  const api = await startApiService(config, createLogger('api-bench', 'silent'));
  const timed = async (path: string) => {
    const start = performance.now();
    const r = await fetch(`${api.address}${path}`, { headers: { authorization: `Bearer ${key}` } });
    await r.arrayBuffer();
    if (r.status !== 200) throw new Error(`${path}: ${r.status}`);
    return performance.now() - start;
  };
  const cases = {
    'inspection series, one unit, one year': '/v1/inspect/series?orgId=p3-o4&from=2025-01-01&to=2026-01-01',
    'platform reality, one platform, one year': '/v1/platforms/p3/reality?from=2025-01-01&to=2026-01-01',
  };
  try {
    for (const [name, path] of Object.entries(cases)) {
      await timed(path); // warm-up
      const sequential: number[] = [];
      for (let i = 0; i < SEQUENTIAL; i++) sequential.push(await timed(path));
      const concurrent: number[] = [];
      let next = 0;
      const started = performance.now();
      await Promise.all(
        Array.from({ length: CONCURRENT_CLIENTS }, async () => {
          while (next++ < CONCURRENT_REQUESTS) concurrent.push(await timed(path));
        }),
      );
      const seconds = (performance.now() - started) / 1000;
      console.log(
        `${name}: one at a time p50 ${quantile(sequential, 0.5).toFixed(1)} ms, p95 ${quantile(sequential, 0.95).toFixed(1)} ms; ` +
          `${CONCURRENT_CLIENTS} clients: ${(CONCURRENT_REQUESTS / seconds).toFixed(1)} req/s, p95 ${quantile(concurrent, 0.95).toFixed(1)} ms (target p95 ≤ 100 ms)`,
      );
    }
  } finally {
    await api.stop();
  }
} finally {
  if (!process.env.TW_KEEP_TEST_DATA) await store.client.command({ query: `DROP DATABASE IF EXISTS ${database}` });
  await store.close();
}
