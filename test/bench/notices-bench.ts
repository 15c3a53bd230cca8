/**
 * `npm run bench:notices`: notices/s through the outbox (compose + store in ClickHouse) and the
 * delivery latency to a local webhook receiver (signed, recorded, marked), on the real
 * ClickHouse. Prints numbers; asserts nothing.
 */
import { WebhookChannel } from '@tracewatch/delivery';
import { Notifier, writeInbox } from '@tracewatch/notices';
import { createStore, migrate } from '@tracewatch/store';
import { alert } from '../../packages/notices/src/testing/fixtures.js';
import { alertChangedEvent, newSecret, saveOwner, WebhookReceiver } from '../support/notices.js';

const owners = Number(process.argv[process.argv.indexOf('--owners') + 1]) || 300;
const database = `tw_bench_notices_${Date.now().toString(36)}`;
const store = createStore({ url: process.env.CLICKHOUSE_URL ?? 'http://127.0.0.1:8123', database });
await migrate(store);
const secret = newSecret();
const receiver = new WebhookReceiver(secret);
await receiver.start();
const configs = [];
for (let i = 0; i < owners; i++)
  configs.push(await saveOwner(store, `owner-${i}`, [`plat-${i}`], { webhookUrl: receiver.url, secret }));
const at = new Date().toISOString();
await writeInbox(
  store,
  configs.map(
    (_, i) =>
      alertChangedEvent(
        alert(0x1000 + i, {
          finding: { severity: 'critical', scope: { kind: 'org', platformId: `plat-${i}`, orgId: 'org-1' } },
        }),
        at,
      ).data,
  ),
);
const durations: number[] = [];
const notifier = new Notifier({
  store,
  channels: { webhook: new WebhookChannel() },
  policy: { initialDelayMs: 1000, multiplier: 2, maxDelayMs: 10_000, horizonMs: 60_000, jitter: 0.2 },
  consoleUrl: 'http://127.0.0.1:8080',
  yearUtcOffsetMinutes: 480,
  maxConcurrentDeliveries: 8,
  recoverWindowMs: 86_400_000,
  log: { info: () => undefined, warn: (o, m) => console.warn(m, o) },
  events: { attempted: (_c, _o, s) => durations.push(s * 1000) },
});
const t0 = performance.now();
const created = await notifier.compose(configs, Date.now());
const composeS = (performance.now() - t0) / 1000;
const t1 = performance.now();
while (notifier.queueStats(Date.now()).pending > 0) {
  notifier.deliverDue(new Map(configs.map((c) => [c.ownerId, c])), Date.now());
  await new Promise((r) => setTimeout(r, 5));
}
await notifier.drain();
const deliverS = (performance.now() - t1) / 1000;
durations.sort((a, b) => a - b);
const q = (p: number) => durations[Math.min(durations.length - 1, Math.floor(p * durations.length))]?.toFixed(1);
console.log(
  JSON.stringify(
    {
      owners,
      noticesCreated: created.length,
      composeAndStoreSeconds: Number(composeS.toFixed(2)),
      noticesPerSecondThroughOutbox: Number((created.length / composeS).toFixed(1)),
      delivered: receiver.unique.size,
      deliverySeconds: Number(deliverS.toFixed(2)),
      deliveriesPerSecond: Number((receiver.unique.size / deliverS).toFixed(1)),
      webhookAttemptMs: { p50: q(0.5), p95: q(0.95), p99: q(0.99), max: durations.at(-1)?.toFixed(1) },
    },
    null,
    2,
  ),
);
await receiver.stop();
await store.client.command({ query: `DROP DATABASE IF EXISTS ${database}` });
await store.close();
