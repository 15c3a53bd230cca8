/** A tracewatch alert as Alertmanager sees it (pure). */
import type { Alert, AlertState } from '@tracewatch/schema';
import type { LabelSet, PostableAlert } from './client.js';

/** States in which an alert is forwarded as firing; every other state ends it in Alertmanager. */
export const FORWARDED_STATES: readonly AlertState[] = ['open', 'acknowledged'];

/** Firing in Alertmanager: open or acknowledged, and no tracewatch silence matched it. */
export function isForwarded(alert: Alert): boolean {
  return FORWARDED_STATES.includes(alert.state) && alert.silencedBy.length === 0;
}

/** Labels the forwarder sets itself; deployment labels may not reuse them. */
export const ALERT_LABEL_NAMES = ['alertname', 'severity', 'platform', 'org', 'actor', 'fingerprint'] as const;

/**
 * The identity of the alert in Alertmanager. Everything here is fixed for a fingerprint
 * except severity; a severity change makes a new Alertmanager alert, and the old one is ended.
 * `deployment` labels (e.g. env=prod) tell apart tracewatch installations sharing one Alertmanager.
 */
export function alertLabels(alert: Alert, deployment: LabelSet = {}): LabelSet {
  const { finding } = alert;
  const labels: LabelSet = {
    ...deployment,
    alertname: finding.detector,
    severity: finding.severity,
    platform: finding.scope.platformId,
  };
  if (finding.scope.orgId !== undefined) labels.org = finding.scope.orgId;
  if (finding.scope.actorId !== undefined) labels.actor = finding.scope.actorId;
  labels.fingerprint = alert.fingerprint;
  return labels;
}

/** The same label set, whatever the key order: Alertmanager's notion of "the same alert". */
export function labelKey(labels: LabelSet): string {
  return JSON.stringify(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function scopeText(alert: Alert, lang: 'zh' | 'en'): string {
  const { platformId, orgId, actorId } = alert.finding.scope;
  const parts =
    lang === 'zh'
      ? [`平台 ${platformId}`, orgId && `单位 ${orgId}`, actorId && `用户 ${actorId}`]
      : [`platform ${platformId}`, orgId && `org ${orgId}`, actorId && `actor ${actorId}`];
  return parts.filter(Boolean).join(lang === 'zh' ? '，' : ', ');
}

/** Free text and numbers for people (not identity): zh-CN and en side by side. */
export function alertAnnotations(alert: Alert): LabelSet {
  const { finding } = alert;
  const { start, end } = finding.period;
  const annotations: LabelSet = {
    summary_zh: `疑似数据造假：${finding.detector}（${scopeText(alert, 'zh')}，${start} 至 ${end}）`,
    summary_en: `Suspected fabrication: ${finding.detector} (${scopeText(alert, 'en')}, ${start} to ${end})`,
    description_zh: finding.explanation['zh-CN'],
    description_en: finding.explanation.en,
    rule: finding.rule,
    period: `${start}/${end}`,
    state: alert.state,
    score: String(finding.score),
    first_seen_at: alert.firstSeenAt,
    last_seen_at: alert.lastSeenAt,
  };
  if (finding.pValue !== null) annotations.p_value = String(finding.pValue);
  if (finding.qValue !== null) annotations.q_value = String(finding.qValue);
  if (finding.corroboratedBy.length > 0) annotations.corroborated_by = finding.corroboratedBy.join(',');
  return annotations;
}

/** Where the console shows the alert: <consoleUrl>/alerts/<fingerprint>. */
export function generatorUrl(consoleUrl: string, fingerprint: string): string {
  return new URL(`alerts/${fingerprint}`, consoleUrl.endsWith('/') ? consoleUrl : `${consoleUrl}/`).href;
}

export interface PayloadOptions {
  /** endsAt: in the future for a firing alert (it expires unless re-sent), now or past to end it. */
  endsAtMs: number;
  /** Wall clock: startsAt is the alert's first sighting, but never later than now. */
  nowMs: number;
  consoleUrl?: string;
  deploymentLabels?: LabelSet;
}

export function toPostableAlert(alert: Alert, opts: PayloadOptions): PostableAlert {
  // firstSeenAt is stream time; a replay has it in the past, which Alertmanager accepts.
  const startsAtMs = Math.min(Date.parse(alert.firstSeenAt), opts.nowMs);
  const postable: PostableAlert = {
    labels: alertLabels(alert, opts.deploymentLabels),
    annotations: alertAnnotations(alert),
    startsAt: new Date(startsAtMs).toISOString(),
    // Alertmanager refuses an end before the start.
    endsAt: new Date(Math.max(opts.endsAtMs, startsAtMs)).toISOString(),
  };
  if (opts.consoleUrl) postable.generatorURL = generatorUrl(opts.consoleUrl, alert.fingerprint);
  return postable;
}
