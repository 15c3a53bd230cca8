/**
 * Delivery on real servers: the Standard Webhooks receiver (verifying with the reference
 * library, dropping repeats by webhook-id) that fails first, stays down or answers slowly; the
 * SMTP sink (smtp-server + mailparser); every attempt in the real ClickHouse; recipient
 * configurations stored, read back and a broken one isolated.
 */
import {
  type AttemptJob,
  attemptDelivery,
  composeEmail,
  type DeliveryTarget,
  deleteRecipient,
  EmailChannel,
  generateWebhookSecret,
  loadRecipient,
  loadRecipients,
  messageIdFor,
  type RetryPolicy,
  readAttempts,
  saveRecipient,
  WebhookChannel,
  webhookHeaders,
} from '@tracewatch/delivery';
import type { RecipientConfigV1 } from '@tracewatch/schema';
import { migrate, type Store } from '@tracewatch/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testStore, uniqueScope } from './support/harness.js';
import { type SmtpSink, startSmtpSink } from './support/smtp-sink.js';
import { startWebhookReceiver, type WebhookReceiver } from './support/webhook-receiver.js';

/** Short delays so the tests run in seconds; the horizon is what "down past the horizon" means here. */
const FAST: RetryPolicy = { initialDelayMs: 50, multiplier: 2, maxDelayMs: 400, horizonMs: 1500, jitter: 0.5 };

let store: Store;
let receiver: WebhookReceiver;
let sink: SmtpSink;
const secret = generateWebhookSecret();
const webhook = new WebhookChannel({ timeoutMs: 10_000 });
let email: EmailChannel;

beforeAll(async () => {
  store = testStore(uniqueScope('delivery').database);
  await migrate(store);
  receiver = await startWebhookReceiver({ secret });
  sink = await startSmtpSink();
  email = new EmailChannel({ host: sink.host, port: sink.port, from: 'tracewatch 通报 <notices@tracewatch.local>' });
});
afterAll(async () => {
  email?.close();
  await receiver?.close();
  await sink?.close();
  await store?.close();
});

const notice = (id: string) => ({ type: 'notice.issued', data: { noticeId: id, title: '关于平台数据异常的通报' } });

/** Attempts until the outcome is final, sleeping until each planned retry, as the notifier does. */
async function deliverUntilFinal(noticeId: string, ownerId: string, target: DeliveryTarget, policy = FAST) {
  const job: AttemptJob = {
    noticeId,
    ownerId,
    messageId: messageIdFor(noticeId, ownerId),
    attempt: 1,
    firstAttemptAt: null,
  };
  const outcomes = [];
  for (;;) {
    const o = await attemptDelivery(store, job, target, policy);
    outcomes.push(o);
    if (o.state !== 'retry') return { job, outcomes, final: o };
    job.firstAttemptAt ??= new Date(o.attempt.at);
    job.attempt++;
    await new Promise((r) => setTimeout(r, Math.max(0, o.nextAt!.getTime() - Date.now())));
  }
}

const webhookTarget = (id: string, url = receiver.url): DeliveryTarget => ({
  channel: 'webhook',
  via: webhook,
  request: { url, secret, body: notice(id) },
});

describe('webhook delivery', () => {
  it('retries a receiver that fails twice until delivered, with the same webhook-id every time', async () => {
    receiver.behave({ failFirst: 2, failStatus: 503 });
    const { job, outcomes, final } = await deliverUntilFinal('N-retry', 'owner-a', webhookTarget('N-retry'));
    expect(final.state).toBe('delivered');
    expect(outcomes.map((o) => [o.result.outcome, o.result.responseCode])).toEqual([
      ['retry', 503],
      ['retry', 503],
      ['delivered', 204],
    ]);
    const seen = receiver.requests.filter((r) => r.id === job.messageId);
    expect(seen.map((r) => r.answer)).toEqual(['failed', 'failed', 'taken']);
    expect(receiver.taken.get(job.messageId)).toEqual(notice('N-retry'));
    // Each attempt carries its own timestamp, signed again; the id never changes.
    expect(new Set(seen.map((r) => r.id))).toEqual(new Set([job.messageId]));

    const recorded = await readAttempts(store, { noticeId: 'N-retry' });
    expect(recorded.map((a) => [a.attempt, a.outcome, a.responseCode, a.channel, a.messageId, a.ownerId])).toEqual([
      [1, 'retry', 503, 'webhook', job.messageId, 'owner-a'],
      [2, 'retry', 503, 'webhook', job.messageId, 'owner-a'],
      [3, 'delivered', 204, 'webhook', job.messageId, 'owner-a'],
    ]);
    expect(recorded[0]!.error).toMatch(/HTTP 503: failing on purpose/);
    expect(recorded[2]!.error).toBeNull();
    for (const a of recorded) expect(a.durationMs).toBeGreaterThanOrEqual(0);
  });

  it('a receiver down past the horizon: every attempt a network error, then failed; nothing taken', async () => {
    receiver.behave({ down: true });
    const { job, outcomes, final } = await deliverUntilFinal('N-down', 'owner-a', webhookTarget('N-down'));
    receiver.behave({});
    expect(final.state).toBe('failed');
    expect(final.gaveUp).toBe(true);
    expect(outcomes.length).toBeGreaterThan(2);
    for (const o of outcomes) {
      expect(o.result.outcome).toBe('retry');
      expect(o.result.responseCode).toBeNull();
    }
    // Every retry was planned within the horizon from the first attempt (planned, not measured).
    const first = Date.parse(outcomes[0]!.attempt.at);
    for (const o of outcomes.slice(0, -1)) expect(o.nextAt!.getTime() - first).toBeLessThanOrEqual(FAST.horizonMs);
    expect(receiver.taken.has(job.messageId)).toBe(false);
    expect(receiver.countById(job.messageId)).toBe(outcomes.length);
    const recorded = await readAttempts(store, { noticeId: 'N-down', channel: 'webhook' });
    expect(recorded.map((a) => a.attempt)).toEqual(outcomes.map((_, i) => i + 1));
    expect(recorded.every((a) => a.outcome === 'retry' && a.error !== null)).toBe(true);
  });

  it('a slow receiver: the attempt times out, the retry is delivered, and the receiver drops the repeat by id', async () => {
    receiver.behave({ slowFirst: 1, delayMs: 15_000 });
    const impatient = new WebhookChannel({ timeoutMs: 2_000 });
    const target: DeliveryTarget = {
      channel: 'webhook',
      via: impatient,
      request: { url: receiver.url, secret, body: notice('N-slow') },
    };
    const { job, outcomes, final } = await deliverUntilFinal('N-slow', 'owner-b', target);
    expect(final.state).toBe('delivered');
    expect(outcomes[0]!.result).toMatchObject({ outcome: 'retry', responseCode: null });
    expect(outcomes[0]!.result.error).toMatch(/timeout/);
    expect(outcomes).toHaveLength(2);
    // The slow request was taken before its answer was late; the retry was a repeat, dropped.
    expect(receiver.requests.filter((r) => r.id === job.messageId).map((r) => r.answer)).toEqual([
      'taken',
      'duplicate',
    ]);
    expect(receiver.taken.get(job.messageId)).toEqual(notice('N-slow'));
  });

  it('a 410 or 404 fails at once: no retry', async () => {
    receiver.behave({ failFirst: 1, failStatus: 410 });
    const { outcomes, final } = await deliverUntilFinal('N-gone', 'owner-a', webhookTarget('N-gone'));
    expect(final).toMatchObject({ state: 'failed', gaveUp: false });
    expect(outcomes.map((o) => o.result.responseCode)).toEqual([410]);
    receiver.behave({});
  });

  it('a tampered body and an old timestamp fail the reference verification (401, not taken)', async () => {
    receiver.behave({});
    const body = JSON.stringify(notice('N-tamper'));
    const headers = webhookHeaders(secret, 'msg_tamper', Date.now(), body);
    const tampered = body.replace('异常', '正常');
    const r1 = await fetch(receiver.url, { method: 'POST', headers: { ...headers }, body: tampered });
    expect(r1.status).toBe(401);
    const wrongKey = webhookHeaders(generateWebhookSecret(), 'msg_wrongkey', Date.now(), body);
    expect((await fetch(receiver.url, { method: 'POST', headers: { ...wrongKey }, body })).status).toBe(401);
    const fine = await fetch(receiver.url, { method: 'POST', headers: { ...headers }, body });
    expect(fine.status).toBe(204);

    // An attempt stamped ten minutes ago (a replay): refused, and classed as permanent.
    const old = await webhook.send({
      url: receiver.url,
      secret,
      messageId: 'msg_old',
      body,
      atMs: Date.now() - 600_000,
    });
    expect(old).toMatchObject({ outcome: 'failed', responseCode: 401 });
    const rejected = receiver.requests.filter((r) => r.answer === 'rejected');
    expect(rejected.map((r) => r.id)).toEqual(['msg_tamper', 'msg_wrongkey', 'msg_old']);
    expect(rejected[2]!.rejected).toMatch(/timestamp/i);
    expect(receiver.taken.has('msg_old')).toBe(false);
    expect(receiver.taken.has('msg_tamper')).toBe(true);
  });

  it('no server at all: connection refused is a retry with the reason', async () => {
    const closed = await startWebhookReceiver({ secret });
    const url = closed.url;
    await closed.close();
    const r = await webhook.send({ url, secret, messageId: 'msg_refused', body: '{}' });
    expect(r).toMatchObject({ outcome: 'retry', responseCode: null });
    expect(r.error).toMatch(/ECONNREFUSED/);
  });
});

describe('e-mail delivery', () => {
  const parts = [
    {
      language: 'zh-CN' as const,
      subject: '通报 2026-0007：平台 pA 考核前数据激增',
      html: '<h1>通报</h1><p>单位 o1 在考核前 7 天的活动量为基线的 <b>3.4</b> 倍。</p><a href="http://127.0.0.1:8080/#/inspect?platformId=pA">查看证据</a>',
      text: '通报\n单位 o1 在考核前 7 天的活动量为基线的 3.4 倍。\n证据：http://127.0.0.1:8080/#/inspect?platformId=pA',
    },
    {
      language: 'en' as const,
      subject: 'Notice 2026-0007: activity burst before the assessment on pA',
      html: '<h1>Notice</h1><p>Org o1 had <b>3.4</b> times its baseline activity in the 7 days before the assessment.</p><a href="http://127.0.0.1:8080/#/inspect?platformId=pA">Evidence</a>',
      text: 'Notice\nOrg o1 had 3.4 times its baseline activity in the 7 days before the assessment.\nEvidence: http://127.0.0.1:8080/#/inspect?platformId=pA',
    },
  ];

  it('is received with both languages, as HTML and as plain text, with a stable Message-ID', async () => {
    const messageId = messageIdFor('N-mail', 'owner-a');
    const target: DeliveryTarget = {
      channel: 'email',
      via: email,
      message: composeEmail(parts, ['owner@example.org', 'deputy@example.org'], messageId),
    };
    const { final } = await deliverUntilFinal('N-mail', 'owner-a', target);
    expect(final.state).toBe('delivered');
    expect(final.result.responseCode).toBe(250);
    const got = sink.messages.find((m) => m.parsed.messageId === `<${messageId}@tracewatch.local>`)!;
    expect(got).toBeDefined();
    expect(got.envelopeTo).toEqual(['owner@example.org', 'deputy@example.org']);
    expect(got.parsed.subject).toBe(`${parts[0]!.subject} / ${parts[1]!.subject}`);
    expect(got.parsed.text).toContain('单位 o1 在考核前 7 天的活动量为基线的 3.4 倍。');
    expect(got.parsed.text).toContain('Org o1 had 3.4 times its baseline activity');
    expect(got.parsed.text!.indexOf('通报')).toBeLessThan(got.parsed.text!.indexOf('Notice'));
    const html = String(got.parsed.html);
    expect(html).toContain('<section lang="zh-CN">');
    expect(html).toContain('<section lang="en">');
    expect(html).toContain('<b>3.4</b>');
    expect(html).toContain('href="http://127.0.0.1:8080/#/inspect?platformId=pA"');
    expect(got.parsed.headers.get('content-language')).toBe('zh-CN, en');
    expect(got.parsed.from?.text).toContain('notices@tracewatch.local');
  });

  it('SMTP 451 is retried until accepted; 550 fails at once; both recorded', async () => {
    sink.refuseFirst(2, 451);
    const soft = await deliverUntilFinal('N-451', 'owner-a', {
      channel: 'email',
      via: email,
      message: composeEmail(parts, ['owner@example.org'], messageIdFor('N-451', 'owner-a')),
    });
    expect(soft.outcomes.map((o) => [o.result.outcome, o.result.responseCode])).toEqual([
      ['retry', 451],
      ['retry', 451],
      ['delivered', 250],
    ]);
    sink.refuseFirst(1, 550);
    const hard = await deliverUntilFinal('N-550', 'owner-a', {
      channel: 'email',
      via: email,
      message: composeEmail(parts, ['owner@example.org'], messageIdFor('N-550', 'owner-a')),
    });
    expect(hard.final).toMatchObject({ state: 'failed', gaveUp: false });
    expect(hard.outcomes.map((o) => o.result.responseCode)).toEqual([550]);
    const recorded = await readAttempts(store, { ownerId: 'owner-a', channel: 'email' });
    const byNotice = (id: string) =>
      recorded.filter((a) => a.noticeId === id).map((a) => `${a.attempt}:${a.outcome}:${a.responseCode}`);
    expect(byNotice('N-451')).toEqual(['1:retry:451', '2:retry:451', '3:delivered:250']);
    expect(byNotice('N-550')).toEqual(['1:failed:550']);
    expect(recorded.find((a) => a.noticeId === 'N-550')!.error).toMatch(/550/);
  });

  it('no SMTP server: a retry with the connection error', async () => {
    const gone = await startSmtpSink();
    const port = gone.port;
    await gone.close();
    const channel = new EmailChannel({ host: '127.0.0.1', port, from: 'n@tracewatch.local', timeoutMs: 10_000 });
    const r = await channel.send(composeEmail(parts, ['owner@example.org'], 'msg_nosmtp'));
    channel.close();
    expect(r).toMatchObject({ outcome: 'retry', responseCode: null });
    expect(r.error).toMatch(/ECONNECTION|ECONNREFUSED/);
  });
});

describe('attempts and recipients in ClickHouse', () => {
  it('an attempt recorded twice (a retried insert) is read once', async () => {
    const a = {
      noticeId: 'N-twice',
      messageId: 'msg_twice',
      ownerId: 'owner-c',
      channel: 'webhook' as const,
      attempt: 1,
      outcome: 'delivered' as const,
      responseCode: 200,
      error: null,
      durationMs: 3,
      at: '2026-03-01T00:00:00.250Z',
    };
    const { recordAttempt } = await import('@tracewatch/delivery');
    await recordAttempt(store, a);
    await recordAttempt(store, a);
    expect(await readAttempts(store, { noticeId: 'N-twice' })).toEqual([a]);
    expect(await readAttempts(store, { ownerId: "owner-c' OR 1=1 --" })).toEqual([]);
  });

  const config = (ownerId: string, platformIds: string[]): RecipientConfigV1 => ({
    schemaVersion: 1,
    ownerId,
    name: `单位 ${ownerId}`,
    platformIds,
    languages: ['zh-CN', 'en'],
    digest: { frequency: 'daily', timeOfDay: '09:00', timeZone: 'Asia/Shanghai' },
    answerDays: 10,
    webhook: { url: 'https://owner.example.org/hook', secret },
    updatedAt: '2026-03-01T00:00:00.000Z',
    updatedBy: 'admin',
  });

  it('saves, replaces, lists by platform and deletes; a broken stored configuration is reported alone', async () => {
    await saveRecipient(store, config('own-1', ['pA']));
    await saveRecipient(store, config('own-2', ['pA', 'pB']));
    await saveRecipient(store, { ...config('own-1', ['pC']), name: 'renamed', updatedAt: '2026-03-02T00:00:00.000Z' });
    // A row written by something else that no longer parses (e.g. a bad edit by hand).
    await store.client.insert({
      table: `${store.database}.notice_recipients`,
      values: [
        {
          owner_id: 'own-3',
          config: '{"schemaVersion":1,"ownerId":"own-3"}',
          platform_ids: ['pA'],
          deleted: 0,
          updated_at: 0,
          updated_by: 'x',
          version: 1,
        },
      ],
      format: 'JSONEachRow',
    });
    const all = await loadRecipients(store);
    expect(all.recipients.map((r) => [r.ownerId, r.name, r.platformIds])).toEqual([
      ['own-1', 'renamed', ['pC']],
      ['own-2', '单位 own-2', ['pA', 'pB']],
    ]);
    expect(all.problems).toHaveLength(1);
    expect(all.problems[0]!.ownerId).toBe('own-3');
    expect(all.problems[0]!.error).toMatch(/name/);
    expect((await loadRecipients(store, { platformId: 'pA' })).recipients.map((r) => r.ownerId)).toEqual(['own-2']);
    expect(await loadRecipient(store, 'own-2')).toEqual(config('own-2', ['pA', 'pB']));
    expect(await deleteRecipient(store, 'own-2', 'admin')).toBe(true);
    expect(await deleteRecipient(store, 'own-2', 'admin')).toBe(false);
    expect(await loadRecipient(store, 'own-2')).toBeUndefined();
    await expect(saveRecipient(store, { ...config('own-4', ['pA']), webhook: undefined })).rejects.toThrow(
      /at least one channel/,
    );
  });
});
