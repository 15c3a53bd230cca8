import { type AlertStream, followAlerts } from './alert-stream.js';
import { ApiError, getJson, postJson } from './api.js';
import { clear, h, shanghaiTime, whileBusy } from './dom.js';
import type { TextKey } from './i18n.js';
import { state, t } from './state.js';
import type { Catalog } from './types.js';

/** The parts of /v1/alerts' answers the page reads (see /docs). */
interface Alert {
  fingerprint: string;
  state: AlertState;
  version: number;
  finding: {
    detector: string;
    rule: string;
    scope: { kind: string; platformId: string; orgId?: string; actorId?: string };
    period: { start: string; end: string };
    statistics: Record<string, number>;
    pValue: number | null;
    qValue: number | null;
    score: number;
    severity: 'warning' | 'critical';
    explanation: { 'zh-CN': string; en: string };
  };
  firstSeenAt: string;
  lastSeenAt: string;
  updatedAt: string;
  updatedBy: string;
  silencedBy: string[];
}
type AlertState = 'open' | 'acknowledged' | 'resolved' | 'dismissed' | 'confirmed' | 'withdrawn';
interface Change {
  fingerprint: string;
  version: number;
  kind: 'created' | 'updated' | 'transition';
  from: AlertState | null;
  to: AlertState;
  alert: Alert;
}
interface HistoryEntry {
  version: number;
  kind: Change['kind'];
  from: AlertState | null;
  to: AlertState;
  at: string;
  by: string;
  note: string;
}

const STATES: AlertState[] = ['open', 'acknowledged', 'resolved', 'dismissed', 'confirmed', 'withdrawn'];
const DETECTORS = [
  'burst-before-evaluation',
  'backfill',
  'under-dispersion',
  'machine-regular-timing',
  'digit-preference',
  'cross-unit-sameness',
  'duplicate-content',
  'implausible-durations',
  'deadline-crunch',
  'idle-platform',
  'metric-inflation',
  'burst-rising',
  'repeated-entry',
  'presence-only',
];
/** The lifecycle's operator moves (packages/alerts OPERATOR_MOVES), by the route's verb. */
const MOVES: Record<AlertState, Array<'acknowledge' | 'resolve' | 'dismiss' | 'confirm' | 'reopen'>> = {
  open: ['acknowledge', 'resolve', 'dismiss', 'confirm'],
  acknowledged: ['resolve', 'dismiss', 'confirm'],
  resolved: ['reopen'],
  dismissed: ['reopen'],
  confirmed: ['reopen'],
  withdrawn: [],
};
const PAGE_SIZE = 50;

interface Filter {
  state: string;
  severity: string;
  detector: string;
  platformId: string;
  orgId: string;
  from: string;
  to: string;
}

const page: {
  filter: Filter;
  offset: number;
  alerts: Alert[];
  total: number;
  error: ApiError | undefined;
  live: { status: 'connecting' | 'live' | 'retrying' | 'stopped'; detail?: string | number };
  stream: { query: string; handle: AlertStream } | undefined;
  /** Alerts created or changed live since the list was loaded (highlighted). */
  fresh: Map<string, 'created' | 'changed'>;
  selected: { alert: Alert; history: HistoryEntry[] } | undefined;
  /** Translated when drawn, so that it follows the language switch. */
  actionMessage: { kind: 'error' | 'done'; text: () => string } | undefined;
  ticket: number;
} = {
  filter: { state: '', severity: '', detector: '', platformId: '', orgId: '', from: '', to: '' },
  offset: 0,
  alerts: [],
  total: 0,
  error: undefined,
  live: { status: 'connecting' },
  stream: undefined,
  fresh: new Map(),
  selected: undefined,
  actionMessage: undefined,
  ticket: 0,
};

const detectorName = (d: string) => (DETECTORS.includes(d) ? t(`detector.${d}` as TextKey) : d);
const stateName = (s: AlertState) => t(`state.${s}` as TextKey);

function filterQuery(f: Filter): URLSearchParams {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(f)) if (v) q.set(k, v);
  return q;
}

/** Stops the live stream (the page is left). */
export function leaveAlerts(): void {
  page.stream?.handle.stop();
  page.stream = undefined;
}

async function loadList(): Promise<void> {
  await whileBusy(async () => {
    const ticket = ++page.ticket;
    const q = filterQuery(page.filter);
    q.set('limit', String(PAGE_SIZE));
    q.set('offset', String(page.offset));
    try {
      const answer = await getJson<{ alerts: Alert[]; total: number }>(`/v1/alerts?${q}`);
      if (ticket !== page.ticket) return;
      page.alerts = answer.alerts;
      page.total = answer.total;
      page.error = undefined;
      page.fresh.clear();
    } catch (err) {
      if (ticket !== page.ticket) return;
      page.error = err instanceof ApiError ? err : new ApiError(0, String(err));
      page.alerts = [];
      page.total = 0;
    }
    renderList();
  });
}

async function select(fingerprint: string): Promise<void> {
  await whileBusy(async () => {
    try {
      page.selected = await getJson<{ alert: Alert; history: HistoryEntry[] }>(
        `/v1/alerts/${encodeURIComponent(fingerprint)}`,
      );
    } catch (err) {
      page.selected = undefined;
      page.actionMessage = { kind: 'error', text: () => (err instanceof ApiError ? err.localized() : String(err)) };
    }
    renderDetail();
    renderList();
  });
}

/** A change from the stream: the list and the open detail follow it. */
function applyChange(change: Change): void {
  const at = page.alerts.findIndex((a) => a.fingerprint === change.fingerprint);
  const stillMatches = !page.filter.state || change.alert.state === page.filter.state;
  if (at >= 0) {
    if (page.alerts[at]!.version >= change.version) return;
    if (stillMatches) page.alerts[at] = change.alert;
    else {
      page.alerts.splice(at, 1);
      page.total = Math.max(0, page.total - 1);
    }
  } else if (stillMatches && page.offset === 0) {
    page.alerts.unshift(change.alert);
    page.total++;
    if (page.alerts.length > PAGE_SIZE) page.alerts.pop();
  }
  if (stillMatches) page.fresh.set(change.fingerprint, change.kind === 'created' && at < 0 ? 'created' : 'changed');
  renderList();
  if (page.selected?.alert.fingerprint === change.fingerprint && page.selected.alert.version < change.version)
    void select(change.fingerprint);
}

function ensureStream(): void {
  const query = `?${filterQuery(page.filter)}`;
  if (page.stream?.query === query) return;
  leaveAlerts();
  page.stream = {
    query,
    handle: followAlerts(query, {
      onChange: (change) => applyChange(change as Change),
      onReady: (reload) => {
        if (reload) void loadList();
      },
      onStatus: (status, detail) => {
        page.live = detail === undefined ? { status } : { status, detail };
        renderLive();
      },
    }),
  };
}

function badge(kind: 'severity' | 'state', value: string, text: string): HTMLElement {
  return h('span', { class: `badge ${kind}-${value}` }, text);
}

function renderLive(): void {
  const el = document.getElementById('alerts-live');
  if (!el) return;
  const { status, detail } = page.live;
  el.dataset.state = status;
  el.textContent =
    status === 'retrying'
      ? t('alerts.live.retrying', { seconds: detail ?? '' })
      : status === 'stopped'
        ? t('alerts.live.stopped', { detail: detail ?? '' })
        : t(`alerts.live.${status}`);
}

function renderList(): void {
  const box = document.getElementById('alert-list-box');
  if (!box) return;
  clear(box);
  if (page.error) {
    box.append(h('p', { class: 'error', role: 'alert' }, page.error.localized()));
    return;
  }
  if (page.alerts.length === 0) {
    box.append(h('p', { class: 'note', id: 'alerts-none' }, t('alerts.none')));
    return;
  }
  const rows = page.alerts.map((a) => {
    const f = a.finding;
    const row = h(
      'tr',
      {
        'data-fingerprint': a.fingerprint,
        'data-state': a.state,
        'data-version': String(a.version),
        class:
          [
            page.fresh.has(a.fingerprint) ? 'fresh' : '',
            page.selected?.alert.fingerprint === a.fingerprint ? 'selected' : '',
          ]
            .filter(Boolean)
            .join(' ') || undefined,
        tabindex: '0',
      },
      h('td', {}, badge('severity', f.severity, t(`severity.${f.severity}`))),
      h(
        'td',
        {},
        badge('state', a.state, stateName(a.state)),
        a.silencedBy.length > 0 ? badge('state', 'silenced', t('alerts.silenced')) : null,
        page.fresh.has(a.fingerprint)
          ? badge(
              'state',
              'new',
              t(page.fresh.get(a.fingerprint) === 'created' ? 'alerts.newBadge' : 'alerts.changedBadge'),
            )
          : null,
      ),
      h('td', {}, detectorName(f.detector)),
      h('td', {}, [f.scope.platformId, f.scope.orgId, f.scope.actorId].filter(Boolean).join(' / ')),
      h('td', {}, `${f.period.start} – ${f.period.end}`),
      h('td', {}, shanghaiTime(a.updatedAt)),
    );
    const open = () => {
      page.actionMessage = undefined;
      void select(a.fingerprint);
    };
    row.addEventListener('click', open);
    row.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') open();
    });
    return row;
  });
  const prev = h('button', { type: 'button', id: 'alerts-prev' }, t('alerts.prev'));
  prev.disabled = page.offset === 0;
  prev.addEventListener('click', () => {
    page.offset = Math.max(0, page.offset - PAGE_SIZE);
    void loadList();
  });
  const next = h('button', { type: 'button', id: 'alerts-next' }, t('alerts.next'));
  next.disabled = page.offset + PAGE_SIZE >= page.total;
  next.addEventListener('click', () => {
    page.offset += PAGE_SIZE;
    void loadList();
  });
  box.append(
    h(
      'table',
      { id: 'alert-list' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          ...(['severity', 'state', 'detector', 'scope', 'period', 'updated'] as const).map((c) =>
            h('th', {}, t(`alerts.col.${c}`)),
          ),
        ),
      ),
      h('tbody', {}, ...rows),
    ),
    h(
      'div',
      { class: 'toolbar pager' },
      h(
        'span',
        { id: 'alerts-page', class: 'hint' },
        t('alerts.page', { first: page.offset + 1, last: page.offset + page.alerts.length, total: page.total }),
      ),
      prev,
      next,
    ),
  );
}

const number = (x: number | null) =>
  x === null ? '–' : x < 0.001 && x > 0 ? x.toExponential(2) : String(+x.toPrecision(4));

async function act(verb: string, note: string): Promise<void> {
  const sel = page.selected;
  if (!sel) return;
  page.actionMessage = undefined;
  await whileBusy(async () => {
    try {
      const answer = await postJson<{ alert: Alert }>(`/v1/alerts/${sel.alert.fingerprint}/${verb}`, {
        ...(note ? { note } : {}),
        expectedVersion: sel.alert.version,
      });
      page.actionMessage = {
        kind: 'done',
        text: () => t('alerts.action.done', { state: stateName(answer.alert.state), version: answer.alert.version }),
      };
      applyChange({
        fingerprint: answer.alert.fingerprint,
        version: answer.alert.version,
        kind: 'transition',
        from: sel.alert.state,
        to: answer.alert.state,
        alert: answer.alert,
      });
      await select(sel.alert.fingerprint);
      return;
    } catch (err) {
      const e = err instanceof ApiError ? err : new ApiError(0, String(err));
      const text = () =>
        e.status === 409 && e.body.code === 'conflict'
          ? t('alerts.conflict', { version: String(e.body.currentVersion ?? '?') })
          : e.status === 409
            ? t('alerts.invalidTransition', { detail: e.detail })
            : e.status === 400 && /note/.test(e.detail)
              ? t('alerts.needsReason')
              : e.status === 504
                ? t('alerts.timeout')
                : e.localized();
      page.actionMessage = { kind: 'error', text };
    }
    renderDetail();
  });
}

function renderDetail(): void {
  const box = document.getElementById('alert-detail-box');
  if (!box) return;
  clear(box);
  const sel = page.selected;
  if (!sel) {
    box.append(h('p', { class: 'note' }, t('alerts.choose')));
    return;
  }
  const { alert, history } = sel;
  const f = alert.finding;
  const close = h('button', { type: 'button', id: 'alert-close' }, t('alerts.close'));
  close.addEventListener('click', () => {
    page.selected = undefined;
    page.actionMessage = undefined;
    renderDetail();
    renderList();
  });
  const dl = h('dl', { class: 'facts' });
  const fact = (label: TextKey, value: string | Node) => dl.append(h('dt', {}, t(label)), h('dd', {}, value));
  fact('alerts.col.state', badge('state', alert.state, stateName(alert.state)));
  fact('alerts.col.severity', badge('severity', f.severity, t(`severity.${f.severity}`)));
  fact('alerts.col.detector', detectorName(f.detector));
  fact('alerts.col.scope', [f.scope.platformId, f.scope.orgId, f.scope.actorId].filter(Boolean).join(' / '));
  fact('alerts.col.period', `${f.period.start} – ${f.period.end}`);
  fact('alerts.pValue', number(f.pValue));
  fact('alerts.qValue', number(f.qValue));
  fact('alerts.score', number(f.score));
  fact('alerts.firstSeen', shanghaiTime(alert.firstSeenAt));
  fact('alerts.lastSeen', shanghaiTime(alert.lastSeenAt));
  fact('alerts.version', String(alert.version));
  fact('alerts.fingerprint', h('code', {}, alert.fingerprint));
  const stats = Object.entries(f.statistics)
    .map(([k, v]) => `${k} = ${number(v)}`)
    .join('; ');

  const actions = h('div', { class: 'actions', id: 'alert-actions' });
  const canAct = state.me?.role === 'ops' || state.me?.role === 'admin';
  if (!canAct) actions.append(h('p', { class: 'note' }, t('alerts.readOnly')));
  else if (MOVES[alert.state].length > 0) {
    const note = h('textarea', { id: 'alert-note', rows: '2', maxlength: '2000' });
    actions.append(h('label', {}, t('alerts.note'), note));
    const buttons = h('div', { class: 'toolbar' });
    for (const verb of MOVES[alert.state]) {
      const b = h(
        'button',
        { type: 'button', id: `alert-${verb}`, class: `action-${verb}` },
        t(`alerts.action.${verb}`),
      );
      b.addEventListener('click', () => void act(verb, note.value.trim()));
      buttons.append(b);
    }
    actions.append(buttons);
  }
  if (page.actionMessage)
    actions.append(
      h(
        'p',
        {
          id: 'alert-action-message',
          class: page.actionMessage.kind === 'error' ? 'error' : 'done',
          role: page.actionMessage.kind === 'error' ? 'alert' : 'status',
        },
        page.actionMessage.text(),
      ),
    );

  box.append(
    h('div', { class: 'detail-head' }, h('h3', {}, t('alerts.detail')), close),
    h('h4', {}, t('alerts.explanation')),
    h('p', { id: 'alert-explanation' }, f.explanation[state.lang]),
    dl,
    h('h4', {}, t('alerts.statistics')),
    h('p', { class: 'stats' }, stats || '–'),
    actions,
    h('h4', {}, t('alerts.history')),
    h(
      'table',
      { id: 'alert-history' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', {}, t('alerts.version')),
          h('th', {}, t('alerts.history.at')),
          h('th', {}, t('alerts.history.change')),
          h('th', {}, t('alerts.history.by')),
          h('th', {}, t('alerts.history.note')),
        ),
      ),
      h(
        'tbody',
        {},
        ...history.map((e) =>
          h(
            'tr',
            {},
            h('td', {}, String(e.version)),
            h('td', {}, shanghaiTime(e.at)),
            h('td', {}, `${t(`change.${e.kind}`)}: ${e.from ? `${stateName(e.from)} → ` : ''}${stateName(e.to)}`),
            h('td', {}, e.by),
            h('td', {}, e.note),
          ),
        ),
      ),
    ),
  );
}

function filterForm(catalog: Catalog): HTMLFormElement {
  const f = page.filter;
  const select = (id: string, name: keyof Filter, options: Array<[string, string]>) => {
    const el = h('select', { id: `alerts-${id}`, name });
    el.append(h('option', { value: '' }, t('alerts.filter.any')));
    for (const [value, text] of options) el.append(h('option', { value }, text));
    el.value = f[name];
    return el;
  };
  const stateSel = select(
    'state',
    'state',
    STATES.map((s) => [s, stateName(s)]),
  );
  const severitySel = select('severity', 'severity', [
    ['warning', t('severity.warning')],
    ['critical', t('severity.critical')],
  ]);
  const detectorSel = select(
    'detector',
    'detector',
    DETECTORS.map((d) => [d, detectorName(d)]),
  );
  const platformSel = select(
    'platform',
    'platformId',
    catalog.platforms.map((p) => [p.platformId, p.platformId]),
  );
  const orgs = [...new Set(catalog.platforms.flatMap((p) => p.orgIds))].sort();
  const orgSel = select(
    'org',
    'orgId',
    orgs.map((o) => [o, o]),
  );
  const from = h('input', { id: 'alerts-from', type: 'date', name: 'from', value: f.from });
  const to = h('input', { id: 'alerts-to', type: 'date', name: 'to', value: f.to });
  const form = h(
    'form',
    { id: 'alerts-form', class: 'query' },
    h('label', {}, t('alerts.filter.state'), stateSel),
    h('label', {}, t('alerts.filter.severity'), severitySel),
    h('label', {}, t('alerts.filter.detector'), detectorSel),
    h('label', {}, t('form.platform'), platformSel),
    h('label', {}, t('form.org'), orgSel),
    h('label', {}, t('alerts.filter.from'), from),
    h('label', {}, t('alerts.filter.to'), to),
    h('button', { type: 'submit', id: 'alerts-run' }, t('form.run')),
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    page.filter = {
      state: stateSel.value,
      severity: severitySel.value,
      detector: detectorSel.value,
      platformId: platformSel.value,
      orgId: orgSel.value,
      from: from.value,
      to: to.value,
    };
    page.offset = 0;
    // A new stream for the filter; its ready event loads the list.
    leaveAlerts();
    ensureStream();
  });
  return form;
}

/** The Alerts page: filters, the live list with badges, the detail with history and the lifecycle buttons. */
export function renderAlerts(root: HTMLElement, catalog: Catalog): void {
  root.append(
    h('h2', {}, t('alerts.title')),
    h('p', { class: 'intro' }, t('alerts.intro')),
    filterForm(catalog),
    h('p', { id: 'alerts-live', class: 'live' }),
    h(
      'div',
      { class: 'alerts-layout' },
      h('section', { id: 'alert-list-box' }),
      h('aside', { id: 'alert-detail-box' }),
    ),
  );
  renderLive();
  renderList();
  renderDetail();
  ensureStream();
}
