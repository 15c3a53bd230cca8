/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * The console's Alerts page in headless Chromium against the api, the alert keeper, Kafka and
 * ClickHouse: the list with its badges, a live change (a new alert from the detector's topic, a
 * change made by another operator) appearing without a reload, the detail with its history, the
 * lifecycle buttons and the conflict shown when another operator won, an owner's read-only view
 * of their own platform, and the language switch changing every text. Screenshots go to
 * test-artifacts/.
 */
import { mkdirSync } from 'node:fs';
import { type AlertKeeper, getAlert, sendAlertCommands } from '@tracewatch/alerts';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { finding, findingCommand, fingerprintN, transitionCommand } from '../packages/alerts/src/testing/fixtures.js';
import { DICTIONARY } from '../packages/console/src/i18n.js';
import { type AlertScope, alertScope, keeperInProcess } from './support/alerts.js';
import { type ApiFixture, startApiFixture } from './support/api-fixture.js';
import { ensureChromium, openConsolePage } from './support/chromium.js';
import { waitFor } from './support/harness.js';
import { REPO_ROOT } from './support/servers.js';

const ARTIFACTS = `${REPO_ROOT}test-artifacts/`;
const CJK = /[\u3000-\u30ff\u4e00-\u9fff\uff00-\uffef]/;
const DAY1 = '2026-03-15T00:00:00.000Z';

let s: AlertScope;
let keeper: AlertKeeper;
let fx: ApiFixture;
let browser: Browser;
let page: Page;
const problems: string[] = [];

const FP = {
  burst: fingerprintN(0xe1),
  backfill: fingerprintN(0xe2),
  other: fingerprintN(0xe3),
  live: fingerprintN(0xe4),
  race: fingerprintN(0xe5),
} as const;

const EXPLANATION = {
  'zh-CN': '评估前 7 天的活动量是平时的 3.2 倍',
  en: 'activity in the 7 days before the evaluation was 3.2 times the usual',
};
const NOTE = '已电话核实';

/** Values from the data, shown as they are in either language (names, notes). */
const DATA_TEXTS = [NOTE, 'test-ops', 'test-admin', 'test-ownerA', 'system:detector'];

async function uiText(): Promise<string> {
  let text = await page.evaluate(() => {
    const extra = [...document.querySelectorAll('option, input[placeholder], textarea[placeholder]')]
      .map((e) => (e as HTMLInputElement).placeholder || e.textContent || '')
      .join('\n');
    return `${document.title}\n${document.body.innerText}\n${extra}`;
  });
  for (const d of DATA_TEXTS) text = text.replaceAll(d, '');
  return text;
}

const settled = () => page.waitForFunction(() => (document.body.dataset.busy ?? '0') === '0');
const live = () => page.waitForSelector('#alerts-live[data-state="live"]');
const rowState = (fp: string) =>
  page.getAttribute(`#alert-list tr[data-fingerprint="${fp}"]`, 'data-state').catch(() => null);

async function signIn(key: string) {
  if (!page.url().startsWith(fx.base)) await page.goto(fx.base);
  await page.evaluate(() => localStorage.setItem('tracewatch.lang', 'zh-CN'));
  await page.waitForSelector('#key-input, #key-forget');
  if (await page.$('#key-forget')) {
    await page.click('#key-forget');
    await page.waitForSelector('#key-input');
  }
  await page.fill('#key-input', key);
  await page.click('#key-submit');
  await page.waitForSelector('#key-status');
}

async function api(key: string, method: string, path: string, body?: unknown) {
  const r = await fetch(`${fx.base}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: r.status, json: (await r.json()) as any };
}

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  const executablePath = ensureChromium();
  s = await alertScope('api_alerts_console');
  keeper = await keeperInProcess(s);
  fx = await startApiFixture('api_alerts_console', { API_ALERT_COMMAND_TIMEOUT_MS: '90000' }, s.scope);
  await waitFor('api /readyz', async () => (await fetch(`${fx.base}/readyz`)).status === 200, 90_000);
  await sendAlertCommands(s.producer, s.scope.topicPrefix, [
    findingCommand(
      finding({
        fingerprint: FP.burst,
        scope: { kind: 'org', platformId: 'pA', orgId: 'o1' },
        explanation: EXPLANATION,
      }),
      DAY1,
    ),
    findingCommand(
      finding({
        fingerprint: FP.backfill,
        detector: 'backfill',
        rule: 'backfilled-share',
        severity: 'critical',
        scope: { kind: 'org', platformId: 'pA', orgId: 'o2' },
        explanation: { 'zh-CN': '补录比例异常', en: 'an unusual share of backfilled records' },
      }),
      DAY1,
    ),
    findingCommand(
      finding({
        fingerprint: FP.other,
        detector: 'under-dispersion',
        rule: 'dispersion',
        scope: { kind: 'org', platformId: 'pB', orgId: 'o3' },
      }),
      DAY1,
    ),
    findingCommand(
      finding({ fingerprint: FP.race, rule: 'race', scope: { kind: 'org', platformId: 'pA', orgId: 'o1' } }),
      DAY1,
    ),
  ]);
  await waitFor('the alerts stored', async () => {
    for (const fp of [FP.burst, FP.backfill, FP.other, FP.race]) if (!(await getAlert(s.store, fp))) return false;
    return true;
  });
  // The refused dismissal's 400 and the conflict's 409 are logged by the browser: expected.
  ({ browser, page } = await openConsolePage(executablePath, [400, 409], problems));
});

afterAll(async () => {
  await browser?.close();
  await fx?.stop();
  await keeper?.stop();
  await s?.close();
});

describe('console: Alerts', () => {
  it('is the first page: the list with severity and state badges, live', async () => {
    await signIn(fx.keys.ops);
    expect(await page.getAttribute('header nav a:first-child', 'id')).toBe('nav-alerts');
    await live();
    await page.waitForSelector(`#alert-list tr[data-fingerprint="${FP.burst}"]`);
    await settled();
    const rows = await page.$$eval('#alert-list tbody tr', (trs) =>
      trs.map((tr) => tr.getAttribute('data-fingerprint')),
    );
    expect(rows.sort()).toEqual([FP.burst, FP.backfill, FP.other, FP.race].sort());
    const backfillRow = `#alert-list tr[data-fingerprint="${FP.backfill}"]`;
    expect(await page.textContent(`${backfillRow} .severity-critical`)).toBe('严重');
    expect(await page.textContent(`${backfillRow} .state-open`)).toBe('待处理');
    expect(await page.textContent(backfillRow)).toContain('集中补录');
    expect(await page.textContent('#alerts-page')).toBe('第 1–4 条，共 4 条');
    expect(await page.textContent('#alerts-live')).toBe('实时更新中');
    await page.screenshot({ path: `${ARTIFACTS}alerts-zh-CN.png`, fullPage: true });
  });

  it('live: a new alert and another operator’s change appear without a reload', async () => {
    await page.evaluate(() => {
      (window as unknown as { notReloaded: boolean }).notReloaded = true;
    });
    await sendAlertCommands(s.producer, s.scope.topicPrefix, [
      findingCommand(
        finding({
          fingerprint: FP.live,
          detector: 'deadline-crunch',
          rule: 'crunch',
          scope: { kind: 'org', platformId: 'pA', orgId: 'o1' },
        }),
        DAY1,
      ),
    ]);
    await page.waitForSelector(`#alert-list tr.fresh[data-fingerprint="${FP.live}"]`);
    expect(await page.textContent(`#alert-list tr[data-fingerprint="${FP.live}"]`)).toContain('截止前突击');
    const ack = await api(fx.keys.admin, 'POST', `/v1/alerts/${FP.backfill}/acknowledge`, { note: NOTE });
    expect(ack.status).toBe(200);
    await page.waitForFunction(
      (fp) =>
        document.querySelector(`#alert-list tr[data-fingerprint="${fp}"]`)?.getAttribute('data-state') ===
        'acknowledged',
      FP.backfill,
    );
    expect(await page.textContent(`#alert-list tr[data-fingerprint="${FP.backfill}"] .state-acknowledged`)).toBe(
      '已确认收到',
    );
    expect(await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);
    expect(await page.textContent('#alerts-page')).toBe('第 1–5 条，共 5 条');
    await page.screenshot({ path: `${ARTIFACTS}alerts-live-zh-CN.png`, fullPage: true });
  });

  it('the detail with its history; an operator acknowledges; a dismissal without a reason is refused', async () => {
    await page.click(`#alert-list tr[data-fingerprint="${FP.burst}"]`);
    await page.waitForSelector('#alert-history');
    expect(await page.textContent('#alert-explanation')).toBe(EXPLANATION['zh-CN']);
    expect(await page.$$eval('#alert-history tbody tr', (trs) => trs.length)).toBe(1);
    expect(await page.textContent('#alert-history tbody tr')).toContain('新告警: 待处理');
    await page.fill('#alert-note', NOTE);
    await page.click('#alert-acknowledge');
    await page.waitForSelector('#alert-action-message.done');
    expect(await page.textContent('#alert-action-message')).toBe('已变更为“已确认收到”（版本 2）。');
    await page.waitForFunction(() => document.querySelectorAll('#alert-history tbody tr').length === 2);
    expect(await page.textContent('#alert-history tbody tr:nth-child(2)')).toContain(NOTE);
    expect(await rowState(FP.burst)).toBe('acknowledged');
    expect(await getAlert(s.store, FP.burst)).toMatchObject({ state: 'acknowledged', updatedBy: 'test-ops' });
    await page.click('#alert-dismiss');
    await page.waitForSelector('#alert-action-message.error');
    expect(await page.textContent('#alert-action-message')).toBe(DICTIONARY['zh-CN']['alerts.needsReason']);
    await page.screenshot({ path: `${ARTIFACTS}alerts-detail-zh-CN.png`, fullPage: true });
  });

  it('a conflict: another operator’s change wins while this one is on its way; the page says so', async () => {
    await page.click(`#alert-list tr[data-fingerprint="${FP.race}"]`);
    await page.waitForFunction((fp) => document.querySelector('#alert-detail-box code')?.textContent === fp, FP.race);
    // With the keeper stopped: another operator's acknowledgement, then this page's resolve,
    // both for version 1; the keeper then applies them in order.
    await keeper.stop();
    await sendAlertCommands(s.producer, s.scope.topicPrefix, [
      transitionCommand(FP.race, 'acknowledged', 1, { by: 'another.operator' }),
    ]);
    await page.click('#alert-resolve');
    await page.waitForFunction(() => Number(document.body.dataset.busy ?? '0') > 0);
    keeper = await keeperInProcess(s);
    await page.waitForSelector('#alert-action-message.error', { timeout: 120_000 });
    expect(await page.textContent('#alert-action-message')).toBe(
      DICTIONARY['zh-CN']['alerts.conflict'].replace('{version}', '2'),
    );
    expect(await getAlert(s.store, FP.race)).toMatchObject({ state: 'acknowledged', version: 2 });
    await page.screenshot({ path: `${ARTIFACTS}alerts-conflict-zh-CN.png`, fullPage: true });
  });

  it('the language switch changes every text, and back', async () => {
    await page.click('#lang-switch');
    await page.waitForSelector('#alert-history');
    await settled();
    const en = await uiText();
    expect(en.replace('中文', ''), 'Chinese left after switching to English').not.toMatch(CJK);
    expect(en).toContain('Alerts: live');
    expect(en).toContain('backfilling');
    expect(await page.textContent('#alerts-page')).toBe('Alerts 1–5 of 5');
    await page.screenshot({ path: `${ARTIFACTS}alerts-en.png`, fullPage: true });
    await page.click('#lang-switch');
    await page.waitForSelector('#alert-history');
    const zh = await uiText();
    const english = Object.entries(DICTIONARY.en).filter(
      ([k, v]) =>
        (k.startsWith('alerts.') ||
          k.startsWith('state.') ||
          k.startsWith('severity.') ||
          k.startsWith('change.') ||
          k.startsWith('detector.') ||
          k.startsWith('nav.')) &&
        v !== DICTIONARY['zh-CN'][k as keyof typeof DICTIONARY.en],
    );
    for (const [k, v] of english) {
      const literal = v
        .split(/\{\w+\}/)
        .map((x) => x.trim())
        .sort((a, b) => b.length - a.length)[0]!;
      if (literal.length > 3) expect(zh, `English text ${k} left after switching back`).not.toContain(literal);
    }
    expect(zh).toContain('告警：实时');
  });

  it('an owner sees only their platform’s alerts, read-only, and not another platform’s live changes', async () => {
    await signIn(fx.keys.ownerA);
    await live();
    await page.waitForSelector(`#alert-list tr[data-fingerprint="${FP.burst}"]`);
    await settled();
    const rows = await page.$$eval('#alert-list tbody tr', (trs) =>
      trs.map((tr) => tr.getAttribute('data-fingerprint')),
    );
    expect(rows).not.toContain(FP.other);
    expect(rows.length).toBe(4);
    expect((await api(fx.keys.ops, 'POST', `/v1/alerts/${FP.other}/acknowledge`)).status).toBe(200);
    expect((await api(fx.keys.ops, 'POST', `/v1/alerts/${FP.live}/acknowledge`)).status).toBe(200);
    // pB's change came first on the same stream: once pA's is shown, pB's would have been too.
    await page.waitForFunction(
      (fp) =>
        document.querySelector(`#alert-list tr[data-fingerprint="${fp}"]`)?.getAttribute('data-state') ===
        'acknowledged',
      FP.live,
    );
    expect(await page.$(`#alert-list tr[data-fingerprint="${FP.other}"]`)).toBeNull();
    await page.click(`#alert-list tr[data-fingerprint="${FP.live}"]`);
    await page.waitForSelector('#alert-history');
    expect(await page.$('#alert-actions button')).toBeNull();
    expect(await page.textContent('#alert-actions')).toBe(DICTIONARY['zh-CN']['alerts.readOnly']);
    await page.screenshot({ path: `${ARTIFACTS}alerts-owner-zh-CN.png`, fullPage: true });
  });

  it('no Content-Security-Policy violation and no script error', () => {
    expect(problems, problems.join('\n')).toEqual([]);
  });
});
