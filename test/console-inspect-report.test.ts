/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * The console's inspection pages in headless Chromium against the api on the real ClickHouse,
 * with stored findings: suspicious periods shaded on the series, a click (on the shading or
 * the list) shows the period's findings and a finding's evidence records; the Ranking page;
 * the numbers of the heatmap's scale; the printable report printed to an A4 PDF in zh-CN and
 * en (pages, size and text checked; pages rendered to PNG); the language switch changes every
 * text; owners see only their own. Screenshots, PDFs and PNGs go to test-artifacts/.
 */
import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DICTIONARY } from '../packages/console/src/i18n.js';
import { type ApiFixture, FIXTURE_EVALUATIONS, startApiFixture } from './support/api-fixture.js';
import { ensureChromium, openConsolePage } from './support/chromium.js';
import { FINDING, FINDING_EXPLANATIONS, seedFindings } from './support/findings-fixture.js';
import { ensurePoppler, pdfInfo, pdfText, pdfToPngs } from './support/poppler.js';
import { REPO_ROOT } from './support/servers.js';

const ARTIFACTS = `${REPO_ROOT}test-artifacts/`;
const CJK = /[\u3000-\u30ff\u4e00-\u9fff\uff00-\uffef]/;
/** A4 is 210 × 297 mm = 595 × 842 pt; Chromium rounds the paper size to its own units (within 1 pt). */
const A4 = { widthPt: 595.28, heightPt: 841.89 };
const isA4 = (i: { widthPt: number; heightPt: number }) =>
  Math.abs(i.widthPt - A4.widthPt) < 1 && Math.abs(i.heightPt - A4.heightPt) < 1;

let fx: ApiFixture;
let browser: Browser;
let page: Page;
const problems: string[] = [];

/** Values from the data (names, ids) that are shown as they are in either language. */
const DATA_TEXTS = [...FIXTURE_EVALUATIONS.map((e) => e.name), 'test-inspector', 'test-ownerA', 'pre-evaluation'];
const stripData = (text: string) => DATA_TEXTS.reduce((s, d) => s.replaceAll(d, ''), text);

async function uiText(): Promise<string> {
  const text = await page.evaluate(() => {
    const svg = [...document.querySelectorAll('svg text')].map((t) => t.textContent ?? '').join('\n');
    const options = [...document.querySelectorAll('option, input[placeholder]')]
      .map((e) => (e as HTMLInputElement).placeholder ?? e.textContent ?? '')
      .join('\n');
    return `${document.title}\n${document.body.innerText}\n${svg}\n${options}`;
  });
  return stripData(text);
}

/** English dictionary texts left on a page that should be all Chinese. */
function englishLeft(zh: string): string[] {
  const left: string[] = [];
  for (const [k, v] of Object.entries(DICTIONARY.en)) {
    const z = DICTIONARY['zh-CN'][k as keyof typeof DICTIONARY.en];
    if (v === z || k === 'lang.switch' || z.includes(v)) continue;
    const literal = v
      .split(/\{\w+\}/)
      .map((x) => x.trim())
      .sort((a, b) => b.length - a.length)[0]!;
    if (literal.length > 3 && zh.includes(literal)) left.push(`${k}: ${literal}`);
  }
  return left;
}

const settled = () => page.waitForFunction(() => (document.body.dataset.busy ?? '0') === '0');
const svgTexts = (selector: string) => page.$$eval(`${selector} svg text`, (ts) => ts.map((t) => t.textContent ?? ''));

async function signIn(key: string) {
  if (!page.url().startsWith(fx.base)) await page.goto(fx.base);
  await page.evaluate(() => localStorage.setItem('tracewatch.lang', 'zh-CN'));
  await page.goto(`${fx.base}/#/inspect`);
  await page.waitForSelector('#key-input, #key-forget');
  if (await page.$('#key-forget')) {
    await page.click('#key-forget');
    await page.waitForSelector('#key-input');
  }
  await page.fill('#key-input', key);
  await page.click('#key-submit');
  await page.waitForSelector('#key-status');
  // Forgetting a key starts afresh on the default page (Alerts): come back to Inspect.
  await page.goto(`${fx.base}/#/inspect`);
  await settled();
}

async function switchLanguage() {
  await page.click('#lang-switch');
  await settled();
}

/** Switches only when the console is not in `lang` already (a failed test leaves no trap). */
async function setLanguage(lang: 'zh-CN' | 'en') {
  if ((await page.evaluate(() => document.documentElement.lang)) !== lang) await switchLanguage();
}

async function inspect(platformId: string, from: string, to: string) {
  await page.waitForSelector('#inspect-form');
  await settled();
  await page.selectOption('#inspect-platform', platformId);
  await page.fill('#inspect-from', from);
  await page.fill('#inspect-to', to);
  await page.click('#inspect-run');
  await page.waitForSelector('#periods');
  await settled();
}

/** The orange shadings of the suspicious periods in the chart's SVG, left to right. */
async function periodShadings(selector: string) {
  return page.$$eval(`${selector} svg path`, (ps) =>
    ps
      .filter((p) => p.getAttribute('fill') === 'rgb(243,156,18)' && Number(p.getAttribute('fill-opacity')) < 0.5)
      .map((p) => {
        const r = p.getBoundingClientRect();
        return { x: r.x + r.width / 2, y: r.y + r.height / 2, width: r.width };
      })
      .sort((a, b) => a.x - b.x),
  );
}

async function printReport(lang: 'zh-CN' | 'en') {
  const pdf = `${ARTIFACTS}report-${lang}.pdf`;
  await page.emulateMedia({ media: 'print' });
  await page.pdf({ path: pdf, format: 'A4', printBackground: true });
  await page.emulateMedia({ media: 'screen' });
  pdfToPngs(pdf, `${ARTIFACTS}report-${lang}-page`);
  return { info: pdfInfo(pdf), text: pdfText(pdf) };
}

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  const executablePath = ensureChromium();
  ensurePoppler();
  fx = await startApiFixture('console_inspect');
  await seedFindings(fx.store);
  // The owner's refused report (404) is logged by the browser: expected.
  ({ browser, page } = await openConsolePage(executablePath, [404], problems));
});

afterAll(async () => {
  await browser?.close();
  await fx?.stop();
});

describe('Inspect: suspicious periods and their evidence', () => {
  it('shades the periods on the series and lists them', async () => {
    await signIn(fx.keys.inspector);
    await inspect('pA', '2026-03-01', '2026-03-11');
    await page.waitForSelector('#series-chart svg');
    const texts = await svgTexts('#series-chart');
    expect(texts).toEqual(expect.arrayContaining(['可疑 1', '可疑 2', '可疑时段', '每日留痕量']));
    const shadings = await periodShadings('#series-chart');
    expect(shadings).toHaveLength(2);
    // 03-01..03-07 is seven of ten days; 03-09..03-10 two.
    expect(shadings[0]!.width / shadings[1]!.width).toBeGreaterThan(2);
    const list = await page.$$eval('#period-list button', (bs) => bs.map((b) => b.textContent ?? ''));
    expect(list).toHaveLength(2);
    expect(list[0]).toContain('可疑时段 1：2026-03-01 至 2026-03-07');
    expect(list[0]).toContain('严重 · 3 项发现 · 集中补录、评估前激增、截止前突击');
    expect(list[1]).toContain('可疑时段 2：2026-03-09 至 2026-03-10');
  });

  it('a click on a shading shows that period’s findings', async () => {
    const [, second] = await periodShadings('#series-chart');
    await page.mouse.click(second!.x, second!.y);
    await page.waitForSelector('#period-detail');
    expect(await page.textContent('#period-detail h3')).toBe('可疑时段 2：2026-03-09 至 2026-03-10');
    const fps = await page.$$eval('#period-detail .finding', (fs) => fs.map((f) => f.getAttribute('data-fingerprint')));
    expect(fps).toEqual([FINDING.F5]);
  });

  it('a click on a listed period shows its findings; a finding’s evidence shows the raw records', async () => {
    await page.click('#period-0');
    await page.waitForSelector('#period-detail');
    const fps = await page.$$eval('#period-detail .finding', (fs) => fs.map((f) => f.getAttribute('data-fingerprint')));
    expect(fps).toEqual([FINDING.F1, FINDING.F3, FINDING.F2]);
    const first = await page.textContent(`.finding[data-fingerprint="${FINDING.F1}"]`);
    expect(first).toContain('评估前激增（率比检验）');
    expect(first).toContain(FINDING_EXPLANATIONS[FINDING.F1]!['zh-CN']);
    expect(first).toContain('rateRatio = 3.4');
    expect(first).toContain('4.0e-4 / 0.0012');
    await page.click(`.finding[data-fingerprint="${FINDING.F2}"] .show-evidence`);
    await page.waitForSelector('#evidence-records');
    await settled();
    expect(await page.textContent('#evidence h3')).toBe('证据：集中补录（二项检验）');
    expect(await page.textContent('#evidence-selection')).toContain('记录晚于声称时间 24 小时以上');
    const records = await page.$$eval('#evidence-records tbody tr', (trs) =>
      trs.map((tr) => [...tr.children].map((td) => td.textContent)),
    );
    expect(records).toEqual([
      ['case-s1-3', '2026-03-03 11:00', '2026-03-06 11:00', '72', 'o1', 's1', '工作人员', 'case.close', ''],
    ]);
    expect(await page.textContent('#evidence-days tbody')).toContain('2026-03-06');
    expect(await page.getAttribute('#evidence-next', 'disabled')).not.toBeNull();
    await page.screenshot({ path: `${ARTIFACTS}inspect-periods-zh-CN.png`, fullPage: true });
  });

  it('the language switch changes every text, the findings’ and evidence’s included, and back', async () => {
    await switchLanguage();
    await page.waitForSelector('#evidence-records');
    const en = await uiText();
    expect(en.replace('中文', ''), 'Chinese left after switching to English').not.toMatch(CJK);
    expect(await page.textContent('#period-detail h3')).toBe('Suspicious period 1: 2026-03-01 to 2026-03-07');
    expect(await page.textContent(`.finding[data-fingerprint="${FINDING.F1}"] .explanation`)).toBe(
      FINDING_EXPLANATIONS[FINDING.F1]!.en,
    );
    expect(await page.textContent('#evidence h3')).toBe('Evidence: Backfilling (binomial test)');
    expect(await svgTexts('#series-chart')).toEqual(expect.arrayContaining(['suspicious 1', 'Suspicious periods']));
    await page.screenshot({ path: `${ARTIFACTS}inspect-periods-en.png`, fullPage: true });
    await switchLanguage();
    await page.waitForSelector('#evidence-records');
    const zh = await uiText();
    expect(englishLeft(zh), 'English left after switching back').toEqual([]);
  });
});

describe('the inspection report', () => {
  let auditRequestId = '';
  it('shows the scope, range, extent, query and generation times, who asked and the audit entry', async () => {
    await setLanguage('zh-CN');
    await page.click('#open-report');
    await page.waitForSelector('#report #report-chart svg');
    await settled();
    expect(await page.textContent('#report-scope')).toBe('平台 pA · 单位 全部');
    expect(await page.textContent('#report-range')).toBe('2026-03-01 至 2026-03-11（不含），按 Asia/Shanghai 计日');
    expect(await page.textContent('#report-extent')).toBe('2026-03-01 – 2026-03-10');
    expect(await page.textContent('#report-totals')).toBe('按声称时间 21 条；按记录时间 21 条，其中补录 1 条');
    expect(await page.textContent('#report-requested')).toBe('test-inspector（检查人员）');
    expect(await page.textContent('#report-summary')).toBe('2 个可疑时段，共 4 项发现');
    expect(await page.$$eval('#report .finding', (fs) => fs.length)).toBe(4);
    expect(await svgTexts('#report-chart')).toEqual(expect.arrayContaining(['可疑 1', '可疑 2']));
    auditRequestId = (await page.textContent('#report-audit')) ?? '';
    expect(auditRequestId).not.toBe('');
    await page.screenshot({ path: `${ARTIFACTS}report-zh-CN.png`, fullPage: true });
    // The request the report names is in the audit log, as the inspector's.
    const from = new Date(Date.now() - 600_000).toISOString();
    const to = new Date(Date.now() + 86_400_000).toISOString();
    const r = await fetch(`${fx.base}/v1/audit?from=${from}&to=${to}&keyId=${fx.keyIds.inspector}&limit=1000`, {
      headers: { authorization: `Bearer ${fx.keys.admin}` },
    });
    const entry = ((await r.json()) as { entries: any[] }).entries.find((e) => e.requestId === auditRequestId);
    expect(entry).toMatchObject({ route: '/v1/inspect/report', role: 'inspector', status: 200 });
    expect(JSON.parse(entry.parameters).query).toMatchObject({
      platformId: 'pA',
      from: '2026-03-01',
      to: '2026-03-11',
    });
  });

  it('prints to a sensible A4 PDF in zh-CN: pages, size and text', async () => {
    const { info, text } = await printReport('zh-CN');
    expect(isA4(info), JSON.stringify(info)).toBe(true);
    expect(info.pages).toBeGreaterThanOrEqual(1);
    expect(info.pages).toBeLessThanOrEqual(4);
    const flat = text.replace(/\s+/g, '');
    for (const s of [
      '检查报告',
      '评估前激增（率比检验）',
      '集中补录（二项检验）',
      '报告生成时间',
      '审计记录编号',
      'test-inspector',
      '2026-03-01–2026-03-10',
      '率比3.4',
    ])
      expect(flat, s).toContain(s.replace(/\s+/g, ''));
    expect(flat).toContain(auditRequestId);
    // The screen's navigation and buttons are not printed.
    expect(flat).not.toContain(DICTIONARY['zh-CN']['report.print'] + DICTIONARY['zh-CN']['report.back']);
    expect(flat).not.toContain(DICTIONARY['zh-CN']['nav.platforms']);
  });

  it('in English by the switch, every text changes; the PDF too', async () => {
    await setLanguage('zh-CN');
    await switchLanguage();
    await page.waitForSelector('#report #report-chart svg');
    expect(await page.textContent('#report-scope')).toBe('Platform pA · Unit all');
    const en = await uiText();
    expect(en.replace('中文', ''), 'Chinese left on the report in English').not.toMatch(CJK);
    await page.screenshot({ path: `${ARTIFACTS}report-en.png`, fullPage: true });
    const { info, text } = await printReport('en');
    expect(isA4(info), JSON.stringify(info)).toBe(true);
    expect(info.pages).toBeLessThanOrEqual(4);
    expect(stripData(text)).not.toMatch(CJK);
    for (const s of [
      'Inspection report',
      'Burst before an evaluation (rate-ratio test)',
      'Report generated at',
      'Requested by',
    ])
      expect(text.replace(/\s+/g, ' '), s).toContain(s);
    await switchLanguage();
  });
});

describe('Ranking and Platforms', () => {
  it('ranks units by confirmed and open findings with their indicators and overdue notices (none here)', async () => {
    await page.goto(`${fx.base}/#/ranking`);
    await page.waitForSelector('#ranking-form');
    await settled();
    await setLanguage('zh-CN');
    await page.fill('#ranking-from', '2026-03-01');
    await page.fill('#ranking-to', '2026-03-11');
    await page.click('#ranking-run');
    await page.waitForSelector('#ranking-table');
    await settled();
    const rows = await page.$$eval('#ranking-table tbody tr', (trs) =>
      trs.map((tr) => [...tr.children].slice(0, 7).map((td) => td.textContent)),
    );
    expect(rows).toEqual([
      ['1', 'pA', 'o1', '1', '2', '1', '0'],
      ['2', 'pB', 'o3', '0', '1', '1', '0'],
      ['3', 'pA', 'o2', '0', '1', '0', '0'],
    ]);
    expect(await page.textContent('#ranking-table tbody tr:first-child')).toContain('77.8 %'); // 14 of 18 public
    expect(await page.$('#ranking-overdue-note'), 'no "not connected" note once notices are wired').toBeNull();
    await page.screenshot({ path: `${ARTIFACTS}ranking-zh-CN.png`, fullPage: true });
    await page.selectOption('#ranking-level', 'platform');
    await page.click('#ranking-run');
    await page.waitForFunction(() => document.querySelectorAll('#ranking-table thead th').length === 12);
    await settled();
    expect(
      await page.$$eval('#ranking-table tbody tr', (trs) => trs.map((tr) => tr.getAttribute('data-platform'))),
    ).toEqual(['pA', 'pB']);
    await switchLanguage();
    const en = await uiText();
    expect(en.replace('中文', ''), 'Chinese left on the Ranking page in English').not.toMatch(CJK);
    expect(en).toContain('Overdue notices');
    await page.screenshot({ path: `${ARTIFACTS}ranking-en.png`, fullPage: true });
    await switchLanguage();
  });

  it('the heatmap’s colour scale carries its numbers', async () => {
    await setLanguage('zh-CN');
    await page.click('#nav-platforms');
    await page.waitForSelector('#platforms-form');
    await settled();
    await page.selectOption('#platforms-platform', 'pA');
    await page.fill('#platforms-from', '2026-03-01');
    await page.fill('#platforms-to', '2026-03-11');
    await page.click('#platforms-run');
    await page.waitForSelector('#heatmap-chart svg');
    await settled();
    const texts = await svgTexts('#heatmap-chart');
    expect(texts).toContain('每格留痕数  0');
    // The busiest weekday × hour cell of pA in the range holds 3 traces (Sunday 03-01 10:00: u1..u3's registrations … by the api test's counts).
    const max = Math.max(...texts.filter((x) => /^\d+$/.test(x)).map(Number));
    expect(max).toBeGreaterThan(0);
    await page.screenshot({ path: `${ARTIFACTS}platforms-heatmap-zh-CN.png`, fullPage: true });
  });
});

describe('owners', () => {
  it('see their own periods and ranking rows only, and no report of another platform', async () => {
    await signIn(fx.keys.ownerA);
    await inspect('pA', '2026-03-01', '2026-03-11');
    expect(await page.$$eval('#period-list button', (bs) => bs.length)).toBe(2);
    await page.goto(`${fx.base}/#/ranking`);
    await page.waitForSelector('#ranking-form');
    await settled();
    await page.fill('#ranking-from', '2026-03-01');
    await page.fill('#ranking-to', '2026-03-11');
    await page.click('#ranking-run');
    await page.waitForSelector('#ranking-table');
    await settled();
    expect(
      await page.$$eval('#ranking-table tbody tr', (trs) => [
        ...new Set(trs.map((tr) => tr.getAttribute('data-platform'))),
      ]),
    ).toEqual(['pA']);
    await page.goto(`${fx.base}/#/report?platformId=pB&from=2026-03-01&to=2026-03-11`);
    await page.waitForSelector('#page-report .error');
    expect(await page.textContent('#page-report .error')).toBe(DICTIONARY['zh-CN']['error.404']);
    expect(await page.$('#report')).toBeNull();
  });

  it('no Content-Security-Policy violation and no script error on any page', () => {
    expect(problems, problems.join('\n')).toEqual([]);
  });
});
