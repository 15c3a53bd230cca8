import { ApiError, getJson } from './api.js';
import { drawChart } from './charts.js';
import { decimal, h, percent, whileBusy } from './dom.js';
import type { TextKey } from './i18n.js';
import { defaultRange, type QueryValues, queryForm } from './query-form.js';
import { t } from './state.js';
import type { Catalog, RealityAnswer } from './types.js';

const MAX_DEPARTMENTS_SHOWN = 20;
const page: { values: QueryValues; answer: RealityAnswer | undefined; error: ApiError | undefined; ticket: number } = {
  values: { platformId: '', orgId: '', ...defaultRange() },
  answer: undefined,
  error: undefined,
  ticket: 0,
};

/** The Platforms page: reality indicators, the hour × weekday heatmap, requests by department. */
export function renderPlatforms(root: HTMLElement, catalog: Catalog, rerender: () => void): void {
  if (!page.values.platformId && catalog.platforms[0]) page.values.platformId = catalog.platforms[0].platformId;
  const run = (v: QueryValues) =>
    whileBusy(async () => {
      // Only the latest query may draw: an older answer arriving late is dropped.
      const ticket = ++page.ticket;
      page.values = v;
      page.error = undefined;
      page.answer = undefined;
      if (!v.platformId) page.error = new ApiError(400, t('platforms.choose'));
      else {
        try {
          const q = new URLSearchParams({ from: v.from, to: v.to });
          page.answer = await getJson<RealityAnswer>(`/v1/platforms/${encodeURIComponent(v.platformId)}/reality?${q}`);
        } catch (err) {
          page.error = err instanceof ApiError ? err : new ApiError(0, String(err));
        }
      }
      if (ticket === page.ticket) rerender();
    });
  root.append(
    h('h2', {}, t('platforms.title')),
    h('p', { class: 'intro' }, t('platforms.intro')),
    queryForm('platforms', catalog, page.values, { allowAllPlatforms: false, withOrg: false }, (x) => void run(x)),
  );
  if (page.error) root.append(h('p', { class: 'error', role: 'alert' }, page.error.localized()));
  const a = page.answer;
  if (a) {
    root.append(indicators(a));
    const heatmap = h('div', { id: 'heatmap-chart', class: 'chart' });
    const departments = h('div', { id: 'department-chart', class: 'chart' });
    root.append(h('div', { class: 'charts' }, heatmap, departments));
    drawChart(heatmap, heatmapOption(a));
    drawChart(departments, departmentOption(a));
  }
  if (!a && !page.error && page.values.platformId) void run(page.values);
}

function card(id: string, label: TextKey, value: string, help?: string): HTMLElement {
  return h(
    'div',
    { class: 'card', id: `ind-${id}` },
    h('div', { class: 'label' }, t(label)),
    h('div', { class: 'value' }, value),
    help ? h('div', { class: 'help' }, help) : null,
  );
}

function indicators(a: RealityAnswer): HTMLElement {
  const hours = (x: number | null) => (x === null ? '–' : t('ind.hours', { n: decimal(x, 1) }));
  const r = a.registeredUsers.reported;
  return h(
    'div',
    { class: 'cards', id: 'indicators' },
    card(
      'registered',
      'ind.registered',
      String(a.registeredUsers.fromTraces),
      t('ind.registeredHelp', { n: a.registeredUsers.inPeriod }),
    ),
    card(
      'reported',
      'ind.reported',
      r ? String(r.value) : t('ind.none'),
      r ? t('ind.reportedHelp', { day: r.periodEnd }) : undefined,
    ),
    card('active-public', 'ind.activePublic', String(a.activeUsers.public)),
    card('active-staff', 'ind.activeStaff', String(a.activeUsers.staff)),
    card('dau', 'ind.dau', decimal(a.dau)),
    card('mau', 'ind.mau', decimal(a.mau)),
    card('dau-mau', 'ind.dauMau', decimal(a.dauMau)),
    card('public-share', 'ind.publicShare', percent(a.activity.publicShare)),
    card('staff-share', 'ind.staffShare', percent(a.activity.staffShare)),
    card(
      'pre-window',
      'ind.preWindow',
      percent(a.preWindow.share),
      t('ind.preWindowHelp', { share: percent(a.preWindow.timeShare) }),
    ),
    card(
      'tasks-met',
      'ind.tasksMet',
      percent(a.tasks.metShare),
      t('ind.tasksMetHelp', { n: a.tasks.tasks, late: percent(a.tasks.atDeadlineShare) }),
    ),
    card('median-allowed', 'ind.medianAllowed', hours(a.tasks.medianAllowedHours)),
    card('median-taken', 'ind.medianTaken', hours(a.tasks.medianTakenHours)),
  );
}

function heatmapOption(a: RealityAnswer) {
  const weekdays = [1, 2, 3, 4, 5, 6, 7].map((d) => t(`weekday.${d}` as TextKey));
  const max = Math.max(1, ...a.hourWeekday.map((c) => c.events));
  return {
    title: { text: t('platforms.heatmap'), left: 'center', textStyle: { fontSize: 14 } },
    tooltip: { renderMode: 'richText' },
    grid: { left: 56, right: 24, top: 48, bottom: 72 },
    xAxis: { type: 'category', data: Array.from({ length: 24 }, (_, i) => String(i)), splitArea: { show: true } },
    yAxis: { type: 'category', data: weekdays, inverse: true, splitArea: { show: true } },
    visualMap: {
      min: 0,
      max,
      // The scale's numbers at its ends (the low end named).
      text: [String(max), `${t('platforms.scale')}  0`],
      calculable: false,
      orient: 'horizontal',
      left: 'center',
      bottom: 8,
      inRange: { color: ['#f7fbff', '#08306b'] },
    },
    series: [
      {
        name: t('platforms.events'),
        type: 'heatmap',
        data: a.hourWeekday.map((c) => [c.hour, c.weekday - 1, c.events]),
      },
    ],
  };
}

function departmentOption(a: RealityAnswer) {
  const top = a.byDepartment.slice(0, MAX_DEPARTMENTS_SHOWN).reverse();
  return {
    title: { text: t('platforms.departments'), left: 'center', textStyle: { fontSize: 14 } },
    tooltip: { renderMode: 'richText' },
    grid: { left: 96, right: 24, top: 48, bottom: 32 },
    xAxis: { type: 'value', minInterval: 1 },
    yAxis: { type: 'category', data: top.map((d) => d.orgId) },
    series: [{ name: t('platforms.events'), type: 'bar', data: top.map((d) => d.events) }],
  };
}
