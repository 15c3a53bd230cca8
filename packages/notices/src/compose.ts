/**
 * A planned notice made into the document an owner can act on (pure): each finding in plain
 * words in both languages with its key numbers and a link to its evidence, what is asked and by
 * when.
 */
import {
  NOTICE_SCHEMA_VERSION,
  type Notice,
  type NoticeAsk,
  type NoticeItem,
  type NoticeItemChange,
  noticeSchema,
} from '@tracewatch/schema';
import type { PlannedEntry, PlannedNotice } from './grouping.js';

export interface ComposeOptions {
  id: string;
  number: string;
  createdAtMs: number;
  previousNumber: string | null;
  /** The console's base URL (evidence links point into it). */
  consoleUrl: string;
  /** Days the owner has to answer (its recipient configuration). */
  answerDays: number;
}

export const CHANGE_LABELS: Record<NoticeItemChange, { 'zh-CN': string; en: string }> = {
  new: { 'zh-CN': '新发现', en: 'New finding' },
  updated: { 'zh-CN': '已更新', en: 'Updated' },
  reopened: { 'zh-CN': '重新出现', en: 'Found again' },
  dismissed: { 'zh-CN': '已排除（不再追究）', en: 'Dismissed (no further action)' },
  confirmed: { 'zh-CN': '已核实', en: 'Confirmed' },
  resolved: { 'zh-CN': '已解决', en: 'Resolved' },
  withdrawn: { 'zh-CN': '已撤回（数据完整后不再成立）', en: 'Withdrawn (no longer holds on complete data)' },
};

const MAX_KEY_NUMBERS = 8;

/** The console page showing an alert's evidence: the inspection of its unit and period. */
export function evidenceUrl(consoleUrl: string, entry: PlannedEntry): string {
  const { finding } = entry.alert;
  const q = new URLSearchParams({ platform: finding.scope.platformId });
  if (finding.scope.orgId) q.set('org', finding.scope.orgId);
  q.set('from', finding.period.start);
  q.set('to', finding.period.end);
  q.set('alert', entry.alert.fingerprint);
  return `${consoleUrl.replace(/\/+$/, '')}/#/inspect?${q.toString()}`;
}

function item(consoleUrl: string, entry: PlannedEntry): NoticeItem {
  const { alert, change } = entry;
  const { finding } = alert;
  const label = CHANGE_LABELS[change];
  const where = finding.scope.orgId ? `${finding.scope.platformId} / ${finding.scope.orgId}` : finding.scope.platformId;
  const span = `${finding.period.start} – ${finding.period.end}`;
  return {
    fingerprint: alert.fingerprint,
    detector: finding.detector,
    severity: finding.severity,
    alertState: alert.state,
    alertVersion: alert.version,
    change,
    platformId: finding.scope.platformId,
    orgId: finding.scope.orgId ?? null,
    period: finding.period,
    summary: {
      'zh-CN': `${label['zh-CN']}：${where}，${span}。${finding.explanation['zh-CN']}`,
      en: `${label.en}: ${where}, ${span}. ${finding.explanation.en}`,
    },
    keyNumbers: Object.entries(finding.statistics)
      .filter(([name, value]) => name.length <= 64 && Number.isFinite(value))
      .slice(0, MAX_KEY_NUMBERS)
      .map(([name, value]) => ({ name, value })),
    pValue: finding.pValue,
    qValue: finding.qValue,
    evidenceUrl: evidenceUrl(consoleUrl, entry),
  };
}

/**
 * rectify: an item is confirmed (the finding stands, the unit must put it right); explain: a
 * finding is new, back or changed; none: every item closes a matter.
 */
export function askedOf(items: readonly NoticeItem[]): NoticeAsk {
  if (items.some((i) => i.alertState === 'confirmed')) return 'rectify';
  if (items.some((i) => i.change === 'new' || i.change === 'updated' || i.change === 'reopened')) return 'explain';
  return 'none';
}

const uniqueSorted = (xs: Iterable<string>) => [...new Set(xs)].sort();

export function composeNotice(plan: PlannedNotice, opts: ComposeOptions): Notice {
  const items = plan.entries.map((e) => item(opts.consoleUrl, e));
  const asked = askedOf(items);
  const changedAt = plan.entries.map((e) => e.changedAtMs);
  return noticeSchema.parse({
    schemaVersion: NOTICE_SCHEMA_VERSION,
    id: opts.id,
    number: opts.number,
    ownerId: plan.ownerId,
    kind: plan.kind,
    createdAt: new Date(opts.createdAtMs).toISOString(),
    covers: {
      from: new Date(Math.min(...changedAt)).toISOString(),
      to: new Date(Math.max(...changedAt)).toISOString(),
    },
    platformIds: uniqueSorted(items.map((i) => i.platformId)),
    orgIds: uniqueSorted(items.flatMap((i) => (i.orgId ? [i.orgId] : []))),
    items,
    asked,
    answerDeadline: asked === 'none' ? null : new Date(opts.createdAtMs + opts.answerDays * 86_400_000).toISOString(),
    previousNumber: opts.previousNumber,
  });
}
