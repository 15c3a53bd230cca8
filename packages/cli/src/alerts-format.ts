/** How the operator commands show alerts, changes and silences (pure: tested without servers). */
import { STATE_LABELS, type StoredSilence } from '@tracewatch/alerts';
import { type Alert, type AlertChange, instant } from '@tracewatch/schema';
import { UsageError } from './args.js';
import { scopeLabel, shortText } from './findings-format.js';
import { probability, renderTable } from './text-table.js';

export type Lang = 'zh-CN' | 'en';

export function parseLang(raw: string | undefined, env: NodeJS.ProcessEnv = process.env): Lang {
  if (raw === undefined) return (env.LANG ?? '').toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
  if (raw !== 'zh-CN' && raw !== 'en') throw new UsageError(`--lang must be zh-CN or en, got ${JSON.stringify(raw)}`);
  return raw;
}

const SEVERITY_LABELS: Record<Alert['finding']['severity'], Record<Lang, string>> = {
  warning: { 'zh-CN': '警告', en: 'warning' },
  critical: { 'zh-CN': '严重', en: 'critical' },
};

const DURATION = /^(\d+)(m|h|d|w)$/;
const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 } as const;

/** `--expires`: a duration from now (30m, 4h, 7d, 2w) or an instant with an offset; in the future. */
export function parseExpires(raw: string, now: Date): string {
  const d = DURATION.exec(raw);
  let ms: number;
  if (d) ms = now.getTime() + Number(d[1]) * UNIT_MS[d[2] as keyof typeof UNIT_MS];
  else if (instant.safeParse(raw).success) ms = Date.parse(raw);
  else
    throw new UsageError(
      `--expires must be a duration (30m, 4h, 7d, 2w) or an instant with an offset (2026-12-31T18:00:00+08:00), got ${JSON.stringify(raw)}`,
    );
  if (ms <= now.getTime()) throw new UsageError(`--expires must be in the future, got ${JSON.stringify(raw)}`);
  return new Date(ms).toISOString();
}

/** What `alerts list --format json` gives per alert. */
export function alertSummary(alert: Alert) {
  const f = alert.finding;
  return {
    fingerprint: alert.fingerprint,
    state: alert.state,
    severity: f.severity,
    detector: f.detector,
    rule: f.rule,
    scope: f.scope,
    period: f.period,
    explanation: f.explanation,
    version: alert.version,
    pValue: f.pValue,
    qValue: f.qValue,
    score: f.score,
    silencedBy: alert.silencedBy,
    firstSeenAt: alert.firstSeenAt,
    lastSeenAt: alert.lastSeenAt,
    updatedAt: alert.updatedAt,
    updatedBy: alert.updatedBy,
  };
}

export function alertsTable(alerts: readonly Alert[], lang: Lang): string {
  if (alerts.length === 0) return lang === 'zh-CN' ? '没有告警。\n' : 'no alerts.\n';
  const rows = alerts.map((a) => [
    a.fingerprint,
    STATE_LABELS[a.state][lang] + (a.silencedBy.length > 0 ? (lang === 'zh-CN' ? '(静默)' : ' (silenced)') : ''),
    SEVERITY_LABELS[a.finding.severity][lang],
    a.finding.detector,
    scopeLabel(a.finding.scope),
    `${a.finding.period.start}..${a.finding.period.end}`,
    a.finding.pValue !== null ? probability(a.finding.pValue) : a.finding.score.toPrecision(3),
    String(a.version),
    shortText(a.finding.explanation[lang], 80),
  ]);
  const headers =
    lang === 'zh-CN'
      ? ['指纹', '状态', '级别', '检测器', '范围', '期间', 'p/分值', '版本', '说明']
      : ['fingerprint', 'state', 'severity', 'detector', 'scope', 'period', 'p/score', 'ver', 'explanation'];
  return `${renderTable(
    headers.map((header) => ({ header })),
    rows,
  )}\n`;
}

/** One line per change for `alerts tail`. */
export function changeLine(change: AlertChange, lang: Lang): string {
  const f = change.alert.finding;
  const move =
    change.kind === 'transition'
      ? `${STATE_LABELS[change.from ?? 'open'][lang]} → ${STATE_LABELS[change.to][lang]}`
      : `${change.kind} ${STATE_LABELS[change.to][lang]}`;
  const parts = [
    change.at,
    change.fingerprint,
    `v${change.version}`,
    move,
    `${lang === 'zh-CN' ? '操作人' : 'by'} ${change.by}`,
    `[${SEVERITY_LABELS[f.severity][lang]}]`,
    f.detector,
    scopeLabel(f.scope),
    `${f.period.start}..${f.period.end}`,
  ];
  if (change.alert.silencedBy.length > 0) parts.push(lang === 'zh-CN' ? '(静默)' : '(silenced)');
  if (change.note) parts.push(`— ${change.note.replace(/\s+/g, ' ')}`);
  return parts.join('  ');
}

export function silencesTable(silences: readonly StoredSilence[], now: Date, lang: Lang): string {
  if (silences.length === 0) return lang === 'zh-CN' ? '没有静默规则。\n' : 'no silences.\n';
  const any = lang === 'zh-CN' ? '全部' : 'any';
  const rows = silences.map(({ silence: s, expiredBy }) => {
    const active = Date.parse(s.expiresAt) > now.getTime();
    const status = active
      ? lang === 'zh-CN'
        ? '生效'
        : 'active'
      : `${lang === 'zh-CN' ? '已过期' : 'expired'}${expiredBy ? ` (${expiredBy})` : ''}`;
    return [
      s.id,
      status,
      s.detector ?? any,
      [s.platformId ?? any, s.orgId, s.actorId].filter((x) => x !== null).join('/'),
      s.createdBy,
      s.expiresAt,
      shortText(s.reason, 60),
    ];
  });
  const headers =
    lang === 'zh-CN'
      ? ['编号', '状态', '检测器', '范围', '创建人', '到期', '原因']
      : ['id', 'status', 'detector', 'scope', 'created by', 'expires', 'reason'];
  return `${renderTable(
    headers.map((header) => ({ header })),
    rows,
  )}\n`;
}
