import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { generateWebhookSecret, signWebhook, verifyWebhook, webhookHeaders } from './signing.js';

const NOW = Date.UTC(2026, 2, 1, 8, 0, 0);
const body = JSON.stringify({ type: 'notice.created', data: { id: '2026-0001', title: '通报' } });

describe('Standard Webhooks signing, against the reference library', () => {
  it('the reference library verifies what we sign (many secrets, ids and bodies)', () => {
    for (let i = 0; i < 50; i++) {
      const secret = generateWebhookSecret();
      const id = `msg_${i}_${'x'.repeat(i)}`;
      const payload = JSON.stringify({ i, text: '数据造假'.repeat(i), nested: { a: [i, i + 1] } });
      const headers = webhookHeaders(secret, id, Date.now(), payload);
      expect(new Webhook(secret).verify(payload, { ...headers })).toEqual(JSON.parse(payload));
    }
  });

  it('we produce exactly the reference signature, and verify it', () => {
    const secret = generateWebhookSecret();
    const ts = Math.floor(NOW / 1000);
    const reference = new Webhook(secret).sign('msg_1', new Date(ts * 1000), body);
    expect(signWebhook(secret, 'msg_1', ts, body)).toBe(reference);
    const headers = { 'webhook-id': 'msg_1', 'webhook-timestamp': String(ts), 'webhook-signature': reference };
    expect(verifyWebhook(secret, headers, body, NOW)).toEqual({ ok: true });
  });

  it('a known vector: secret, id, timestamp and body give the documented signature form', () => {
    const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
    const sig = signWebhook(secret, 'msg_p5jXN8AQM9LWM0D4loKWxJek', 1614265330, '{"test": 2432232314}');
    expect(sig).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/);
    expect(sig).toBe(
      new Webhook(secret).sign('msg_p5jXN8AQM9LWM0D4loKWxJek', new Date(1614265330_000), '{"test": 2432232314}'),
    );
  });

  it('a tampered body, another secret or an old timestamp fail with the reference library and with ours', () => {
    const secret = generateWebhookSecret();
    const headers = { ...webhookHeaders(secret, 'msg_2', Date.now(), body) };
    const tampered = body.replace('0001', '0002');
    expect(() => new Webhook(secret).verify(tampered, headers)).toThrow(WebhookVerificationError);
    expect(verifyWebhook(secret, headers, tampered)).toEqual({ ok: false, reason: 'no v1 signature matches' });
    const other = generateWebhookSecret();
    expect(() => new Webhook(other).verify(body, headers)).toThrow(WebhookVerificationError);
    expect(verifyWebhook(other, headers, body).ok).toBe(false);

    const old = { ...webhookHeaders(secret, 'msg_3', Date.now() - 10 * 60_000, body) };
    expect(() => new Webhook(secret).verify(body, old)).toThrow(/timestamp/i);
    expect(verifyWebhook(secret, old, body)).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/away from now/),
    });
  });

  it('one matching signature among several (secret rotation) is enough; a v1a one is ignored', () => {
    const secret = generateWebhookSecret();
    const h = webhookHeaders(secret, 'msg_4', NOW, body);
    const rotated = { ...h, 'webhook-signature': `v1a,abcd v1,${'A'.repeat(43)}= ${h['webhook-signature']}` };
    expect(verifyWebhook(secret, rotated, body, NOW)).toEqual({ ok: true });
    expect(verifyWebhook(secret, { ...h, 'webhook-signature': 'v1a,abcd' }, body, NOW).ok).toBe(false);
  });

  it('refuses ids with dots, fractional timestamps and malformed secrets', () => {
    const secret = generateWebhookSecret();
    expect(() => signWebhook(secret, 'msg.1', 1, body)).toThrow(/no dots/);
    expect(() => signWebhook(secret, 'msg_1', 1.5, body)).toThrow(/whole unix seconds/);
    expect(() => signWebhook('whsec_c2hvcnQ=', 'msg_1', 1, body)).toThrow(/24\.\.64 bytes/);
    expect(() => signWebhook('sk_live_abc', 'msg_1', 1, body)).toThrow(/whsec_/);
  });
});
