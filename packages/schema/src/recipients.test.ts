import { describe, expect, it } from 'vitest';
import { deliveryAttemptSchema, recipientConfigSchema, recipientInputSchema } from './recipients.js';

const SECRET = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;
const input = {
  name: '市政务服务数据管理局',
  platformIds: ['pA'],
  webhook: { url: 'https://owner.example.org/hooks/tracewatch', secret: SECRET },
  email: { to: ['owner@example.org'] },
};
const issues = (r: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }) =>
  (r.error?.issues ?? []).map((i) => `${i.path.join('.')}: ${i.message}`);

describe('recipient configuration', () => {
  it('fills the defaults: both languages, a daily digest at 09:00 Shanghai time, 10 days to answer', () => {
    const r = recipientInputSchema.parse(input);
    expect(r.languages).toEqual(['zh-CN', 'en']);
    expect(r.digest).toEqual({ frequency: 'daily', timeOfDay: '09:00', timeZone: 'Asia/Shanghai' });
    expect(r.answerDays).toBe(10);
    const stored = recipientConfigSchema.parse({
      ...r,
      schemaVersion: 1,
      ownerId: 'owner-a',
      updatedAt: '2026-03-01T00:00:00Z',
      updatedBy: 'admin',
    });
    expect(stored.ownerId).toBe('owner-a');
  });

  it('names what is wrong', () => {
    const cases: [unknown, RegExp][] = [
      [{ ...input, webhook: undefined, email: undefined }, /webhook: give at least one channel/],
      [{ ...input, platformIds: [] }, /platformIds: an owner is bound to at least one platform/],
      [{ ...input, platformIds: ['pA', 'pA'] }, /platformIds: a platform is listed twice/],
      [{ ...input, platformIds: ["pA' OR 1=1"] }, /platformIds.0: ids may contain/],
      [{ ...input, languages: ['fr'] }, /languages.0/],
      [{ ...input, webhook: { ...input.webhook, secret: 'whsec_c2hvcnQ=' } }, /webhook.secret: .*24\.\.64 bytes/],
      [{ ...input, webhook: { ...input.webhook, secret: 'hunter2' } }, /webhook.secret: a webhook secret is whsec_/],
      [
        { ...input, webhook: { ...input.webhook, url: 'ftp://x.example.org/' } },
        /webhook.url: the URL must be http or https/,
      ],
      [
        { ...input, webhook: { ...input.webhook, url: 'https://u:p@x.example.org/' } },
        /webhook.url: the URL must not carry/,
      ],
      [{ ...input, webhook: { ...input.webhook, url: 'not a url' } }, /webhook.url: not a URL/],
      [{ ...input, email: { to: ['nobody'] } }, /email.to.0: not an e-mail address/],
      [{ ...input, email: { to: [] } }, /email.to: at least one address/],
      [{ ...input, digest: { timeOfDay: '25:00' } }, /digest.timeOfDay: a time of day is HH:MM/],
      [{ ...input, digest: { frequency: 'weekly' } }, /digest.weekday: a weekly digest needs a weekday/],
      [{ ...input, digest: { timeZone: 'Mars/Olympus' } }, /digest.timeZone: not an IANA time zone/],
      [{ ...input, answerDays: 0 }, /answerDays/],
      [{ ...input, color: 'red' }, /Unrecognized key.*color/],
    ];
    for (const [value, expected] of cases) {
      const r = recipientInputSchema.safeParse(value);
      expect(r.success, JSON.stringify(value)).toBe(false);
      expect(issues(r).join('\n')).toMatch(expected);
    }
  });
});

describe('delivery attempt', () => {
  it('accepts a recorded attempt and refuses a message id with a dot', () => {
    const a = {
      noticeId: '2026-0001',
      messageId: 'msg_abc',
      ownerId: 'owner-a',
      channel: 'webhook',
      attempt: 1,
      outcome: 'retry',
      responseCode: 503,
      error: 'HTTP 503',
      durationMs: 12,
      at: '2026-03-01T00:00:00.123Z',
    };
    expect(deliveryAttemptSchema.parse(a)).toEqual(a);
    expect(deliveryAttemptSchema.safeParse({ ...a, messageId: 'msg.abc' }).success).toBe(false);
  });
});
