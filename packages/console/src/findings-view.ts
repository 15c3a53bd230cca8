import { h, shanghaiDay } from './dom.js';
import { DICTIONARY, type TextKey } from './i18n.js';
import { state, t } from './state.js';
import type { FindingOut, SeriesAnswer, SuspiciousPeriod } from './types.js';

/** A p- or q-value as read: small ones in scientific notation, none as –. */
export function pValue(x: number | null): string {
  if (x === null) return '–';
  if (x === 0) return '0';
  return x < 0.001 ? x.toExponential(1) : x.toPrecision(2);
}

/** A statistic with up to four significant digits (integers as they are). */
export function statistic(x: number): string {
  return Number.isInteger(x) ? String(x) : String(Number(x.toPrecision(4)));
}

/** A detector's short name; a detector the console does not know yet keeps its own. */
export const detectorName = (d: string) => {
  const key = `detector.${d}`;
  return key in DICTIONARY[state.lang] ? t(key as TextKey) : d;
};
export const stateName = (s: FindingOut['state']) => t(`state.${s}` as TextKey);
export const severityName = (s: FindingOut['severity']) => t(`severity.${s}` as TextKey);

export function scopeText(f: FindingOut): string {
  const v = { platform: f.scope.platformId, org: f.scope.orgId ?? '', actor: f.scope.actorId ?? '' };
  if (f.scope.actorId !== null) return t('finding.scopeActor', v);
  if (f.scope.orgId !== null) return t('finding.scopeOrg', v);
  return t('finding.scopePlatform', v);
}

/** One finding: its test, numbers and plain explanation, in the console's language. */
export function findingCard(f: FindingOut, action?: HTMLElement): HTMLElement {
  const row = (label: TextKey, value: Node | string) => h('tr', {}, h('th', {}, t(label)), h('td', {}, value));
  const stats = Object.entries(f.statistics)
    .map(([k, v]) => `${k} = ${statistic(v)}`)
    .join(t('fmt.semi'));
  return h(
    'article',
    { class: `finding severity-${f.severity}`, 'data-fingerprint': f.fingerprint },
    h(
      'h4',
      {},
      h('span', { class: `badge ${f.severity}` }, severityName(f.severity)),
      ' ',
      f.test[state.lang],
      ' ',
      h('span', { class: 'state' }, t('fmt.paren', { x: stateName(f.state) })),
    ),
    h('p', { class: 'explanation' }, f.explanation[state.lang]),
    h(
      'table',
      { class: 'facts' },
      h(
        'tbody',
        {},
        row('finding.scope', scopeText(f)),
        row('finding.period', `${f.period.start} – ${f.period.end}`),
        row('finding.rule', f.rule),
        row('finding.pq', `${pValue(f.pValue)} / ${pValue(f.qValue)}`),
        row('finding.score', statistic(f.score)),
        row('finding.statistics', stats || '–'),
        f.corroboratedBy.length > 0
          ? row('finding.corroborated', f.corroboratedBy.map(detectorName).join(t('fmt.list')))
          : null,
      ),
    ),
    action ?? null,
  );
}

/** The daily series with evaluation markers and the suspicious periods shaded (clickable). */
export function seriesOption(a: SeriesAnswer, periods: readonly SuspiciousPeriod[]) {
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
      {
        // No data of its own: it carries the suspicious periods (and their legend entry).
        name: t('inspect.periodsTitle'),
        type: 'line',
        data: a.days.map(() => null),
        itemStyle: { color: '#f39c12' },
        markArea: {
          silent: false,
          itemStyle: { color: 'rgba(243, 156, 18, 0.28)', borderColor: '#d35400', borderWidth: 1 },
          label: { color: '#a04000', position: 'insideTop', fontSize: 11 },
          data: periods.map((p, i) => [
            { name: t('inspect.periodShort', { n: i + 1 }), xAxis: clip(p.start) },
            { xAxis: clip(p.end) },
          ]),
        },
      },
    ],
  };
}
