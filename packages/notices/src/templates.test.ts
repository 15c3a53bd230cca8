import { composeEmail } from '@tracewatch/delivery';
import { noticeWebhookBodySchema } from '@tracewatch/schema';
import { describe, expect, it } from 'vitest';
import { askedOf, composeNotice } from './compose.js';
import type { PlannedNotice } from './grouping.js';
import { renderNotice } from './templates.js';
import { alert } from './testing/fixtures.js';

const created = Date.parse('2026-12-02T05:00:00Z');
const plan: PlannedNotice = {
  ownerId: 'owner-a',
  kind: 'digest',
  slotMs: Date.parse('2026-12-02T01:00:00Z'),
  entries: [
    {
      alert: alert(1, { finding: { severity: 'critical' } }),
      change: 'new',
      changedAtMs: created - 60_000,
    },
    {
      alert: alert(2, {
        state: 'withdrawn',
        version: 3,
        finding: {
          detector: 'backfill',
          scope: { kind: 'org', platformId: 'plat-a', orgId: 'org-2' },
          explanation: { 'zh-CN': '补录比例异常 <b>', en: 'backfilled share too high <b>' },
        },
      }),
      change: 'withdrawn',
      changedAtMs: created - 120_000,
    },
  ],
};
const notice = composeNotice(plan, {
  id: 'ntc-1',
  number: '2026-000007',
  createdAtMs: created,
  previousNumber: '2026-000003',
  consoleUrl: 'http://console.example/',
  answerDays: 7,
});

describe('composeNotice', () => {
  it('makes a document an owner can act on', () => {
    expect(notice.platformIds).toEqual(['plat-a']);
    expect(notice.orgIds).toEqual(['org-1', 'org-2']);
    expect(notice.asked).toBe('explain');
    expect(notice.answerDeadline).toBe('2026-12-09T05:00:00.000Z');
    expect(notice.covers).toEqual({ from: '2026-12-02T04:58:00.000Z', to: '2026-12-02T04:59:00.000Z' });
    const [first] = notice.items;
    expect(first?.evidenceUrl).toBe(
      `http://console.example/#/inspect?platform=plat-a&org=org-1&from=2026-03-01&to=2026-03-14&alert=${alert(1).fingerprint}`,
    );
    expect(first?.keyNumbers).toEqual([
      { name: 'rateRatio', value: 3.2 },
      { name: 'pre', value: 120 },
      { name: 'baseline', value: 37.5 },
    ]);
    expect(first?.summary['zh-CN']).toContain('新发现');
    expect(first?.summary.en).toContain('New finding');
  });

  it('asks for rectification of what is confirmed, for nothing when all is closed', () => {
    const [a, b] = notice.items;
    if (!a || !b) throw new Error('two items expected');
    expect(askedOf([{ ...a, alertState: 'confirmed', change: 'confirmed' }, b])).toBe('rectify');
    expect(askedOf([b])).toBe('none');
    const closing = composeNotice(
      { ...plan, entries: plan.entries.slice(1) },
      {
        id: 'ntc-2',
        number: '2026-000008',
        createdAtMs: created,
        previousNumber: null,
        consoleUrl: 'http://console.example',
        answerDays: 7,
      },
    );
    expect(closing.answerDeadline).toBeNull();
  });
});

describe('renderNotice', () => {
  const rendered = renderNotice(notice);
  const email = composeEmail(rendered.parts, ['owner@example.org'], 'msg_1');

  it('says the number, the findings, their numbers and links in both languages (text)', () => {
    const [zh, en] = email.text.split('----------------------------------------');
    for (const part of [zh, en]) {
      expect(part).toContain('2026-000007');
      expect(part).toContain(notice.items[0]?.evidenceUrl);
      expect(part).toContain(notice.items[1]?.evidenceUrl);
      expect(part).toContain('rateRatio = 3.2');
      expect(part).toContain('2026-12-09 13:00 (UTC+8)');
    }
    expect(zh).toContain('评估前活动激增');
    expect(zh).toContain('已撤回');
    expect(zh).toContain('请就上述发现作出说明');
    expect(en).toContain('activity rose 3.2-fold before the evaluation');
    expect(en).toContain('Withdrawn');
    expect(en).toContain('Please explain the findings above');
    expect(email.subject).toBe(
      '【定期汇总通报】2026-000007 plat-a：2 项发现 / Periodic digest 2026-000007 (plat-a): 2 findings',
    );
  });

  it('escapes what comes from data in the HTML and links the evidence', () => {
    expect(email.html).toContain('补录比例异常 &lt;b&gt;');
    expect(email.html).not.toContain('<b>');
    expect(email.html).toContain(`<a href="${notice.items[0]?.evidenceUrl.replace(/&/g, '&amp;')}">`);
    expect(email.html).toContain('<section lang="zh-CN">');
    expect(email.html).toContain('<section lang="en">');
  });

  it('renders only the languages the owner reads', () => {
    const en = renderNotice(notice, ['en']);
    expect(en.parts.map((p) => p.language)).toEqual(['en']);
    expect(en.parts[0]?.text).not.toMatch(/[\u4e00-\u9fff]/);
  });

  it('gives a webhook body that parses back to the notice, the same bytes every time', () => {
    expect(noticeWebhookBodySchema.parse(JSON.parse(rendered.json)).data).toEqual(notice);
    expect(renderNotice(notice)).toEqual(rendered);
  });
});
