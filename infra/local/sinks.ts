/**
 * `npm start`'s local sinks, so a user can watch notices arrive: a Standard Webhooks receiver
 * (verifying with the reference library, dropping repeats by webhook-id) and an SMTP server
 * that parses what it is sent, both on 127.0.0.1, printing one line per arrival. Then stores
 * a demo recipient configuration pointing at them (owner DEMO_OWNER_ID bound to
 * DEMO_PLATFORM_IDS, both languages, a fresh webhook secret). Runs until SIGTERM / Ctrl-C.
 *   SINK_WEBHOOK_PORT (8090), SINK_SMTP_PORT (2525), CLICKHOUSE_URL, CLICKHOUSE_DATABASE,
 *   DEMO_OWNER_ID (demo-owner), DEMO_PLATFORM_IDS (plat-01, comma-separated)
 */
import { generateWebhookSecret, saveRecipient } from '@tracewatch/delivery';
import { RECIPIENT_SCHEMA_VERSION, recipientInputSchema } from '@tracewatch/schema';
import { createStore, migrate } from '@tracewatch/store';
import { startSmtpSink } from '../../test/support/smtp-sink.js';
import { startWebhookReceiver } from '../../test/support/webhook-receiver.js';

const env = process.env;
const webhookPort = Number(env.SINK_WEBHOOK_PORT ?? 8090);
const smtpPort = Number(env.SINK_SMTP_PORT ?? 2525);
const ownerId = env.DEMO_OWNER_ID ?? 'demo-owner';
const platformIds = (env.DEMO_PLATFORM_IDS ?? 'plat-01').split(',').filter(Boolean);
const time = () => new Date().toISOString().slice(11, 19);

const secret = generateWebhookSecret();
const receiver = await startWebhookReceiver({
  secret,
  port: webhookPort,
  onRequest: (r) => {
    let summary = '';
    try {
      const body = JSON.parse(r.body) as { type?: string; data?: { number?: string; title?: string } };
      summary = `${body.type ?? ''} ${body.data?.number ?? ''} ${body.data?.title ?? ''}`.trim();
    } catch {
      summary = `${r.body.length} bytes`;
    }
    const verdict = r.answer === 'rejected' ? `REJECTED (${r.rejected})` : r.answer;
    console.log(`sinks ${time()} webhook ${r.id ?? '-'} ${verdict}: ${summary}`);
  },
});
const smtp = await startSmtpSink({
  port: smtpPort,
  onMessage: (m) =>
    console.log(
      `sinks ${time()} e-mail to ${m.envelopeTo.join(', ')}: ${m.parsed.subject ?? ''} (html ${String(m.parsed.html || '').length} B, text ${(m.parsed.text ?? '').length} B)`,
    ),
});

const store = createStore({
  url: env.CLICKHOUSE_URL ?? 'http://127.0.0.1:8123',
  database: env.CLICKHOUSE_DATABASE ?? 'tracewatch_demo',
});
await migrate(store);
const input = recipientInputSchema.parse({
  name: '演示平台主管单位 (demo owner)',
  platformIds,
  webhook: { url: receiver.url, secret },
  email: { to: [`${ownerId}@example.org`] },
});
await saveRecipient(store, {
  schemaVersion: RECIPIENT_SCHEMA_VERSION,
  ownerId,
  ...input,
  updatedAt: new Date().toISOString(),
  updatedBy: 'npm start',
});
await store.close();
console.log(
  `sinks: webhook receiver ${receiver.url}, SMTP sink 127.0.0.1:${smtp.port}; recipient ${ownerId} (platforms ${platformIds.join(', ')}) points at both`,
);

const stop = async () => {
  await receiver.close();
  await smtp.close();
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
