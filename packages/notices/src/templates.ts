/**
 * A notice rendered for delivery (pure): per language the e-mail subject, plain text and HTML
 * (packages/delivery's composeEmail puts the owner's languages in one message, zh-CN first), and
 * the webhook's JSON body. The same notice renders the same
 * bytes every time, so every retry sends what the first attempt sent.
 */
import { NOTICE_ISSUED_TYPE, type Notice, type NoticeItem, type NoticeWebhookBody } from '@tracewatch/schema';

export type Language = 'zh-CN' | 'en';
export const LANGUAGES: readonly Language[] = ['zh-CN', 'en'];

export interface RenderedNotice {
  parts: NoticePart[];
  /** The webhook body (JSON text). */
  json: string;
}

const WORDS = {
  'zh-CN': {
    title: '通报',
    kind: { immediate: '即时通报', digest: '定期汇总通报' },
    severity: { critical: '严重', warning: '警示' },
    number: '编号',
    date: '日期',
    covers: '涉及期间',
    platforms: '涉及平台',
    orgs: '涉及单位',
    findings: '发现',
    keyNumbers: '关键数据',
    evidence: '证据',
    asked: {
      explain: '请就上述发现作出说明',
      rectify: '请对已核实的问题进行整改并报告',
      none: '本通报仅供知悉，无需答复',
    },
    deadline: '答复截止时间',
    previous: '上一期通报',
    none: '无',
    findingsCount: (n: number) => `${n} 项发现`,
    footer: '请通过 tracewatch 控制台或 API 确认收到并答复本通报。',
  },
  en: {
    title: 'Notice',
    kind: { immediate: 'Immediate notice', digest: 'Periodic digest' },
    severity: { critical: 'critical', warning: 'warning' },
    number: 'Number',
    date: 'Date',
    covers: 'Changes covered',
    platforms: 'Platforms concerned',
    orgs: 'Units concerned',
    findings: 'Findings',
    keyNumbers: 'Key numbers',
    evidence: 'Evidence',
    asked: {
      explain: 'Please explain the findings above',
      rectify: 'Please rectify the confirmed findings and report what was done',
      none: 'For your information; no answer is needed',
    },
    deadline: 'Answer due by',
    previous: 'Previous notice',
    none: 'none',
    findingsCount: (n: number) => `${n} finding${n === 1 ? '' : 's'}`,
    footer: 'Acknowledge and answer this notice in the tracewatch console or through the API.',
  },
} as const;

/** Instants shown in Beijing time (the users' clock), with the zone said. */
function localTime(iso: string): string {
  const d = new Date(Date.parse(iso) + 8 * 3_600_000);
  return `${d.toISOString().slice(0, 16).replace('T', ' ')} (UTC+8)`;
}

function formatNumber(x: number): string {
  if (Number.isInteger(x)) return String(x);
  const abs = Math.abs(x);
  return abs !== 0 && (abs < 1e-3 || abs >= 1e6) ? x.toExponential(2) : String(Number(x.toPrecision(4)));
}

function keyNumbers(item: NoticeItem): string {
  const parts = item.keyNumbers.map((k) => `${k.name} = ${formatNumber(k.value)}`);
  if (item.pValue !== null) parts.push(`p = ${formatNumber(item.pValue)}`);
  if (item.qValue !== null) parts.push(`q = ${formatNumber(item.qValue)}`);
  return parts.join(', ');
}

export function subjectOf(notice: Notice, lang: Language): string {
  const w = WORDS[lang];
  const count = w.findingsCount(notice.items.length);
  return lang === 'zh-CN'
    ? `【${w.kind[notice.kind]}】${notice.number} ${notice.platformIds.join('、')}：${count}`
    : `${w.kind[notice.kind]} ${notice.number} (${notice.platformIds.join(', ')}): ${count}`;
}

function textSection(notice: Notice, lang: Language): string {
  const w = WORDS[lang];
  const lines = [
    `${w.kind[notice.kind]} ${notice.number}`,
    `${w.number}: ${notice.number}`,
    `${w.date}: ${localTime(notice.createdAt)}`,
    `${w.covers}: ${localTime(notice.covers.from)} – ${localTime(notice.covers.to)}`,
    `${w.platforms}: ${notice.platformIds.join(', ')}`,
    `${w.orgs}: ${notice.orgIds.length > 0 ? notice.orgIds.join(', ') : w.none}`,
    '',
    `${w.findings} (${w.findingsCount(notice.items.length)}):`,
  ];
  notice.items.forEach((item, i) => {
    lines.push(`${i + 1}. [${w.severity[item.severity]}] ${item.summary[lang]}`);
    lines.push(`   ${w.keyNumbers}: ${keyNumbers(item)}`);
    lines.push(`   ${w.evidence}: ${item.evidenceUrl}`);
  });
  lines.push('', w.asked[notice.asked]);
  if (notice.answerDeadline) lines.push(`${w.deadline}: ${localTime(notice.answerDeadline)}`);
  if (notice.previousNumber) lines.push(`${w.previous}: ${notice.previousNumber}`);
  lines.push('', w.footer);
  return lines.join('\n');
}

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

function htmlSection(notice: Notice, lang: Language): string {
  const w = WORDS[lang];
  const e = escapeHtml;
  const row = (k: string, v: string) => `<tr><th align="left">${e(k)}</th><td>${e(v)}</td></tr>`;
  const items = notice.items
    .map(
      (item) =>
        `<li><p><strong>[${e(w.severity[item.severity])}]</strong> ${e(item.summary[lang])}</p>` +
        `<p>${e(w.keyNumbers)}: ${e(keyNumbers(item))}</p>` +
        `<p><a href="${e(item.evidenceUrl)}">${e(w.evidence)}</a></p></li>`,
    )
    .join('');
  return (
    `<h2>${e(`${w.kind[notice.kind]} ${notice.number}`)}</h2><table>` +
    row(w.number, notice.number) +
    row(w.date, localTime(notice.createdAt)) +
    row(w.covers, `${localTime(notice.covers.from)} – ${localTime(notice.covers.to)}`) +
    row(w.platforms, notice.platformIds.join(', ')) +
    row(w.orgs, notice.orgIds.length > 0 ? notice.orgIds.join(', ') : w.none) +
    `</table><h3>${e(`${w.findings} (${w.findingsCount(notice.items.length)})`)}</h3><ol>${items}</ol>` +
    `<p><strong>${e(w.asked[notice.asked])}</strong></p>` +
    (notice.answerDeadline ? `<p>${e(w.deadline)}: ${e(localTime(notice.answerDeadline))}</p>` : '') +
    (notice.previousNumber ? `<p>${e(w.previous)}: ${e(notice.previousNumber)}</p>` : '') +
    `<p>${e(w.footer)}</p>`
  );
}

export function webhookBody(notice: Notice): NoticeWebhookBody {
  return { type: NOTICE_ISSUED_TYPE, timestamp: notice.createdAt, data: notice };
}

/** One language's part of a notice (what packages/delivery's composeEmail joins into one e-mail). */
export interface NoticePart {
  language: Language;
  subject: string;
  /** The body of its section (composeEmail wraps each part in `<section lang>`). */
  html: string;
  text: string;
}

export function renderPart(notice: Notice, language: Language): NoticePart {
  return {
    language,
    subject: subjectOf(notice, language),
    html: htmlSection(notice, language),
    text: textSection(notice, language),
  };
}

/** Every language asked for (zh-CN first), and the webhook body (which carries both anyway). */
export function renderNotice(notice: Notice, languages: readonly Language[] = LANGUAGES): RenderedNotice {
  return {
    parts: LANGUAGES.filter((l) => languages.includes(l)).map((l) => renderPart(notice, l)),
    json: JSON.stringify(webhookBody(notice)),
  };
}
