/**
 * The raw details behind one finding: the trace events of its scope and period that carry it
 * (narrowed by what its evidence names: the backfilled records, the duplicated hashes, the
 * action, the tasks), per day, per actor, and the records themselves, bounded and paged.
 * The only inspection answer read from raw rows.
 */
import { boundedId } from '@tracewatch/schema';
import { type Store, selectRows, sqlNumber, sqlString, sqlStringList } from '@tracewatch/store';
import { z } from 'zod';
import type { FindingOut } from './findings.js';
import { DEFAULT_TIME_ZONE, dayNumber, localMidnightSql } from './range.js';

export const MAX_EVIDENCE_PAGE = 1000;
export const MAX_EVIDENCE_OFFSET = 100_000;
const MAX_EVIDENCE_ACTORS = 50;
const MAX_LISTED_IDS = 200;
const BACKFILL_LAG_S = 86_400;
const DAY_MS = 86_400_000;

export const evidencePageShape = {
  limit: z.coerce.number().int().min(1).max(MAX_EVIDENCE_PAGE).default(100).describe('records per page'),
  offset: z.coerce.number().int().min(0).max(MAX_EVIDENCE_OFFSET).default(0).describe('records to skip'),
};
export interface EvidencePage {
  limit: number;
  offset: number;
}

/** Which raw events carry the finding: conditions and what they mean, in both languages. */
export interface EvidenceSelection {
  where: string[];
  /** Days and order follow the recorded time for backfilling, the claimed time otherwise. */
  timeColumn: 'occurred_at' | 'recorded_at';
  description: { 'zh-CN': string; en: string };
}

/** Ids listed in the evidence (only well-formed ones, at most MAX_LISTED_IDS). */
function listedIds(value: unknown, field?: string): string[] {
  if (!Array.isArray(value)) return [];
  const ids = value
    .map((v) => (field && v && typeof v === 'object' ? (v as Record<string, unknown>)[field] : v))
    .filter((v): v is string => boundedId.safeParse(v).success);
  return [...new Set(ids)].slice(0, MAX_LISTED_IDS);
}

const dayAfter = (day: string) => new Date((dayNumber(day) + 1) * DAY_MS).toISOString().slice(0, 10);

export function evidenceSelection(f: FindingOut, tz = DEFAULT_TIME_ZONE): EvidenceSelection {
  const e = f.evidence;
  const where = [`platform_id = ${sqlString(f.scope.platformId)}`];
  if (f.scope.orgId !== null) where.push(`org_id = ${sqlString(f.scope.orgId)}`);
  if (f.scope.actorId !== null) where.push(`actor_id = ${sqlString(f.scope.actorId)}`);
  const timeColumn = f.detector === 'backfill' ? 'recorded_at' : 'occurred_at';
  where.push(
    `${timeColumn} >= ${localMidnightSql(f.period.start, tz)}`,
    `${timeColumn} < ${localMidnightSql(dayAfter(f.period.end), tz)}`,
  );
  const zh: string[] = [`${f.period.start} 至 ${f.period.end}`];
  const en: string[] = [`${f.period.start} to ${f.period.end}`];
  zh.unshift(timeColumn === 'recorded_at' ? '按记录时间' : '按声称发生时间');
  en.unshift(timeColumn === 'recorded_at' ? 'by recording time' : 'by claimed time');

  if (f.detector === 'backfill') {
    where.push(`toInt64(recorded_at) - toInt64(occurred_at) > ${BACKFILL_LAG_S}`);
    zh.push('记录晚于声称时间 24 小时以上的留痕');
    en.push('traces recorded more than 24 h after the time they claim');
  }
  const reportIds = listedIds(e.reportIds);
  const hashes = [...listedIds(e.hashes), ...listedIds(e.duplicated, 'contentHash')];
  const taskIds = listedIds(e.taskIds);
  const action = typeof e.action === 'string' && boundedId.safeParse(e.action).success ? e.action : undefined;
  if (reportIds.length > 0) {
    where.push(`event_id IN ${sqlStringList(reportIds)}`);
    zh.push(`证据列出的 ${reportIds.length} 条记录`);
    en.push(`the ${reportIds.length} records the evidence lists`);
  } else if (hashes.length > 0) {
    where.push(`content_hash IN ${sqlStringList(hashes)}`);
    zh.push(`内容哈希为证据所列 ${hashes.length} 个之一`);
    en.push(`content hash among the ${hashes.length} the evidence lists`);
  }
  if (taskIds.length > 0) {
    where.push(`task_id IN ${sqlStringList(taskIds)}`);
    zh.push(`证据所列的 ${taskIds.length} 项任务`);
    en.push(`the ${taskIds.length} tasks the evidence lists`);
  } else if (f.detector === 'deadline-crunch') {
    where.push(`action = 'task.complete'`);
    zh.push('任务完成记录');
    en.push('task completions');
  }
  if (action !== undefined) {
    where.push(`action = ${sqlString(action)}`);
    zh.push(`操作 ${action}`);
    en.push(`action ${action}`);
  }
  return { where, timeColumn, description: { 'zh-CN': zh.join('；'), en: en.join('; ') } };
}

const count = z.coerce.number().int().nonnegative();
const num = z.coerce.number();
const nullableNum = z.coerce.number().nullable();
const rows = {
  total: z.object({ n: count }),
  day: z.object({ day: z.string(), n: count, n_backfilled: count }),
  actor: z.object({ actor_id: z.string(), actor_role: z.string(), n: count, first_ms: num, last_ms: num }),
  record: z.object({
    event_id: z.string(),
    occurred_ms: num,
    recorded_ms: num,
    org_id: z.string(),
    actor_id: z.string(),
    actor_role: z.string(),
    action: z.string(),
    task_id: z.string(),
    deadline_s: nullableNum,
    value: nullableNum,
    duration_ms: nullableNum,
    content_hash: z.string(),
    session_hash: z.string(),
  }),
};

export const evidenceRecordSchema = z.object({
  eventId: z.string(),
  occurredAt: z.string(),
  recordedAt: z.string(),
  lagHours: z.number(),
  orgId: z.string(),
  actorId: z.string(),
  actorRole: z.string(),
  action: z.string(),
  taskId: z.string().nullable(),
  deadline: z.string().nullable(),
  value: z.number().nullable(),
  durationMs: z.number().nullable(),
  contentHash: z.string().nullable(),
  sessionHash: z.string().nullable(),
});
export type EvidenceRecord = z.infer<typeof evidenceRecordSchema>;

export const evidenceDetailsSchema = z.object({
  selection: z.object({
    description: z.object({ 'zh-CN': z.string(), en: z.string() }),
    timeBasis: z.enum(['claimed', 'recorded']),
    tz: z.string(),
  }),
  total: z.number().describe('distinct events selected'),
  days: z.array(z.object({ day: z.string(), events: z.number(), backfilled: z.number() })),
  actors: z
    .array(
      z.object({
        actorId: z.string(),
        actorRole: z.string(),
        events: z.number(),
        firstAt: z.string(),
        lastAt: z.string(),
      }),
    )
    .describe(`the actors carrying the most events (at most ${MAX_EVIDENCE_ACTORS})`),
  records: z.array(evidenceRecordSchema),
  page: z.object({ limit: z.number(), offset: z.number(), returned: z.number(), more: z.boolean() }),
});
export type EvidenceDetails = z.infer<typeof evidenceDetailsSchema>;

/** The SQL of each part (pure; FINAL collapses a replayed event, which has the same content). */
export function evidenceSql(database: string, s: EvidenceSelection, page: EvidencePage, tz = DEFAULT_TIME_ZONE) {
  const from = `${database}.trace_events FINAL WHERE ${s.where.join(' AND ')}`;
  const t = s.timeColumn;
  const backfilled = `toInt64(recorded_at) - toInt64(occurred_at) > ${BACKFILL_LAG_S}`;
  return {
    total: `SELECT count() AS n FROM ${from}`,
    days: `SELECT toString(toDate(${t}, ${sqlString(tz)})) AS day, count() AS n, countIf(${backfilled}) AS n_backfilled
FROM ${from} GROUP BY day ORDER BY day`,
    actors: `SELECT actor_id, any(actor_role) AS actor_role, count() AS n,
  min(toUInt64(toUnixTimestamp(${t})) * 1000) AS first_ms, max(toUInt64(toUnixTimestamp(${t})) * 1000) AS last_ms
FROM ${from} GROUP BY actor_id ORDER BY n DESC, actor_id LIMIT ${MAX_EVIDENCE_ACTORS}`,
    records: `SELECT event_id, toUInt64(toUnixTimestamp(occurred_at)) * 1000 + occurred_ms AS occurred_ms,
  toUInt64(toUnixTimestamp(recorded_at)) * 1000 + recorded_ms AS recorded_ms, org_id, actor_id, actor_role, action,
  task_id, toUnixTimestamp(deadline) AS deadline_s, value, duration_ms, content_hash, session_hash
FROM ${from} ORDER BY ${t}, event_id LIMIT ${sqlNumber(page.offset)}, ${sqlNumber(page.limit + 1)}`,
  };
}

const iso = (ms: number) => new Date(ms).toISOString();
const orNull = (s: string) => (s === '' ? null : s);

export async function evidenceDetails(
  store: Store,
  finding: FindingOut,
  page: EvidencePage,
  tz = DEFAULT_TIME_ZONE,
): Promise<EvidenceDetails> {
  const selection = evidenceSelection(finding, tz);
  const sql = evidenceSql(store.database, selection, page, tz);
  const read = async <S extends z.ZodType>(q: string, schema: S) =>
    (await selectRows<unknown>(store, q)).map((r) => schema.parse(r) as z.infer<S>);
  const [total, days, actors, records] = await Promise.all([
    read(sql.total, rows.total),
    read(sql.days, rows.day),
    read(sql.actors, rows.actor),
    read(sql.records, rows.record),
  ]);
  const shown = records.slice(0, page.limit);
  return {
    selection: {
      description: selection.description,
      timeBasis: selection.timeColumn === 'recorded_at' ? 'recorded' : 'claimed',
      tz,
    },
    total: total[0]?.n ?? 0,
    days: days.map((d) => ({ day: d.day, events: d.n, backfilled: d.n_backfilled })),
    actors: actors.map((a) => ({
      actorId: a.actor_id,
      actorRole: a.actor_role,
      events: a.n,
      firstAt: iso(a.first_ms),
      lastAt: iso(a.last_ms),
    })),
    records: shown.map((r) => ({
      eventId: r.event_id,
      occurredAt: iso(r.occurred_ms),
      recordedAt: iso(r.recorded_ms),
      lagHours: Math.round(((r.recorded_ms - r.occurred_ms) / 3_600_000) * 100) / 100,
      orgId: r.org_id,
      actorId: r.actor_id,
      actorRole: r.actor_role,
      action: r.action,
      taskId: orNull(r.task_id),
      deadline: r.deadline_s === null ? null : iso(r.deadline_s * 1000),
      value: r.value,
      durationMs: r.duration_ms,
      contentHash: orNull(r.content_hash),
      sessionHash: orNull(r.session_hash),
    })),
    page: { limit: page.limit, offset: page.offset, returned: shown.length, more: records.length > page.limit },
  };
}

export const EVIDENCE_CSV_HEADER = [
  'event_id',
  'occurred_at',
  'recorded_at',
  'lag_hours',
  'org_id',
  'actor_id',
  'actor_role',
  'action',
  'task_id',
  'deadline',
  'value',
  'duration_ms',
  'content_hash',
  'session_hash',
] as const;

export function evidenceCsvRows(records: readonly EvidenceRecord[]): Array<Array<string | number | null>> {
  return records.map((r) => [
    r.eventId,
    r.occurredAt,
    r.recordedAt,
    r.lagHours,
    r.orgId,
    r.actorId,
    r.actorRole,
    r.action,
    r.taskId,
    r.deadline,
    r.value,
    r.durationMs,
    r.contentHash,
    r.sessionHash,
  ]);
}
