/**
 * The recipients admin routes on the real ClickHouse: admins list, get, put (validated, 4xx
 * naming what is wrong) and delete owners' recipient configurations; every other role is
 * refused; the webhook secret never comes back, nor reaches the audit log.
 */
import { generateWebhookSecret, loadRecipient } from '@tracewatch/delivery';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiFixture, type KeyName, startApiFixture } from './support/api-fixture.js';
import { waitFor } from './support/harness.js';

let fx: ApiFixture;
const secret = generateWebhookSecret();
const valid = {
  name: '市政务服务数据管理局',
  platformIds: ['pA'],
  webhook: { url: 'http://127.0.0.1:9/hooks', secret },
  email: { to: ['owner@example.org'] },
};

async function call(who: KeyName | undefined, method: string, path: string, body?: unknown, raw?: string) {
  const headers: Record<string, string> = {};
  if (who) headers.authorization = `Bearer ${fx.keys[who]}`;
  if (body !== undefined || raw !== undefined) headers['content-type'] = 'application/json';
  const r = await fetch(`${fx.base}${path}`, {
    method,
    headers,
    body: raw ?? (body === undefined ? undefined : JSON.stringify(body)),
  });
  const text = await r.text();
  return { status: r.status, text, json: () => JSON.parse(text) };
}

beforeAll(async () => {
  fx = await startApiFixture('recipients');
  await waitFor('api /readyz', async () => (await fetch(`${fx.base}/readyz`)).status === 200);
});
afterAll(async () => {
  await fx?.stop();
});

describe('recipients (admin)', () => {
  it('put creates (201) then replaces (200); get and list show it with the secret redacted; delete removes it', async () => {
    const created = await call('admin', 'PUT', '/v1/recipients/owner-a', valid);
    expect(created.status, created.text).toBe(201);
    expect(created.json()).toMatchObject({
      schemaVersion: 1,
      ownerId: 'owner-a',
      platformIds: ['pA'],
      languages: ['zh-CN', 'en'],
      digest: { frequency: 'daily', timeOfDay: '09:00', timeZone: 'Asia/Shanghai' },
      answerDays: 10,
      webhook: { url: valid.webhook.url, secretHint: `whsec_…${secret.slice(-4)}` },
      updatedBy: 'test-admin',
    });
    const replaced = await call('admin', 'PUT', '/v1/recipients/owner-a', {
      ...valid,
      languages: ['zh-CN'],
      digest: { frequency: 'weekly', weekday: 1, timeOfDay: '08:30' },
      answerDays: 5,
    });
    expect(replaced.status, replaced.text).toBe(200);
    await call('admin', 'PUT', '/v1/recipients/owner-b', {
      name: 'pB 运营单位',
      platformIds: ['pB'],
      email: { to: ['b@example.org'] },
    });

    const one = await call('admin', 'GET', '/v1/recipients/owner-a');
    expect(one.status).toBe(200);
    expect(one.json()).toMatchObject({
      languages: ['zh-CN'],
      answerDays: 5,
      digest: { frequency: 'weekly', weekday: 1 },
    });
    const list = await call('admin', 'GET', '/v1/recipients');
    expect(list.json().recipients.map((r: any) => r.ownerId)).toEqual(['owner-a', 'owner-b']);
    expect(list.json().problems).toEqual([]);
    expect(
      (await call('admin', 'GET', '/v1/recipients?platformId=pB')).json().recipients.map((r: any) => r.ownerId),
    ).toEqual(['owner-b']);
    for (const r of [created, replaced, one, list]) expect(r.text).not.toContain(secret.slice(6));
    // What the notifier reads has the secret, in full.
    expect(await loadRecipient(fx.store, 'owner-a')).toMatchObject({ webhook: { secret } });

    expect((await call('admin', 'DELETE', '/v1/recipients/owner-b')).status).toBe(204);
    expect((await call('admin', 'GET', '/v1/recipients/owner-b')).status).toBe(404);
    const again = await call('admin', 'DELETE', '/v1/recipients/owner-b');
    expect(again.status).toBe(404);
    expect(again.json().error).toMatch(/no recipient configuration for owner "owner-b"/);
  });

  it('refuses every other role (403) and a missing key (401) on every route', async () => {
    const routes: [string, string, unknown?][] = [
      ['GET', '/v1/recipients'],
      ['GET', '/v1/recipients/owner-a'],
      ['PUT', '/v1/recipients/owner-a', valid],
      ['DELETE', '/v1/recipients/owner-a'],
    ];
    for (const [method, path, body] of routes) {
      for (const who of ['inspector', 'ops', 'ownerA', 'ownerB'] as const) {
        const r = await call(who, method, path, body);
        expect(r.status, `${who} ${method} ${path}`).toBe(403);
        expect(r.json().error).toMatch(/may not use/);
      }
      expect((await call(undefined, method, path, body)).status).toBe(401);
    }
    // Nothing was changed by the refused calls.
    expect(await loadRecipient(fx.store, 'owner-a')).toMatchObject({ name: valid.name });
  });

  it('bad input is a 400 that names what is wrong; nothing is stored', async () => {
    const cases: [string, unknown, RegExp][] = [
      ['owner-x', { ...valid, webhook: undefined, email: undefined }, /body.webhook: give at least one channel/],
      [
        'owner-x',
        { ...valid, webhook: { ...valid.webhook, secret: 'whsec_c2hvcnQ=' } },
        /webhook.secret: .*24\.\.64 bytes/,
      ],
      [
        'owner-x',
        { ...valid, webhook: { url: 'javascript:alert(1)', secret } },
        /webhook.url: the URL must be http or https/,
      ],
      ['owner-x', { ...valid, email: { to: ['not-an-address'] } }, /email.to.0: not an e-mail address/],
      ['owner-x', { ...valid, platformIds: ["pA') OR 1=1 --"] }, /platformIds.0: ids may contain/],
      ['owner-x', { ...valid, platformIds: [] }, /platformIds: an owner is bound to at least one platform/],
      ['owner-x', { ...valid, digest: { timeOfDay: '9am' } }, /digest.timeOfDay: a time of day is HH:MM/],
      ['owner-x', { ...valid, answerDays: 1000 }, /answerDays/],
      ['owner-x', { ...valid, secretLevel: 'high' }, /secretLevel/],
      ['owner-x', { ...valid, ownerId: 'owner-y' }, /ownerId/],
      ["owner'x", valid, /params.ownerId: ids may contain/],
    ];
    for (const [owner, body, expected] of cases) {
      const r = await call('admin', 'PUT', `/v1/recipients/${encodeURIComponent(owner)}`, body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.json().error).toMatch(expected);
    }
    const notJson = await call('admin', 'PUT', '/v1/recipients/owner-x', undefined, '{"name":');
    expect(notJson.status).toBe(400);
    const huge = await call('admin', 'PUT', '/v1/recipients/owner-x', { ...valid, name: 'x'.repeat(2_000_000) });
    expect(huge.status).toBe(413);
    expect((await call('admin', 'GET', '/v1/recipients/owner-x')).status).toBe(404);
  });

  it('the audit log records the changes without the secret', async () => {
    await call('admin', 'PUT', '/v1/recipients/owner-c', valid);
    const until = new Date(Date.now() + 86_400_000).toISOString();
    const audit = await call(
      'admin',
      'GET',
      `/v1/audit?from=2026-01-01T00:00:00Z&to=${until}&keyId=${fx.keyIds.admin}&limit=1000`,
    );
    const puts = audit.json().entries.filter((e: any) => e.route === '/v1/recipients/:ownerId' && e.method === 'PUT');
    expect(puts.length).toBeGreaterThan(3);
    for (const e of puts) expect(e.parameters).not.toContain(secret.slice(6));
    expect(puts.some((e: any) => JSON.parse(e.parameters).body?.webhook?.secret === '[redacted]')).toBe(true);
  });
});
