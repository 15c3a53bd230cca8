/**
 * Delivery figures (printed, not a test): Standard Webhooks signing and verification per second
 * (ours and the reference library's), and webhook deliveries to the local receiver (which
 * verifies each with the reference library): latency p50/p95 and deliveries per second, one at
 * a time and 20 at once. No server but the receiver on 127.0.0.1.
 *   npx tsc -b && npx tsx test/bench/delivery-bench.ts [deliveries=500]
 */
import { performance } from 'node:perf_hooks';
import {
  generateWebhookSecret,
  signWebhook,
  verifyWebhook,
  WebhookChannel,
  webhookHeaders,
} from '@tracewatch/delivery';
import { Webhook } from 'standardwebhooks';
import { startWebhookReceiver } from '../support/webhook-receiver.js';

const n = Number(process.argv[2] ?? 500);
const secret = generateWebhookSecret();
const body = JSON.stringify({ type: 'gov.tracewatch.notice.issued.v1', data: { text: '通报'.repeat(500) } });
const perSecond = (count: number, fn: () => void) => {
  const t = performance.now();
  for (let i = 0; i < count; i++) fn();
  return Math.round(count / ((performance.now() - t) / 1000));
};
const ts = Math.floor(Date.now() / 1000);
const headers = { ...webhookHeaders(secret, 'msg_bench', Date.now(), body) };
const reference = new Webhook(secret);
console.log(`body ${Buffer.byteLength(body)} B`);
console.log(`sign (ours)          ${perSecond(20_000, () => signWebhook(secret, 'msg_bench', ts, body))}/s`);
console.log(`verify (ours)        ${perSecond(20_000, () => verifyWebhook(secret, headers, body))}/s`);
console.log(
  `sign (reference)     ${perSecond(20_000, () => reference.sign('msg_bench', new Date(ts * 1000), body))}/s`,
);
console.log(`verify (reference)   ${perSecond(20_000, () => reference.verify(body, headers))}/s`);

const receiver = await startWebhookReceiver({ secret });
const channel = new WebhookChannel({ timeoutMs: 15_000 });
const quantile = (xs: number[], q: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))]!;
async function run(label: string, concurrency: number) {
  const latencies: number[] = [];
  let next = 0;
  const t = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n) {
        const i = next++;
        const r = await channel.send({ url: receiver.url, secret, messageId: `msg_${label}_${i}`, body });
        if (r.outcome !== 'delivered') throw new Error(`delivery ${i}: ${r.outcome} ${r.error}`);
        latencies.push(r.durationMs);
      }
    }),
  );
  const seconds = (performance.now() - t) / 1000;
  console.log(
    `deliveries ${label.padEnd(12)} n=${n} p50 ${quantile(latencies, 0.5)} ms, p95 ${quantile(latencies, 0.95)} ms, ${Math.round(n / seconds)}/s`,
  );
}
await run('sequential', 1);
await run('20-at-once', 20);
if (receiver.taken.size !== 2 * n || receiver.duplicates() !== 0)
  throw new Error('the receiver did not take each delivery once');
await receiver.close();
