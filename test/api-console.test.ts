/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * The console in headless Chromium against the api on the real ClickHouse: the Inspect page
 * draws the series with its evaluation markers, the Platforms page its indicators and heatmap,
 * the language switch changes every text, and the CSP holds (no violation reported). Screenshots
 * go to test-artifacts/ (git-ignored).
 */
import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DICTIONARY } from '../packages/console/src/i18n.js';
import { type ApiFixture, FIXTURE_EVALUATIONS, startApiFixture } from './support/api-fixture.js';
import { ensureChromium, openConsolePage } from './support/chromium.js';
import { REPO_ROOT } from './support/servers.js';

const ARTIFACTS = `${REPO_ROOT}test-artifacts/`;
const CJK = /[\u3000-\u30ff\u4e00-\u9fff\uff00-\uffef]/;

let fx: ApiFixture;
let browser: Browser;
let page: Page;
const problems: string[] = [];

/** Values from the data (ids, names) that are shown as they are in either language. */
const DATA_TEXTS = [...FIXTURE_EVALUATIONS.map((e) => e.name), 'test-inspector', 'test-ownerA'];

/** The page's visible text and its chart texts (SVG), with the data values taken out. */
async function uiText(): Promise<string> {
  let text = await page.evaluate(() => {
    const svgTexts = [...document.querySelectorAll('svg text')].map((t) => t.textContent ?? '').join('\n');
    const buttons = [...document.querySelectorAll('option, input[placeholder]')]
      .map((e) => (e as HTMLInputElement).placeholder ?? e.textContent ?? '')
      .join('\n');
    return `${document.title}\n${document.body.innerText}\n${svgTexts}\n${buttons}`;
  });
  for (const d of DATA_TEXTS) text = text.replaceAll(d, '');
  return text;
}

/** Waits until no query is in flight (the console counts them on <body data-busy>). */
const settled = () => page.waitForFunction(() => (document.body.dataset.busy ?? '0') === '0');

async function query(prefix: string, platformId: string, from: string, to: string) {
  // Alerts is the first page: go to this one when not there.
  if (!(await page.$(`#${prefix}-form`))) await page.click(`#nav-${prefix}`);
  await page.waitForSelector(`#${prefix}-form`);
  await settled();
  await page.selectOption(`#${prefix}-platform`, platformId);
  await page.fill(`#${prefix}-from`, from);
  await page.fill(`#${prefix}-to`, to);
  await page.click(`#${prefix}-run`);
  await page.waitForFunction(
    () => Number(document.body.dataset.busy ?? '0') > 0 || document.querySelector('.chart svg, .error'),
  );
  await settled();
}

/** Signs out (the console's own button) when signed in, then enters `key`; the console in zh-CN. */
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

const svgTexts = (selector: string) => page.$$eval(`${selector} svg text`, (ts) => ts.map((t) => t.textContent ?? ''));

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  const executablePath = ensureChromium();
  fx = await startApiFixture('api_console');
  // Refused requests (the wrong key's 401, the ops key's 403) are logged by the browser: expected.
  ({ browser, page } = await openConsolePage(executablePath, [401, 403], problems));
});

afterAll(async () => {
  await browser?.close();
  await fx?.stop();
});

describe('console', () => {
  it('asks for a key, refuses a wrong one, keeps a right one in sessionStorage only', async () => {
    await page.goto(fx.base);
    await page.fill('#key-input', `${fx.keys.inspector}x`);
    await page.click('#key-submit');
    await page.waitForSelector('#key-form .error');
    expect(await page.textContent('#key-form .error')).toBe(DICTIONARY['zh-CN']['key.invalid']);
    await signIn(fx.keys.inspector);
    expect(await page.evaluate(() => sessionStorage.getItem('tracewatch.key'))).toBe(fx.keys.inspector);
    expect(await page.evaluate(() => localStorage.getItem('tracewatch.key'))).toBeNull();
  });

  it('Inspect: the daily series with evaluation markers, the evaluations, and no suspicious period (none stored)', async () => {
    await signIn(fx.keys.inspector);
    await query('inspect', 'pA', '2026-03-01', '2026-03-11');
    await page.waitForSelector('#evaluation-list');
    await page.waitForSelector('#series-chart svg');
    const texts = await svgTexts('#series-chart');
    expect(texts).toContain('每日留痕量');
    expect(texts).toContain('按声称时间');
    expect(texts).toContain('评估: 一网通办 季度考核'); // the marker of ev-a, on 03-08
    expect(texts).toContain('评估: province-wide audit');
    expect(texts).toContain('2026-03-08');
    const rows = await page.$$eval('#evaluation-list tbody tr', (trs) =>
      trs.map((tr) => tr.firstElementChild?.textContent),
    );
    expect(rows).toEqual(['ev-a', 'ev-all']);
    expect(await page.textContent('#evaluation-list tbody tr td:nth-child(5)')).toBe('2026-03-08 00:00');
    expect(await page.textContent('#series-extent')).toContain('2026-03-01 至 2026-03-10');
    expect(await page.textContent('#no-periods')).toBe(DICTIONARY['zh-CN']['inspect.noPeriods']);
    await page.screenshot({ path: `${ARTIFACTS}inspect-zh-CN.png`, fullPage: true });
  });

  it('the language switch changes every text of the Inspect page, and back', async () => {
    await page.click('#lang-switch');
    await page.waitForSelector('#series-chart svg');
    const en = await uiText();
    expect(en.replace('中文', ''), 'Chinese left after switching to English').not.toMatch(CJK);
    expect(en).toContain('Traces per day');
    expect(await svgTexts('#series-chart')).toContain('evaluation: province-wide audit');
    expect(en).toContain(DICTIONARY.en['inspect.noPeriods']);
    await page.screenshot({ path: `${ARTIFACTS}inspect-en.png`, fullPage: true });
    await page.click('#lang-switch');
    await page.waitForSelector('#series-chart svg');
    const zh = await uiText();
    const english = Object.entries(DICTIONARY.en).filter(
      ([k, v]) =>
        v !== DICTIONARY['zh-CN'][k as keyof typeof DICTIONARY.en] &&
        k !== 'lang.switch' &&
        v.length > 3 &&
        !DICTIONARY['zh-CN'][k as keyof typeof DICTIONARY.en].includes(v),
    );
    for (const [k, v] of english) {
      // The longest literal part of the text (placeholders hold data).
      const literal = v
        .split(/\{\w+\}/)
        .map((x) => x.trim())
        .sort((a, b) => b.length - a.length)[0]!;
      if (literal.length > 3) expect(zh, `English text ${k} left after switching back`).not.toContain(literal);
    }
    expect(zh).toContain('English');
  });

  it('Platforms: the reality indicators and the hour × weekday heatmap', async () => {
    await page.click('#nav-platforms');
    await query('platforms', 'pA', '2026-03-01', '2026-03-11');
    await page.waitForSelector('#heatmap-chart svg');
    expect(await page.textContent('#ind-registered .value')).toBe('4');
    expect(await page.textContent('#ind-reported .value')).toBe('150');
    expect(await page.textContent('#ind-active-public .value')).toBe('3');
    expect(await page.textContent('#ind-dau .value')).toBe('1.30');
    expect(await page.textContent('#ind-public-share .value')).toBe('66.7 %');
    expect(await page.textContent('#ind-tasks-met .value')).toBe('66.7 %');
    expect(await page.textContent('#ind-median-taken .value')).toBe('9.5 小时');
    const heat = await svgTexts('#heatmap-chart');
    expect(heat).toEqual(expect.arrayContaining(['活动时段分布（星期 × 小时，北京时间）', '周一', '周日', '23']));
    // 15 weekday × hour cells hold events (see the api test); each is drawn as a filled path.
    const cells = await page.$$eval(
      '#heatmap-chart svg path',
      (ps) => ps.filter((p) => /fill/.test(p.outerHTML)).length,
    );
    expect(cells).toBeGreaterThanOrEqual(15);
    expect(await svgTexts('#department-chart')).toEqual(expect.arrayContaining(['o1', 'o2']));
    await page.screenshot({ path: `${ARTIFACTS}platforms-zh-CN.png`, fullPage: true });
    await page.click('#lang-switch');
    await page.waitForSelector('#heatmap-chart svg');
    const en = await uiText();
    expect(en.replace('中文', ''), 'Chinese left on the Platforms page in English').not.toMatch(CJK);
    expect(en).toContain('Activity by weekday × hour (Beijing time)');
    expect(await page.textContent('#ind-median-taken .value')).toBe('9.5 h');
    await page.screenshot({ path: `${ARTIFACTS}platforms-en.png`, fullPage: true });
    await page.click('#lang-switch');
  });

  it('an owner is offered only their platforms; a role without inspection is told so in its language', async () => {
    await signIn(fx.keys.ownerA);
    await page.click('#nav-inspect');
    await page.waitForSelector('#inspect-platform');
    const options = await page.$$eval('#inspect-platform option', (os) =>
      os.map((o) => (o as HTMLOptionElement).value),
    );
    expect(options).toEqual(['', 'pA']);
    await signIn(fx.keys.ops);
    await page.click('#nav-inspect');
    await page.waitForSelector('#page-inspect .error');
    expect(await page.textContent('#page-inspect .error')).toBe(DICTIONARY['zh-CN']['error.403']);
  });

  it('no Content-Security-Policy violation and no script error on any page', () => {
    expect(problems, problems.join('\n')).toEqual([]);
  });
});
