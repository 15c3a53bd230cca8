/**
 * The owners' notice routes on the real ClickHouse: owners see only their platforms' notices by
 * every route (list, filters, one notice, acknowledge, answer), acknowledge and answer
 * (explanation or rectification with links); inspectors, ops and admins read notices and the
 * answers; answering is the owner's alone; bad input is a 400 naming what was wrong.
 */
import { storeNotice } from '@tracewatch/notices';
import type { Notice } from '@tracewatch/schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiFixture, type KeyName, startApiFixture } from './support/api-fixture.js';
import { waitFor } from './support/harness.js';

let fx: ApiFixture;

async function call(who: KeyName | undefined, method: string, path: string, body?: unknown) {
  const headers: Record<string, string> = {};
  if (who) headers.authorization = `Bearer ${fx.keys[who]}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const r = await fetch(`${fx.base}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await r.text();
  return { status: r.status, text, json: () => JSON.parse(text) };
}

function notice(
  id: string,
  number: string,
  ownerId: string,
  platformId: string,
  createdAt: string,
  asked: Notice['asked'],
): Notice {
  return {
    schemaVersion: 1,
    id,
    number,
    ownerId,
    kind: 'immediate',
    createdAt,
    covers: { from: '2026-03-01T00:00:00.000Z', to: createdAt },
    platformIds: [platformId],
    orgIds: ['o1'],
    items: [
      {
        fingerprint: id
          .replace(/[^0-9]/g, '')
          .padStart(32, 'a')
          .slice(-32),
        detector: 'burst-before-evaluation',
        severity: 'critical',
        alertState: 'open',
        alertVersion: 1,
        change: 'new',
        platformId,
        orgId: 'o1',
        period: { start: '2026-03-01', end: '2026-03-07' },
        summary: {
          'zh-CN': '考核前活动量为基线的 3.4 倍',
          en: 'activity 3.4 times its baseline before the assessment',
        },
        keyNumbers: [{ name: 'rateRatio', value: 3.4 }],
        pValue: 0.0001,
        qValue: 0.001,
        evidenceUrl: `http://127.0.0.1:8080/#/inspect?platformId=${platformId}`,
      },
    ],
    asked,
    answerDeadline: asked === 'none' ? null : '2026-03-20T00:00:00.000Z',
    previousNumber: null,
  };
}

beforeAll(async () => {
  fx = await startApiFixture('notices');
  await waitFor('api /readyz', async () => (await fetch(`${fx.base}/readyz`)).status === 200);
  await storeNotice(fx.store, notice('nt-a1', '2026-000001', 'owner-a', 'pA', '2026-03-08T01:00:00.000Z', 'explain'));
  await storeNotice(fx.store, notice('nt-a2', '2026-000003', 'owner-a', 'pA', '2026-03-09T01:00:00.000Z', 'none'));
  await storeNotice(fx.store, notice('nt-b1', '2026-000002', 'owner-b', 'pB', '2026-03-08T02:00:00.000Z', 'rectify'));
});
afterAll(async () => {
  await fx?.stop();
});

const ids = (r: { json: () => any }) => r.json().notices.map((v: any) => v.notice.id);

describe('notices', () => {
  it('owners list only their platforms’ notices; the others list all', async () => {
    expect(ids(await call('ownerA', 'GET', '/v1/notices'))).toEqual(['nt-a2', 'nt-a1']);
    expect(ids(await call('ownerB', 'GET', '/v1/notices'))).toEqual(['nt-b1']);
    for (const who of ['inspector', 'ops', 'admin'] as const) {
      const r = await call(who, 'GET', '/v1/notices');
      expect(r.status).toBe(200);
      expect(ids(r)).toEqual(['nt-a2', 'nt-b1', 'nt-a1']);
      expect(r.json().total).toBe(3);
    }
    // A filter naming another owner's platform is the same 404 as an unknown one.
    const cross = await call('ownerB', 'GET', '/v1/notices?platformId=pA');
    expect(cross.status).toBe(404);
    expect(ids(await call('ownerA', 'GET', '/v1/notices?platformId=pA&status=unanswered'))).toEqual(['nt-a1']);
    expect(ids(await call('ownerA', 'GET', '/v1/notices?orgId=o1&limit=1'))).toEqual(['nt-a2']);
  });

  it('one notice in full, by id or number; another owner’s is 404 by every route', async () => {
    const byId = await call('ownerA', 'GET', '/v1/notices/nt-a1');
    expect(byId.status).toBe(200);
    expect(byId.json()).toMatchObject({
      notice: { number: '2026-000001', asked: 'explain' },
      answers: [],
      acknowledgement: null,
    });
    expect(byId.json().notice.items[0].summary['zh-CN']).toContain('3.4');
    expect((await call('ownerA', 'GET', '/v1/notices/2026-000001')).json().notice.id).toBe('nt-a1');
    for (const [method, path, body] of [
      ['GET', '/v1/notices/nt-b1'],
      ['GET', '/v1/notices/2026-000002'],
      ['POST', '/v1/notices/nt-b1/acknowledgement'],
      ['POST', '/v1/notices/nt-b1/answers', { kind: 'explanation', text: 'not mine' }],
    ] as const) {
      const r = await call('ownerA', method, path, body);
      expect(r.status, `${method} ${path}`).toBe(404);
      expect(r.json().error).toMatch(/among the notices this key may see/);
      expect(r.text).not.toContain('rectify');
    }
    expect((await call('inspector', 'GET', '/v1/notices/nt-b1')).json().acknowledgement).toBeNull();
  });

  it('the owner acknowledges (once) and answers with links; inspectors and ops read the answer', async () => {
    const ack = await call('ownerA', 'POST', '/v1/notices/nt-a1/acknowledgement');
    expect(ack.status, ack.text).toBe(200);
    expect(ack.json()).toMatchObject({ noticeId: 'nt-a1', by: 'test-ownerA' });
    const again = await call('ownerA', 'POST', '/v1/notices/2026-000001/acknowledgement');
    expect(again.json()).toEqual(ack.json());

    const answer = await call('ownerA', 'POST', '/v1/notices/nt-a1/answers', {
      kind: 'explanation',
      text: '考核前为集中办理的专项活动，附通知文件。',
      attachments: [{ url: 'https://owner.example.org/docs/campaign.pdf', title: '专项活动通知' }],
    });
    expect(answer.status, answer.text).toBe(201);
    expect(answer.json()).toMatchObject({ noticeId: 'nt-a1', kind: 'explanation', by: 'test-ownerA' });
    const rectify = await call('ownerB', 'POST', '/v1/notices/nt-b1/answers', {
      kind: 'rectification',
      text: '已整改',
    });
    expect(rectify.status).toBe(201);
    expect(rectify.json().attachments).toEqual([]);

    for (const who of ['inspector', 'ops', 'admin'] as const) {
      const view = (await call(who, 'GET', '/v1/notices/nt-a1')).json();
      expect(view.answers.map((a: any) => [a.kind, a.text, a.attachments[0]?.url])).toEqual([
        ['explanation', '考核前为集中办理的专项活动，附通知文件。', 'https://owner.example.org/docs/campaign.pdf'],
      ]);
      expect(view.acknowledgement.by).toBe('test-ownerA');
    }
    expect(ids(await call('inspector', 'GET', '/v1/notices?status=answered'))).toEqual(['nt-b1', 'nt-a1']);
  });

  it('only owners acknowledge and answer; a missing key is 401', async () => {
    for (const who of ['inspector', 'ops', 'admin'] as const) {
      expect((await call(who, 'POST', '/v1/notices/nt-a1/acknowledgement')).status).toBe(403);
      expect((await call(who, 'POST', '/v1/notices/nt-a1/answers', { kind: 'explanation', text: 'x' })).status).toBe(
        403,
      );
    }
    expect((await call(undefined, 'GET', '/v1/notices')).status).toBe(401);
  });

  it('bad input is a 400 naming what was wrong', async () => {
    const post = (body: unknown) => call('ownerA', 'POST', '/v1/notices/nt-a1/answers', body);
    const cases: [Promise<{ status: number; json: () => any }>, RegExp][] = [
      [post({ kind: 'excuse', text: 'x' }), /kind/],
      [post({ kind: 'explanation', text: '   ' }), /an answer needs a text/],
      [post({ kind: 'explanation', text: 'x', attachments: [{ url: 'javascript:alert(1)' }] }), /attachments/],
      [post({ kind: 'explanation', text: 'x', extra: 1 }), /extra/],
      [call('ownerA', 'GET', "/v1/notices/nt'a1"), /notice/],
      [call('ownerA', 'GET', '/v1/notices?status=late'), /status/],
      [call('ownerA', 'GET', '/v1/notices?limit=100000'), /limit/],
      [call('ownerA', 'GET', '/v1/notices?from=2026-03-09T00:00:00Z&to=2026-03-01T00:00:00Z'), /to must be after from/],
      [call('ownerA', 'GET', "/v1/notices?platformId=pA' OR 1=1"), /platformId/],
    ];
    for (const [pending, expected] of cases) {
      const r = await pending;
      expect(r.status).toBe(400);
      expect(r.json().error).toMatch(expected);
    }
  });
});
