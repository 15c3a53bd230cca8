/**
 * The notice tables in ClickHouse (migrations 030, 033, 034): the outbox the notifier writes and
 * the reads the API makes. Every value reaches SQL through the store's escaping helpers; rows
 * come back through the zod schemas. Reads that decide anything take the time as an argument.
 *
 * Visibility: a request's scope is the access package's `Scope` (all, or a list of platform
 * ids). A notice is visible in a platform scope only when every platform it concerns is in it,
 * so an owner never reads findings about a platform that is not theirs.
 */
import { randomBytes } from 'node:crypto';
import {
  type Alert,
  type AlertChange,
  type AnswerInput,
  alertSchema,
  answerInputSchema,
  NOTICE_SCHEMA_VERSION,
  type Notice,
  type NoticeAcknowledgement,
  type NoticeAnswer,
  type NoticeDelivery,
  type NoticeView,
  noticeAnswerSchema,
  noticeSchema,
} from '@tracewatch/schema';
import { type Store, selectRows, sqlIdentifier, sqlNumber, sqlString, sqlStringList } from '@tracewatch/store';
import { isOverdue } from './escalation.js';
import { parseNoticeNumber } from './numbering.js';

export const NOTICE_TABLES = {
  notices: 'notices',
  items: 'notice_items',
  inbox: 'notifier_alert_changes',
  deliveries: 'notice_deliveries',
  answers: 'notice_answers',
  acknowledgements: 'notice_acknowledgements',
} as const;
type NoticeTable = (typeof NOTICE_TABLES)[keyof typeof NOTICE_TABLES];

/** Structurally the access package's Scope (packages/access/src/scope.ts). */
export type NoticeScope = { kind: 'all' } | { kind: 'platforms'; platformIds: readonly string[] };

/** Reads of ReplacingMergeTree tables with FINAL: no condition may run before the merge. */
const FINAL_SETTINGS = { optimize_move_to_prewhere: 0 };

const table = (store: Store, name: NoticeTable) => `${sqlIdentifier(store.database)}.${sqlIdentifier(name)}`;

async function insertRows(store: Store, name: NoticeTable, rows: object[]) {
  if (rows.length === 0) return;
  await store.client.insert({ table: table(store, name), values: rows, format: 'JSONEachRow' });
}

function parseOrThrow<T>(
  what: string,
  schema: { safeParse(v: unknown): { success: boolean; data?: T; error?: Error } },
  json: string,
): T {
  const parsed = schema.safeParse(JSON.parse(json));
  if (!parsed.success) throw new Error(`a ${what} row fails its schema: ${parsed.error?.message}`);
  return parsed.data as T;
}

/** The scope as a condition on the notices table's platform_ids. */
export function noticeScopeSql(scope: NoticeScope): string {
  if (scope.kind === 'all') return '1';
  if (scope.platformIds.length === 0) return '0';
  return `hasAll(${`[${scope.platformIds.map(sqlString).join(', ')}]`}, platform_ids)`;
}

// ---------------------------------------------------------------- the inbox (alert changes)

/** Stores alert changes read from the alerts topic (idempotent: a replay collapses). */
export async function writeInbox(store: Store, changes: readonly AlertChange[]): Promise<void> {
  await insertRows(
    store,
    NOTICE_TABLES.inbox,
    changes.map((c) => ({
      fingerprint: c.fingerprint,
      version: c.version,
      platform_id: c.alert.finding.scope.platformId,
      org_id: c.alert.finding.scope.orgId ?? '',
      severity: c.alert.finding.severity,
      state: c.alert.state,
      silenced: c.alert.silencedBy.length > 0 ? 1 : 0,
      at_ms: Date.parse(c.at),
      alert: JSON.stringify(c.alert),
    })),
  );
}

/** The latest state of an alert as received, and the span of its changes received. */
export interface ReceivedAlert {
  alert: Alert;
  /** When its latest change happened (the change's `at`). */
  changedAtMs: number;
}

/** The latest received state of every alert of the given platforms. */
export async function loadReceivedAlerts(store: Store, platformIds: readonly string[]): Promise<ReceivedAlert[]> {
  if (platformIds.length === 0) return [];
  const rows = await selectRows<{ latest_alert: string; latest_at_ms: number | string }>(
    store,
    `SELECT argMax(alert, version) AS latest_alert, argMax(at_ms, version) AS latest_at_ms
     FROM ${table(store, NOTICE_TABLES.inbox)} WHERE platform_id IN ${sqlStringList(platformIds)}
     GROUP BY fingerprint`,
  );
  return rows.map((r) => ({
    alert: parseOrThrow<Alert>('notifier_alert_changes', alertSchema, r.latest_alert),
    changedAtMs: Number(r.latest_at_ms),
  }));
}

// ---------------------------------------------------------------- what was notified

/** An alert as the last committed notice to an owner reported it. */
export interface NotifiedSnapshot {
  fingerprint: string;
  alertVersion: number;
  alertState: Alert['state'];
  severity: Alert['finding']['severity'];
  periodStart: string;
  periodEnd: string;
}

/** Per fingerprint: the alert as last notified to the owner (committed notices only). */
export async function loadNotified(store: Store, ownerId: string): Promise<Map<string, NotifiedSnapshot>> {
  const rows = await selectRows<{
    fingerprint: string;
    last_version: number;
    last_state: Alert['state'];
    last_severity: Alert['finding']['severity'];
    last_start: string;
    last_end: string;
  }>(
    store,
    // Aliases differ from the columns: 18.16 would read argMax(…, alert_version) as the max alias.
    `SELECT fingerprint, max(alert_version) AS last_version,
            argMax(alert_state, alert_version) AS last_state, argMax(severity, alert_version) AS last_severity,
            toString(argMax(period_start, alert_version)) AS last_start, toString(argMax(period_end, alert_version)) AS last_end
     FROM ${table(store, NOTICE_TABLES.items)}
     WHERE owner_id = ${sqlString(ownerId)}
       AND notice_id IN (SELECT id FROM ${table(store, NOTICE_TABLES.notices)} WHERE owner_id = ${sqlString(ownerId)})
     GROUP BY fingerprint`,
  );
  return new Map(
    rows.map((r) => [
      r.fingerprint,
      {
        fingerprint: r.fingerprint,
        alertVersion: Number(r.last_version),
        alertState: r.last_state,
        severity: r.last_severity,
        periodStart: r.last_start,
        periodEnd: r.last_end,
      },
    ]),
  );
}

// ---------------------------------------------------------------- the outbox

/** The highest sequence stored for a year (0 when none). */
export async function highestSequence(store: Store, year: number): Promise<number> {
  const rows = await selectRows<{ seq: number | string }>(
    store,
    `SELECT max(number_seq) AS seq FROM ${table(store, NOTICE_TABLES.notices)} WHERE number_year = ${sqlNumber(year)}`,
  );
  return Number(rows[0]?.seq ?? 0);
}

/** The number of the owner's latest notice (null when none). */
export async function latestNumberOf(store: Store, ownerId: string): Promise<string | null> {
  const rows = await selectRows<{ number: string }>(
    store,
    `SELECT number FROM ${table(store, NOTICE_TABLES.notices)} WHERE owner_id = ${sqlString(ownerId)}
     ORDER BY number_year DESC, number_seq DESC LIMIT 1`,
  );
  return rows[0]?.number ?? null;
}

/**
 * Stores a notice: its items first, then the notice row (the commit point). Idempotent: storing
 * the same notice again writes rows that collapse on their keys.
 */
export async function storeNotice(store: Store, notice: Notice): Promise<void> {
  const valid = noticeSchema.parse(notice);
  const createdMs = Date.parse(valid.createdAt);
  await insertRows(
    store,
    NOTICE_TABLES.items,
    valid.items.map((i) => ({
      owner_id: valid.ownerId,
      fingerprint: i.fingerprint,
      alert_version: i.alertVersion,
      notice_id: valid.id,
      alert_state: i.alertState,
      severity: i.severity,
      period_start: i.period.start,
      period_end: i.period.end,
      change: i.change,
      platform_id: i.platformId,
      org_id: i.orgId ?? '',
      created_ms: createdMs,
    })),
  );
  const { year, sequence } = parseNoticeNumber(valid.number);
  await insertRows(store, NOTICE_TABLES.notices, [
    {
      id: valid.id,
      number: valid.number,
      number_year: year,
      number_seq: sequence,
      owner_id: valid.ownerId,
      kind: valid.kind,
      platform_ids: valid.platformIds,
      org_ids: valid.orgIds,
      asked: valid.asked,
      created_at: Math.floor(createdMs / 1000),
      created_ms: createdMs,
      answer_deadline_ms: valid.answerDeadline === null ? 0 : Date.parse(valid.answerDeadline),
      notice: JSON.stringify(valid),
    },
  ]);
}

/** Every notice, oldest first (the notifier's start: which deliveries are still open). */
export async function loadNoticesSince(store: Store, sinceMs: number): Promise<Notice[]> {
  const rows = await selectRows<{ notice: string }>(
    store,
    `SELECT notice FROM ${table(store, NOTICE_TABLES.notices)} FINAL WHERE created_ms >= ${sqlNumber(sinceMs)}
     ORDER BY number_year, number_seq`,
    FINAL_SETTINGS,
  );
  return rows.map((r) => parseOrThrow<Notice>('notices', noticeSchema, r.notice));
}

// ---------------------------------------------------------------- digests

/** Per owner: when its latest digest was created (the slot it stood for follows from the schedule). */
export async function lastDigestAt(store: Store): Promise<Map<string, number>> {
  const rows = await selectRows<{ owner_id: string; last_ms: number | string }>(
    store,
    `SELECT owner_id, max(created_ms) AS last_ms FROM ${table(store, NOTICE_TABLES.notices)}
     WHERE kind = 'digest' GROUP BY owner_id`,
  );
  return new Map(rows.map((r) => [r.owner_id, Number(r.last_ms)]));
}

// ---------------------------------------------------------------- delivery state

interface DeliveryRow {
  notice_id: string;
  channel: NoticeDelivery['channel'];
  message_id: string;
  state: NoticeDelivery['state'];
  attempts: number;
  first_attempt_ms: number | string;
  last_error: string;
  next_attempt_ms: number | string;
  updated_ms: number | string;
}

const deliveryFromRow = (r: DeliveryRow): NoticeDelivery => ({
  noticeId: r.notice_id,
  channel: r.channel,
  messageId: r.message_id,
  state: r.state,
  attempts: Number(r.attempts),
  firstAttemptAt: Number(r.first_attempt_ms) > 0 ? new Date(Number(r.first_attempt_ms)).toISOString() : null,
  lastError: r.last_error,
  nextAttemptAt: Number(r.next_attempt_ms) > 0 ? new Date(Number(r.next_attempt_ms)).toISOString() : null,
  updatedAt: new Date(Number(r.updated_ms)).toISOString(),
});

/** Writes a delivery's new state (the highest updatedAt wins). */
export async function writeDelivery(store: Store, d: NoticeDelivery): Promise<void> {
  await insertRows(store, NOTICE_TABLES.deliveries, [
    {
      notice_id: d.noticeId,
      channel: d.channel,
      message_id: d.messageId,
      state: d.state,
      attempts: d.attempts,
      first_attempt_ms: d.firstAttemptAt === null ? 0 : Date.parse(d.firstAttemptAt),
      last_error: d.lastError.slice(0, 2000),
      next_attempt_ms: d.nextAttemptAt === null ? 0 : Date.parse(d.nextAttemptAt),
      updated_ms: Date.parse(d.updatedAt),
    },
  ]);
}

/** The current state of every delivery of the given notices (all when undefined). */
export async function loadDeliveries(store: Store, noticeIds?: readonly string[]): Promise<NoticeDelivery[]> {
  if (noticeIds && noticeIds.length === 0) return [];
  const where = noticeIds ? `notice_id IN ${sqlStringList(noticeIds)}` : '1';
  const rows = await selectRows<DeliveryRow>(
    store,
    `SELECT notice_id, channel, message_id, state, attempts, first_attempt_ms, last_error, next_attempt_ms, updated_ms
     FROM ${table(store, NOTICE_TABLES.deliveries)} FINAL WHERE ${where} ORDER BY notice_id, channel`,
    FINAL_SETTINGS,
  );
  return rows.map(deliveryFromRow);
}

/** Terminal rows per (notice, channel) as stored, not collapsed: "marked once" means 1 each. */
export async function countDeliveryMarks(
  store: Store,
  state: 'delivered' | 'failed',
): Promise<Array<{ noticeId: string; channel: string; marks: number }>> {
  const rows = await selectRows<{ notice_id: string; channel: string; marks: number | string }>(
    store,
    `SELECT notice_id, channel, count() AS marks FROM ${table(store, NOTICE_TABLES.deliveries)}
     WHERE state = ${sqlString(state)} GROUP BY notice_id, channel ORDER BY notice_id, channel`,
  );
  return rows.map((r) => ({ noticeId: r.notice_id, channel: r.channel, marks: Number(r.marks) }));
}

// ---------------------------------------------------------------- owners' side: reads

export interface NoticeFilter {
  ownerId?: string | undefined;
  platformId?: string | undefined;
  orgId?: string | undefined;
  kind?: Notice['kind'] | undefined;
  asked?: Notice['asked'] | undefined;
  /** answered: has an answer; unanswered: something asked, none yet; overdue: unanswered past the deadline. */
  status?: 'answered' | 'unanswered' | 'overdue' | undefined;
  /** Created at or after / before these instants (ISO 8601). */
  from?: string | undefined;
  to?: string | undefined;
  limit: number;
  offset?: number | undefined;
}

function instantMs(what: string, iso: string): number {
  const ms = Date.parse(iso);
  if (!Number.isFinite(ms)) throw new RangeError(`${what} is not an instant: ${JSON.stringify(iso)}`);
  return ms;
}

/** The WHERE clause of a scope, a filter and the time of the read (for overdue). */
export function noticeFilterSql(
  store: Store,
  scope: NoticeScope,
  filter: Omit<NoticeFilter, 'limit' | 'offset'>,
  asOfMs: number,
): string {
  const where = [noticeScopeSql(scope)];
  if (filter.ownerId) where.push(`owner_id = ${sqlString(filter.ownerId)}`);
  if (filter.platformId) where.push(`has(platform_ids, ${sqlString(filter.platformId)})`);
  if (filter.orgId) where.push(`has(org_ids, ${sqlString(filter.orgId)})`);
  if (filter.kind) where.push(`kind = ${sqlString(filter.kind)}`);
  if (filter.asked) where.push(`asked = ${sqlString(filter.asked)}`);
  if (filter.from) where.push(`created_ms >= ${sqlNumber(instantMs('from', filter.from))}`);
  if (filter.to) where.push(`created_ms < ${sqlNumber(instantMs('to', filter.to))}`);
  const answered = `id IN (SELECT notice_id FROM ${table(store, NOTICE_TABLES.answers)})`;
  if (filter.status === 'answered') where.push(answered);
  if (filter.status === 'unanswered') where.push(`asked != 'none' AND NOT ${answered}`);
  if (filter.status === 'overdue')
    where.push(`asked != 'none' AND answer_deadline_ms < ${sqlNumber(asOfMs)} AND NOT ${answered}`);
  return where.join(' AND ');
}

async function viewsOf(store: Store, notices: Notice[], asOfMs: number): Promise<NoticeView[]> {
  if (notices.length === 0) return [];
  const ids = notices.map((n) => n.id);
  const [acks, answers, deliveries] = await Promise.all([
    selectRows<{ notice_id: string; first_by: string; first_at_ms: number | string }>(
      store,
      `SELECT notice_id, argMin(by, at_ms) AS first_by, min(at_ms) AS first_at_ms FROM ${table(store, NOTICE_TABLES.acknowledgements)}
       WHERE notice_id IN ${sqlStringList(ids)} GROUP BY notice_id`,
    ),
    selectRows<{ answer: string }>(
      store,
      `SELECT answer FROM ${table(store, NOTICE_TABLES.answers)} FINAL WHERE notice_id IN ${sqlStringList(ids)} ORDER BY at_ms, id`,
      FINAL_SETTINGS,
    ),
    loadDeliveries(store, ids),
  ]);
  const ackOf = new Map(
    acks.map((a) => [
      a.notice_id,
      { noticeId: a.notice_id, by: a.first_by, at: new Date(Number(a.first_at_ms)).toISOString() },
    ]),
  );
  const answersOf = new Map<string, NoticeAnswer[]>();
  for (const r of answers) {
    const a = parseOrThrow<NoticeAnswer>('notice_answers', noticeAnswerSchema, r.answer);
    answersOf.set(a.noticeId, [...(answersOf.get(a.noticeId) ?? []), a]);
  }
  return notices.map((notice) => {
    const own = answersOf.get(notice.id) ?? [];
    return {
      notice,
      acknowledgement: ackOf.get(notice.id) ?? null,
      answers: own,
      deliveries: deliveries.filter((d) => d.noticeId === notice.id),
      overdue: isOverdue(notice, own, asOfMs),
    };
  });
}

/** Notices in the scope matching the filter, newest first, with the total for paging. */
export async function listNotices(
  store: Store,
  scope: NoticeScope,
  filter: NoticeFilter,
  asOf: Date = new Date(),
): Promise<{ total: number; notices: NoticeView[] }> {
  const where = noticeFilterSql(store, scope, filter, asOf.getTime());
  const notices = table(store, NOTICE_TABLES.notices);
  const [count, rows] = await Promise.all([
    selectRows<{ n: number | string }>(
      store,
      `SELECT count() AS n FROM (SELECT id FROM ${notices} FINAL WHERE ${where})`,
      FINAL_SETTINGS,
    ),
    selectRows<{ notice: string }>(
      store,
      `SELECT notice FROM ${notices} FINAL WHERE ${where}
       ORDER BY created_ms DESC, number_seq DESC LIMIT ${sqlNumber(filter.offset ?? 0)}, ${sqlNumber(filter.limit)}`,
      FINAL_SETTINGS,
    ),
  ]);
  const docs = rows.map((r) => parseOrThrow<Notice>('notices', noticeSchema, r.notice));
  return { total: Number(count[0]?.n ?? 0), notices: await viewsOf(store, docs, asOf.getTime()) };
}

/** One notice by id or number, if it exists and lies in the scope. */
export async function getNotice(
  store: Store,
  scope: NoticeScope,
  idOrNumber: string,
  asOf: Date = new Date(),
): Promise<NoticeView | undefined> {
  const rows = await selectRows<{ notice: string }>(
    store,
    `SELECT notice FROM ${table(store, NOTICE_TABLES.notices)} FINAL
     WHERE (id = ${sqlString(idOrNumber)} OR number = ${sqlString(idOrNumber)}) AND ${noticeScopeSql(scope)}`,
    FINAL_SETTINGS,
  );
  const docs = rows.map((r) => parseOrThrow<Notice>('notices', noticeSchema, r.notice));
  return (await viewsOf(store, docs.slice(0, 1), asOf.getTime()))[0];
}

// ---------------------------------------------------------------- owners' side: writes

export class NoticeNotFoundError extends Error {
  override name = 'NoticeNotFoundError';
}

/**
 * Records that `by` acknowledged the notice. The first acknowledgement counts: a later one
 * returns the first. Throws NoticeNotFoundError when the notice is not in the scope.
 */
export async function acknowledgeNotice(
  store: Store,
  scope: NoticeScope,
  idOrNumber: string,
  by: string,
  at: Date = new Date(),
): Promise<NoticeAcknowledgement> {
  const view = await getNotice(store, scope, idOrNumber, at);
  if (!view) throw new NoticeNotFoundError(`no notice ${idOrNumber}`);
  if (view.acknowledgement) return view.acknowledgement;
  await insertRows(store, NOTICE_TABLES.acknowledgements, [{ notice_id: view.notice.id, by, at_ms: at.getTime() }]);
  const again = await getNotice(store, scope, view.notice.id, at);
  return again?.acknowledgement ?? { noticeId: view.notice.id, by, at: at.toISOString() };
}

/**
 * Stores an answer (explanation or rectification, with links) to a notice in the scope.
 * Validates the input (throws the zod error, which names the field); NoticeNotFoundError when
 * the notice is not in the scope. Answering also acknowledges.
 */
export async function answerNotice(
  store: Store,
  scope: NoticeScope,
  idOrNumber: string,
  input: AnswerInput,
  by: string,
  at: Date = new Date(),
): Promise<NoticeAnswer> {
  const valid = answerInputSchema.parse(input);
  const view = await getNotice(store, scope, idOrNumber, at);
  if (!view) throw new NoticeNotFoundError(`no notice ${idOrNumber}`);
  const answer = noticeAnswerSchema.parse({
    schemaVersion: NOTICE_SCHEMA_VERSION,
    id: `ans-${randomBytes(8).toString('hex')}`,
    noticeId: view.notice.id,
    kind: valid.kind,
    text: valid.text,
    attachments: valid.attachments,
    by,
    at: at.toISOString(),
  });
  await insertRows(store, NOTICE_TABLES.answers, [
    {
      notice_id: answer.noticeId,
      id: answer.id,
      kind: answer.kind,
      by,
      at_ms: at.getTime(),
      answer: JSON.stringify(answer),
    },
  ]);
  if (!view.acknowledgement) await acknowledgeNotice(store, scope, view.notice.id, by, at);
  return answer;
}

/**
 * Notices that asked for an answer, got none, and whose deadline is before `asOf` (escalation:
 * operations are alerted, the units appear as overdue in the ranking). Oldest deadline first.
 */
export async function overdueNotices(
  store: Store,
  asOf: Date,
  scope: NoticeScope = { kind: 'all' },
): Promise<Notice[]> {
  const where = noticeFilterSql(store, scope, { status: 'overdue' }, asOf.getTime());
  const rows = await selectRows<{ notice: string }>(
    store,
    `SELECT notice FROM ${table(store, NOTICE_TABLES.notices)} FINAL WHERE ${where} ORDER BY answer_deadline_ms, number_seq`,
    FINAL_SETTINGS,
  );
  return rows.map((r) => parseOrThrow<Notice>('notices', noticeSchema, r.notice));
}
