import { h } from './dom.js';
import { t } from './state.js';
import type { Catalog } from './types.js';

export interface QueryValues {
  platformId: string;
  orgId: string;
  from: string;
  to: string;
}

const DAY_MS = 86_400_000;

/** The chooser both pages share: platform (optionally "all"), unit, range; remembers its values. */
export function queryForm(
  id: string,
  catalog: Catalog,
  values: QueryValues,
  options: { allowAllPlatforms: boolean; withOrg: boolean },
  onRun: (v: QueryValues) => void,
): HTMLFormElement {
  const platform = h('select', { id: `${id}-platform`, name: 'platformId' });
  if (options.allowAllPlatforms) platform.append(h('option', { value: '' }, t('form.allPlatforms')));
  for (const p of catalog.platforms) platform.append(h('option', { value: p.platformId }, p.platformId));
  platform.value = values.platformId;
  const org = h('select', { id: `${id}-org`, name: 'orgId' });
  const fillOrgs = () => {
    const chosen = catalog.platforms.filter((p) => !platform.value || p.platformId === platform.value);
    const orgs = [...new Set(chosen.flatMap((p) => p.orgIds))].sort();
    org.replaceChildren(
      h('option', { value: '' }, t('form.allOrgs')),
      ...orgs.map((o) => h('option', { value: o }, o)),
    );
    org.value = orgs.includes(values.orgId) ? values.orgId : '';
  };
  fillOrgs();
  platform.addEventListener('change', fillOrgs);
  const from = h('input', { id: `${id}-from`, type: 'date', name: 'from', value: values.from, required: '' });
  const to = h('input', { id: `${id}-to`, type: 'date', name: 'to', value: values.to, required: '' });
  const form = h(
    'form',
    { id: `${id}-form`, class: 'query' },
    h('label', {}, t('form.platform'), platform),
    options.withOrg ? h('label', {}, t('form.org'), org) : null,
    h('label', {}, t('form.from'), from),
    h('label', {}, t('form.to'), to),
    h('button', { type: 'submit', id: `${id}-run` }, t('form.run')),
    h('span', { class: 'hint' }, t('form.tz')),
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    onRun({ platformId: platform.value, orgId: options.withOrg ? org.value : '', from: from.value, to: to.value });
  });
  return form;
}

/** The last 90 days, ending today (exclusive of tomorrow). */
export function defaultRange(): { from: string; to: string } {
  const tomorrow = Date.now() + DAY_MS;
  return {
    from: new Date(tomorrow - 90 * DAY_MS).toISOString().slice(0, 10),
    to: new Date(tomorrow).toISOString().slice(0, 10),
  };
}
