import { ApiError, download, getJson } from './api.js';
import { h, percent, whileBusy } from './dom.js';
import { detectorName } from './findings-view.js';
import type { TextKey } from './i18n.js';
import { defaultRange } from './query-form.js';
import { t } from './state.js';
import type { RankingAnswer, RankingRow } from './types.js';

type Level = 'org' | 'platform';
const page: {
  values: { level: Level; from: string; to: string };
  answer: RankingAnswer | undefined;
  error: ApiError | undefined;
  ticket: number;
} = { values: { level: 'org', ...defaultRange() }, answer: undefined, error: undefined, ticket: 0 };

const query = (v: typeof page.values) => new URLSearchParams({ level: v.level, from: v.from, to: v.to }).toString();

/** The Ranking page (负面典型): units or platforms by confirmed and open findings, with their indicators. */
export function renderRanking(root: HTMLElement, _catalog: unknown, rerender: () => void): void {
  const run = (v: typeof page.values) =>
    whileBusy(async () => {
      const ticket = ++page.ticket;
      page.values = v;
      page.error = undefined;
      page.answer = undefined;
      try {
        page.answer = await getJson<RankingAnswer>(`/v1/ranking?${query(v)}`);
      } catch (err) {
        page.error = err instanceof ApiError ? err : new ApiError(0, String(err));
      }
      if (ticket === page.ticket) rerender();
    });
  const v = page.values;
  const level = h('select', { id: 'ranking-level', name: 'level' });
  for (const [value, label] of [
    ['org', 'ranking.levelOrg'],
    ['platform', 'ranking.levelPlatform'],
  ] as const)
    level.append(h('option', { value }, t(label)));
  level.value = v.level;
  const from = h('input', { id: 'ranking-from', type: 'date', name: 'from', value: v.from, required: '' });
  const to = h('input', { id: 'ranking-to', type: 'date', name: 'to', value: v.to, required: '' });
  const form = h(
    'form',
    { id: 'ranking-form', class: 'query' },
    h('label', {}, t('ranking.level'), level),
    h('label', {}, t('form.from'), from),
    h('label', {}, t('form.to'), to),
    h('button', { type: 'submit', id: 'ranking-run' }, t('form.run')),
    h('span', { class: 'hint' }, t('form.tz')),
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    void run({ level: level.value === 'platform' ? 'platform' : 'org', from: from.value, to: to.value });
  });
  root.append(h('h2', {}, t('ranking.title')), h('p', { class: 'intro' }, t('ranking.intro')), form);
  if (page.error) root.append(h('p', { class: 'error', role: 'alert' }, page.error.localized()));
  const a = page.answer;
  if (a) {
    const csv = h('button', { type: 'button', id: 'ranking-csv' }, t('export.csv'));
    csv.addEventListener(
      'click',
      () => void download(`/v1/ranking.csv?${query(v)}`, `ranking_${v.level}_${v.from}_${v.to}.csv`),
    );
    root.append(
      h('div', { class: 'toolbar' }, csv),
      a.rows.length > 0
        ? rankingTable(a.rows, v.level)
        : h('p', { class: 'note', id: 'ranking-none' }, t('ranking.none')),
    );
    if (!a.overdueNoticesConnected)
      root.append(h('p', { class: 'note', id: 'ranking-overdue-note' }, t('ranking.overdueNote')));
  }
  if (!a && !page.error) void run(page.values);
}

function rankingTable(rows: RankingRow[], level: Level): HTMLElement {
  const headers: TextKey[] = [
    'ranking.rank',
    'ranking.platform',
    ...(level === 'org' ? (['ranking.org'] as const) : []),
    'ranking.confirmed',
    'ranking.open',
    'ranking.critical',
    'ranking.overdue',
    'ranking.detectors',
    'ranking.events',
    'ranking.publicShare',
    'ranking.staffShare',
    'ranking.backfilledShare',
    'ranking.preWindowShare',
  ];
  return h(
    'table',
    { id: 'ranking-table', class: 'ranking' },
    h('thead', {}, h('tr', {}, ...headers.map((k) => h('th', {}, t(k))))),
    h(
      'tbody',
      {},
      ...rows.map((r) =>
        h(
          'tr',
          { 'data-platform': r.platformId, 'data-org': r.orgId ?? undefined },
          h('td', { class: 'num' }, String(r.rank)),
          h('td', {}, r.platformId),
          level === 'org' ? h('td', {}, r.orgId ?? '') : null,
          h('td', { class: 'num strong' }, String(r.confirmed)),
          h('td', { class: 'num' }, String(r.open)),
          h('td', { class: 'num' }, String(r.critical)),
          h(
            'td',
            { class: r.overdueNotices === null ? 'muted' : 'num' },
            r.overdueNotices === null ? t('ranking.notConnected') : String(r.overdueNotices),
          ),
          h('td', {}, r.detectors.map(detectorName).join(t('fmt.list'))),
          h('td', { class: 'num' }, String(r.indicators.events)),
          h('td', { class: 'num' }, percent(r.indicators.publicShare)),
          h('td', { class: 'num' }, percent(r.indicators.staffShare)),
          h('td', { class: 'num' }, percent(r.indicators.backfilledShare)),
          h(
            'td',
            { class: 'num' },
            percent(r.indicators.preWindowShare),
            h(
              'div',
              { class: 'help' },
              t('ranking.preWindowHelp', { share: percent(r.indicators.preWindowTimeShare) }),
            ),
          ),
        ),
      ),
    ),
  );
}
