import { ApiError, getJson } from './api.js';
import { drawChart } from './charts.js';
import { h, shanghaiTime, whileBusy } from './dom.js';
import { findingCard, seriesOption } from './findings-view.js';
import type { TextKey } from './i18n.js';
import { evaluationTable } from './inspect.js';
import { t } from './state.js';
import type { ReportAnswer } from './types.js';

const page: {
  query: string | undefined;
  answer: ReportAnswer | undefined;
  error: ApiError | undefined;
  generatedAt: string | undefined;
} = { query: undefined, answer: undefined, error: undefined, generatedAt: undefined };

/** The report's query, from the page address (#/report?platformId=…&from=…&to=…). */
function reportQuery(): URLSearchParams {
  const hash = location.hash;
  return new URLSearchParams(hash.includes('?') ? hash.slice(hash.indexOf('?') + 1) : '');
}

/**
 * The inspection report, designed for print (A4, see style.css): scope and range, the series
 * chart with the suspicious periods, each finding's test, numbers and plain explanation, the
 * data's extent and query time, when it was generated and who asked (the request is audited;
 * its audit entry is named).
 */
export function renderReport(root: HTMLElement, _catalog: unknown, rerender: () => void): void {
  const params = reportQuery();
  const q = params.toString();
  if ((!params.get('platformId') && !params.get('orgId')) || !params.get('from') || !params.get('to')) {
    root.append(h('p', { class: 'error', role: 'alert' }, t('report.needTarget')));
    return;
  }
  if (page.query !== q) {
    Object.assign(page, { query: q, answer: undefined, error: undefined, generatedAt: undefined });
    void whileBusy(async () => {
      try {
        const answer = await getJson<ReportAnswer>(`/v1/inspect/report?${q}`);
        if (page.query !== q) return;
        page.answer = answer;
        page.generatedAt = new Date().toISOString();
      } catch (err) {
        page.error = err instanceof ApiError ? err : new ApiError(0, String(err));
      }
      rerender();
    });
  }
  const back = h('a', { href: '#/inspect', id: 'report-back', class: 'button' }, t('report.back'));
  const print = h('button', { type: 'button', id: 'report-print' }, t('report.print'));
  print.addEventListener('click', () => window.print());
  root.append(h('div', { class: 'toolbar no-print' }, back, print));
  if (page.error) root.append(h('p', { class: 'error', role: 'alert' }, page.error.localized()));
  const a = page.answer;
  if (a && page.generatedAt) root.append(reportArticle(a, page.generatedAt));
}

function reportArticle(a: ReportAnswer, generatedAt: string): HTMLElement {
  const all = t('report.all');
  const target = [
    a.target.platformId ? `${t('form.platform')} ${a.target.platformId}` : `${t('form.platform')} ${all}`,
    a.target.orgId ? `${t('form.org')} ${a.target.orgId}` : `${t('form.org')} ${all}`,
  ].join(' · ');
  const row = (label: TextKey, value: string, id: string) =>
    h('tr', {}, h('th', {}, t(label)), h('td', { id: `report-${id}` }, value));
  const chart = h('div', { id: 'report-chart', class: 'chart report-chart' });
  const article = h(
    'article',
    { id: 'report', class: 'report' },
    h('div', { class: 'report-head' }, h('h1', {}, t('report.title')), h('p', {}, t('report.subtitle'))),
    h(
      'table',
      { class: 'facts report-meta' },
      h(
        'tbody',
        {},
        row('report.scope', target, 'scope'),
        row('report.range', t('report.rangeValue', { from: a.range.from, to: a.range.to, tz: a.range.tz }), 'range'),
        row('report.extent', a.extent ? `${a.extent.firstDay} – ${a.extent.lastDay}` : t('inspect.noData'), 'extent'),
        row('report.totals', t('report.totalsValue', a.totals), 'totals'),
        row('report.queriedAt', `${shanghaiTime(a.queriedAt)} ${t('report.queryMs', { ms: a.queryMs })}`, 'queried'),
        row('report.generatedAt', shanghaiTime(generatedAt), 'generated'),
        row(
          'report.requestedBy',
          `${a.requestedBy.name}${t('fmt.paren', { x: t(`role.${a.requestedBy.role}` as TextKey) })}`,
          'requested',
        ),
        row('report.audit', a.auditRequestId, 'audit'),
      ),
    ),
    h('p', { class: 'note' }, t('form.tz')),
    h('h2', {}, t('report.summary')),
    h(
      'p',
      { id: 'report-summary', class: 'summary' },
      t('report.summaryValue', { periods: a.periods.length, findings: a.findings }),
    ),
    a.truncated ? h('p', { class: 'error' }, t('inspect.truncated', { n: a.findings })) : null,
    h('h2', {}, t('report.chart')),
    chart,
    h('h2', {}, t('report.periods')),
    ...(a.periods.length === 0
      ? [h('p', { class: 'note' }, t('report.noPeriods'))]
      : a.periods.map((p, i) =>
          h(
            'section',
            { class: 'report-period' },
            h('h3', {}, t('inspect.period', { n: i + 1, start: p.start, end: p.end })),
            ...p.findings.map((f) => findingCard(f)),
          ),
        )),
    h('h2', {}, t('report.evaluations')),
    evaluationTable(a.evaluations),
    h('p', { class: 'disclaimer' }, t('report.disclaimer')),
  );
  // Drawn once the article is in the page (ECharts reads the container's size).
  queueMicrotask(() => drawChart(chart, seriesOption(a, a.periods)));
  return article;
}
