import { ApiError, download, getJson } from './api.js';
import { drawChart } from './charts.js';
import { h, shanghaiDay, shanghaiTime, whileBusy } from './dom.js';
import type { TextKey } from './i18n.js';
import { defaultRange, type QueryValues, queryForm } from './query-form.js';
import { t } from './state.js';
import type { Catalog, EvaluationOut, SeriesAnswer } from './types.js';

const page: { values: QueryValues; answer: SeriesAnswer | undefined; error: ApiError | undefined; ticket: number } = {
  values: { platformId: '', orgId: '', ...defaultRange() },
  answer: undefined,
  error: undefined,
  ticket: 0,
};

const query = (v: QueryValues) => {
  const q = new URLSearchParams({ from: v.from, to: v.to });
  if (v.platformId) q.set('platformId', v.platformId);
  if (v.orgId) q.set('orgId', v.orgId);
  return q.toString();
};

/** The Inspect page: chooser, the daily series with evaluation markers, the evaluations, exports. */
export function renderInspect(root: HTMLElement, catalog: Catalog, rerender: () => void): void {
  if (!page.values.platformId && catalog.platforms[0]) page.values.platformId = catalog.platforms[0].platformId;
  const run = (v: QueryValues) =>
    whileBusy(async () => {
      // Only the latest query may draw: an older answer arriving late is dropped.
      const ticket = ++page.ticket;
      page.values = v;
      page.error = undefined;
      page.answer = undefined;
      if (!v.platformId && !v.orgId) page.error = new ApiError(400, t('form.needTarget'));
      else {
        try {
          page.answer = await getJson<SeriesAnswer>(`/v1/inspect/series?${query(v)}`);
        } catch (err) {
          page.error = err instanceof ApiError ? err : new ApiError(0, String(err));
        }
      }
      if (ticket === page.ticket) rerender();
    });
  const v = page.values;
  const name = `series_${v.platformId || 'all'}_${v.orgId || 'all'}_${v.from}_${v.to}`;
  root.append(
    h('h2', {}, t('inspect.title')),
    h('p', { class: 'intro' }, t('inspect.intro')),
    queryForm('inspect', catalog, page.values, { allowAllPlatforms: true, withOrg: true }, (x) => void run(x)),
  );
  if (page.error) root.append(h('p', { class: 'error', role: 'alert' }, page.error.localized()));
  const a = page.answer;
  if (a) {
    const exportCsv = h('button', { type: 'button', id: 'export-csv' }, t('export.csv'));
    exportCsv.addEventListener('click', () => void download(`/v1/inspect/series.csv?${query(v)}`, `${name}.csv`));
    const exportJson = h('button', { type: 'button', id: 'export-json' }, t('export.json'));
    exportJson.addEventListener('click', () => void download(`/v1/inspect/series?${query(v)}`, `${name}.json`));
    const chart = h('div', { id: 'series-chart', class: 'chart wide' });
    root.append(
      h('div', { class: 'toolbar' }, exportCsv, exportJson),
      chart,
      h(
        'p',
        { class: 'note', id: 'series-extent' },
        a.extent
          ? t('inspect.extent', {
              first: a.extent.firstDay,
              last: a.extent.lastDay,
              at: `${a.queriedAt.slice(0, 19).replace('T', ' ')} UTC`,
            })
          : t('inspect.noData'),
      ),
    );
    drawChart(chart, seriesOption(a));
    root.append(h('h3', {}, t('inspect.evaluations')), evaluationTable(a.evaluations));
  }
  root.append(
    h(
      'section',
      { id: 'findings-placeholder', class: 'placeholder' },
      h('h3', {}, t('inspect.findingsTitle')),
      h('p', {}, t('inspect.findingsPending')),
    ),
  );
  if (!a && !page.error && page.values.platformId) void run(page.values);
}

function seriesOption(a: SeriesAnswer) {
  const days = a.days.map((d) => d.day);
  const first = days[0] ?? '';
  const last = days[days.length - 1] ?? '';
  const clip = (d: string) => (d < first ? first : d > last ? last : d);
  const evaluations = a.evaluations.map((e) => ({
    name: e.name,
    start: clip(shanghaiDay(Date.parse(e.start))),
    end: clip(shanghaiDay(Date.parse(e.end))),
  }));
  return {
    title: { text: t('inspect.chartTitle'), left: 'center', top: 8, textStyle: { fontSize: 14 } },
    tooltip: { trigger: 'axis', renderMode: 'richText' },
    legend: { bottom: 8 },
    grid: { left: 48, right: 32, top: 48, bottom: 72 },
    xAxis: { type: 'category', data: days },
    yAxis: { type: 'value', minInterval: 1 },
    series: [
      {
        name: t('series.claimed'),
        type: 'line',
        data: a.days.map((d) => d.claimed),
        symbolSize: 4,
        markLine: {
          symbol: 'none',
          lineStyle: { color: '#c0392b', type: 'dashed' },
          // Along the line, so a marker near the right edge is not cut off.
          label: { formatter: '{b}', color: '#c0392b', position: 'insideEndTop' },
          data: evaluations.map((e) => ({ name: `${t('series.evaluation')}: ${e.name}`, xAxis: e.start })),
        },
        markArea: {
          itemStyle: { color: 'rgba(192, 57, 43, 0.08)' },
          data: evaluations.map((e) => [{ xAxis: e.start }, { xAxis: e.end }]),
        },
      },
      { name: t('series.recorded'), type: 'line', data: a.days.map((d) => d.recorded), symbolSize: 4 },
      {
        name: t('series.backfilled'),
        type: 'bar',
        data: a.days.map((d) => d.backfilled),
        itemStyle: { color: '#e67e22' },
      },
    ],
  };
}

function evaluationTable(evaluations: EvaluationOut[]): HTMLElement {
  if (evaluations.length === 0) return h('p', { class: 'note' }, t('inspect.noEvaluations'));
  const headers: TextKey[] = ['table.id', 'table.name', 'table.kind', 'table.scope', 'table.start', 'table.end'];
  const kindKey = (k: string) => `kind.${k}` as TextKey;
  return h(
    'table',
    { id: 'evaluation-list' },
    h('thead', {}, h('tr', {}, ...headers.map((k) => h('th', {}, t(k))))),
    h(
      'tbody',
      {},
      ...evaluations.map((e) =>
        h(
          'tr',
          {},
          h('td', {}, e.id),
          h('td', {}, e.name),
          h('td', {}, ['assessment', 'inspection', 'audit', 'ranking'].includes(e.kind) ? t(kindKey(e.kind)) : e.kind),
          h('td', {}, [e.platformId ?? t('scope.everyPlatform'), e.orgId].filter(Boolean).join(' / ')),
          h('td', {}, shanghaiTime(e.start)),
          h('td', {}, shanghaiTime(e.end)),
        ),
      ),
    ),
  );
}
