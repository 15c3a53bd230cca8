import { ApiError, download, getJson } from './api.js';
import { drawChart } from './charts.js';
import { h, shanghaiTime, whileBusy } from './dom.js';
import { detectorName, findingCard, seriesOption, severityName } from './findings-view.js';
import type { TextKey } from './i18n.js';
import { defaultRange, type QueryValues, queryForm } from './query-form.js';
import { state, t } from './state.js';
import type { Catalog, EvaluationOut, EvidenceAnswer, PeriodsAnswer, SeriesAnswer } from './types.js';

const EVIDENCE_PAGE = 50;

const page: {
  values: QueryValues;
  answer: SeriesAnswer | undefined;
  periods: PeriodsAnswer | undefined;
  error: ApiError | undefined;
  ticket: number;
  selected: number | undefined;
  evidence: EvidenceAnswer | undefined;
  evidenceError: ApiError | undefined;
} = {
  values: { platformId: '', orgId: '', ...defaultRange() },
  answer: undefined,
  periods: undefined,
  error: undefined,
  ticket: 0,
  selected: undefined,
  evidence: undefined,
  evidenceError: undefined,
};

export const targetQuery = (v: QueryValues) => {
  const q = new URLSearchParams({ from: v.from, to: v.to });
  if (v.platformId) q.set('platformId', v.platformId);
  if (v.orgId) q.set('orgId', v.orgId);
  return q.toString();
};

const asApiError = (err: unknown) => (err instanceof ApiError ? err : new ApiError(0, String(err)));

/**
 * The Inspect page: chooser, the daily series with evaluation markers and the suspicious
 * periods shaded; a period (on the chart or in the list) → its findings → their evidence.
 */
export function renderInspect(root: HTMLElement, catalog: Catalog, rerender: () => void): void {
  if (!page.values.platformId && catalog.platforms[0]) page.values.platformId = catalog.platforms[0].platformId;
  const run = (v: QueryValues) =>
    whileBusy(async () => {
      // Only the latest query may draw: an older answer arriving late is dropped.
      const ticket = ++page.ticket;
      Object.assign(page, {
        values: v,
        error: undefined,
        answer: undefined,
        periods: undefined,
        selected: undefined,
        evidence: undefined,
        evidenceError: undefined,
      });
      if (!v.platformId && !v.orgId) page.error = new ApiError(400, t('form.needTarget'));
      else {
        try {
          const q = targetQuery(v);
          const [answer, periods] = await Promise.all([
            getJson<SeriesAnswer>(`/v1/inspect/series?${q}`),
            getJson<PeriodsAnswer>(`/v1/inspect/periods?${q}`),
          ]);
          if (ticket !== page.ticket) return;
          page.answer = answer;
          page.periods = periods;
        } catch (err) {
          page.error = asApiError(err);
        }
      }
      if (ticket === page.ticket) rerender();
    });
  const select = (i: number) => {
    page.selected = i;
    page.evidence = undefined;
    page.evidenceError = undefined;
    rerender();
    document.getElementById('period-detail')?.scrollIntoView({ block: 'start' });
  };
  const showEvidence = (fingerprint: string, offset: number) =>
    whileBusy(async () => {
      const ticket = page.ticket;
      try {
        const evidence = await getJson<EvidenceAnswer>(
          `/v1/findings/${fingerprint}/evidence?limit=${EVIDENCE_PAGE}&offset=${offset}`,
        );
        if (ticket !== page.ticket) return;
        page.evidence = evidence;
        page.evidenceError = undefined;
      } catch (err) {
        page.evidenceError = asApiError(err);
      }
      rerender();
      document.getElementById('evidence')?.scrollIntoView({ block: 'start' });
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
  const periods = page.periods?.periods ?? [];
  if (a) {
    const q = targetQuery(v);
    const exportCsv = h('button', { type: 'button', id: 'export-csv' }, t('export.csv'));
    exportCsv.addEventListener('click', () => void download(`/v1/inspect/series.csv?${q}`, `${name}.csv`));
    const exportJson = h('button', { type: 'button', id: 'export-json' }, t('export.json'));
    exportJson.addEventListener('click', () => void download(`/v1/inspect/series?${q}`, `${name}.json`));
    const report = h('a', { href: `#/report?${q}`, id: 'open-report', class: 'button' }, t('report.open'));
    const chart = h('div', { id: 'series-chart', class: 'chart wide' });
    root.append(
      h('div', { class: 'toolbar' }, exportCsv, exportJson, report),
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
    const instance = drawChart(chart, seriesOption(a, periods));
    instance.on('click', (e) => {
      if (e.componentType === 'markArea' && e.seriesIndex === 3 && typeof e.dataIndex === 'number') select(e.dataIndex);
    });
    root.append(periodsSection(periods, page.periods?.truncated ?? false, select));
    if (page.selected !== undefined && periods[page.selected])
      root.append(periodDetail(page.selected, periods[page.selected]!, (fp) => void showEvidence(fp, 0)));
    if (page.evidenceError) root.append(h('p', { class: 'error', role: 'alert' }, page.evidenceError.localized()));
    if (page.evidence)
      root.append(
        evidenceSection(page.evidence, (offset) => void showEvidence(page.evidence!.finding.fingerprint, offset)),
      );
    root.append(h('h3', {}, t('inspect.evaluations')), evaluationTable(a.evaluations));
  }
  if (!a && !page.error && page.values.platformId) void run(page.values);
}

function periodsSection(
  periods: PeriodsAnswer['periods'],
  truncated: boolean,
  select: (i: number) => void,
): HTMLElement {
  const list = h('ol', { id: 'period-list', class: 'periods' });
  periods.forEach((p, i) => {
    const button = h(
      'button',
      { type: 'button', id: `period-${i}`, class: `period severity-${p.severity}` },
      h('strong', {}, t('inspect.period', { n: i + 1, start: p.start, end: p.end })),
      ` · ${severityName(p.severity)} · ${t('inspect.periodFindings', { n: p.findings.length })} · ${p.detectors.map(detectorName).join(t('fmt.list'))}`,
    );
    if (page.selected === i) button.classList.add('selected');
    button.addEventListener('click', () => select(i));
    list.append(h('li', {}, button));
  });
  return h(
    'section',
    { id: 'periods' },
    h('h3', {}, t('inspect.periodsTitle')),
    h('p', { class: 'intro' }, t('inspect.periodsIntro')),
    truncated ? h('p', { class: 'error' }, t('inspect.truncated', { n: 2000 })) : null,
    periods.length > 0 ? list : h('p', { class: 'note', id: 'no-periods' }, t('inspect.noPeriods')),
  );
}

function periodDetail(i: number, p: PeriodsAnswer['periods'][number], showEvidence: (fp: string) => void): HTMLElement {
  return h(
    'section',
    { id: 'period-detail' },
    h('h3', {}, t('inspect.period', { n: i + 1, start: p.start, end: p.end })),
    ...p.findings.map((f) => {
      const button = h('button', { type: 'button', class: 'show-evidence' }, t('finding.showEvidence'));
      button.addEventListener('click', () => showEvidence(f.fingerprint));
      return findingCard(f, button);
    }),
  );
}

const roleName = (r: string) => (r === 'public' || r === 'staff' ? t(`actorRole.${r}` as TextKey) : r);

function table(id: string, headers: TextKey[], rows: Array<Array<string | number>>): HTMLElement {
  return h(
    'table',
    { id },
    h('thead', {}, h('tr', {}, ...headers.map((k) => h('th', {}, t(k))))),
    h('tbody', {}, ...rows.map((r) => h('tr', {}, ...r.map((c) => h('td', {}, String(c)))))),
  );
}

function evidenceSection(e: EvidenceAnswer, goTo: (offset: number) => void): HTMLElement {
  const prev = h('button', { type: 'button', id: 'evidence-prev' }, t('evidence.prev'));
  const next = h('button', { type: 'button', id: 'evidence-next' }, t('evidence.next'));
  if (e.page.offset === 0) prev.setAttribute('disabled', '');
  if (!e.page.more) next.setAttribute('disabled', '');
  prev.addEventListener('click', () => goTo(Math.max(0, e.page.offset - e.page.limit)));
  next.addEventListener('click', () => goTo(e.page.offset + e.page.limit));
  const csv = h('button', { type: 'button', id: 'evidence-csv' }, t('evidence.exportCsv'));
  const fp = e.finding.fingerprint;
  csv.addEventListener(
    'click',
    () =>
      void download(
        `/v1/findings/${fp}/evidence.csv?limit=${e.page.limit}&offset=${e.page.offset}`,
        `evidence_${fp}_${e.page.offset}.csv`,
      ),
  );
  const body =
    e.total === 0
      ? [h('p', { class: 'note' }, t('evidence.none'))]
      : [
          h('h4', {}, t('evidence.days')),
          table(
            'evidence-days',
            ['col.day', 'col.events', 'col.backfilled'],
            e.days.map((d) => [d.day, d.events, d.backfilled]),
          ),
          h('h4', {}, t('evidence.actors')),
          table(
            'evidence-actors',
            ['col.actor', 'col.role', 'col.events', 'col.first', 'col.last'],
            e.actors.map((x) => [
              x.actorId,
              roleName(x.actorRole),
              x.events,
              shanghaiTime(x.firstAt),
              shanghaiTime(x.lastAt),
            ]),
          ),
          h(
            'h4',
            {},
            t('evidence.records', {
              first: e.page.offset + 1,
              last: e.page.offset + e.page.returned,
              total: e.total,
            }),
          ),
          table(
            'evidence-records',
            [
              'col.event',
              'col.occurred',
              'col.recorded',
              'col.lag',
              'col.org',
              'col.actor',
              'col.role',
              'col.action',
              'col.task',
            ],
            e.records.map((r) => [
              r.eventId,
              shanghaiTime(r.occurredAt),
              shanghaiTime(r.recordedAt),
              r.lagHours,
              r.orgId,
              r.actorId,
              roleName(r.actorRole),
              r.action,
              r.taskId ?? '',
            ]),
          ),
          h('div', { class: 'toolbar' }, prev, next, csv),
        ];
  return h(
    'section',
    { id: 'evidence' },
    h('h3', {}, t('evidence.title', { test: e.finding.test[state.lang] })),
    h(
      'p',
      { class: 'note', id: 'evidence-selection' },
      t('evidence.selection', { description: e.selection.description[state.lang] }),
    ),
    h('p', { id: 'evidence-total' }, t('evidence.total', { n: e.total })),
    ...body,
  );
}

export function evaluationTable(evaluations: EvaluationOut[]): HTMLElement {
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
