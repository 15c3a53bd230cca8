import './style.css';
import { leaveAlerts, renderAlerts } from './alerts.js';
import { ApiError, getJson } from './api.js';
import { resizeCharts } from './charts.js';
import { clear, h } from './dom.js';
import type { TextKey } from './i18n.js';
import { renderInspect } from './inspect.js';
import { renderPlatforms } from './platforms.js';
import { renderRanking } from './ranking.js';
import { renderReport } from './report.js';
import { forgetKey, type Me, setLang, state, storedKey, storeKey, t } from './state.js';
import type { Catalog } from './types.js';

const PAGES = {
  alerts: renderAlerts,
  inspect: renderInspect,
  platforms: renderPlatforms,
  ranking: renderRanking,
} as const;
/** Pages reached from another page rather than from the navigation: the printable report. */
const LINKED_PAGES = { report: renderReport } as const;
type PageName = keyof typeof PAGES | keyof typeof LINKED_PAGES;

const app = document.getElementById('app')!;
let catalog: Catalog | undefined;
let keyError: string | undefined;

/** The page named by the hash; Alerts (the live page every role may read) when none is. */
const currentPage = (): PageName => {
  const name = location.hash.slice(2).split('?')[0] ?? '';
  return name in PAGES || name in LINKED_PAGES ? (name as PageName) : 'alerts';
};

function header(): HTMLElement {
  const langSwitch = h(
    'button',
    { type: 'button', id: 'lang-switch', lang: state.lang === 'en' ? 'zh-CN' : 'en' },
    t('lang.switch'),
  );
  langSwitch.addEventListener('click', () => {
    setLang(state.lang === 'en' ? 'zh-CN' : 'en');
    render();
  });
  const nav = h('nav', {});
  if (state.me) {
    for (const name of Object.keys(PAGES) as Array<keyof typeof PAGES>) {
      nav.append(
        h(
          'a',
          { href: `#/${name}`, id: `nav-${name}`, class: currentPage() === name ? 'active' : undefined },
          t(`nav.${name}` as TextKey),
        ),
      );
    }
  }
  const who = h('div', { class: 'who' });
  if (state.me) {
    const forget = h('button', { type: 'button', id: 'key-forget' }, t('key.forget'));
    forget.addEventListener('click', () => {
      leaveAlerts(); // the live stream must not reconnect without the key while the page reloads
      forgetKey();
      // A fresh start: nothing of the last key's answers stays in memory.
      location.hash = '';
      location.reload();
    });
    who.append(
      h(
        'span',
        { id: 'key-status' },
        t('key.signedIn', { name: state.me.name, role: t(`role.${state.me.role}` as TextKey) }),
      ),
      forget,
    );
  }
  who.append(langSwitch);
  return h(
    'header',
    {},
    h('div', { class: 'brand' }, h('h1', {}, t('app.title')), h('p', {}, t('app.subtitle'))),
    nav,
    who,
  );
}

function keyForm(): HTMLElement {
  const input = h('input', {
    id: 'key-input',
    type: 'password',
    autocomplete: 'off',
    placeholder: t('key.placeholder'),
    required: '',
  });
  const form = h(
    'form',
    { id: 'key-form', class: 'key-form' },
    h('h2', {}, t('key.title')),
    h('p', {}, t('key.help')),
    input,
    h('button', { type: 'submit', id: 'key-submit' }, t('key.submit')),
    keyError ? h('p', { class: 'error', role: 'alert' }, keyError) : null,
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    void signIn(input.value.trim());
  });
  return form;
}

async function signIn(key: string): Promise<void> {
  try {
    state.me = await getJson<Me>('/v1/me', key);
    storeKey(key);
    keyError = undefined;
    catalog = await getJson<Catalog>('/v1/platforms');
  } catch (err) {
    state.me = undefined;
    forgetKey();
    keyError =
      err instanceof ApiError && err.status === 401
        ? t('key.invalid')
        : err instanceof ApiError
          ? err.localized()
          : String(err);
  }
  render();
}

function render(): void {
  document.title = t('app.title');
  clear(app);
  app.append(header());
  const main = h('main', { id: `page-${state.me ? currentPage() : 'key'}` });
  app.append(main);
  if (currentPage() !== 'alerts' || !state.me) leaveAlerts();
  if (!state.me || !catalog) main.append(keyForm());
  else ({ ...PAGES, ...LINKED_PAGES })[currentPage()](main, catalog, render);
}

setLang(state.lang);
window.addEventListener('hashchange', render);
window.addEventListener('resize', resizeCharts);
const key = storedKey();
if (key) void signIn(key);
else render();
