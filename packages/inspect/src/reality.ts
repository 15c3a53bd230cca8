import { platformFilter, type Scope } from '@tracewatch/access';
import { type Store, sqlString } from '@tracewatch/store';
import { z } from 'zod';
import { type EvaluationOut, evaluationOutSchema, listEvaluations } from './evaluations.js';
import { type DayRange, daysOf, inRangeSql, localMidnightSql, rangeBoundsMs } from './range.js';
import { readRows } from './rows.js';

/** The KPI a platform may report for its registered users (summed over its units). */
export const REGISTERED_USERS_METRIC = 'users.registered';
/** Days before an evaluation's start counted as its pre-window. */
export const PRE_WINDOW_DAYS = 7;
/** A task completed in the last tenth of its allowed time counts as "at the deadline". */
const LAST_PART = 0.1;
const DAY_MS = 86_400_000;
const MAX_DEPARTMENTS = 500;

const count = z.coerce.number().int().nonnegative();

function rollupWhere(scope: Scope, platformId: string, range: DayRange): string {
  return [
    inRangeSql('hour', range),
    platformFilter(scope, 'platform_id'),
    `platform_id = ${sqlString(platformId)}`,
  ].join(' AND ');
}

function rawWhere(scope: Scope, platformId: string, range: DayRange): string {
  return [
    inRangeSql('occurred_at', range),
    platformFilter(scope, 'platform_id'),
    `platform_id = ${sqlString(platformId)}`,
  ].join(' AND ');
}

/** The SQL of every part of the platform-reality answer (pure, so each can be checked alone). */
export function realitySql(database: string, scope: Scope, platformId: string, range: DayRange) {
  const tz = sqlString(range.tz);
  const rollup = rollupWhere(scope, platformId, range);
  const raw = rawWhere(scope, platformId, range);
  return {
    byRole: `SELECT actor_role AS role, uniqExactMerge(events) AS n FROM ${database}.trace_hourly
WHERE ${rollup} GROUP BY role ORDER BY role`,
    byOrg: `SELECT org_id, uniqExactMerge(events) AS n, uniqExactMergeIf(events, actor_role = 'public') AS n_public
FROM ${database}.trace_hourly WHERE ${rollup} GROUP BY org_id ORDER BY n DESC, org_id LIMIT ${MAX_DEPARTMENTS}`,
    hourWeekday: `SELECT toDayOfWeek(hour, ${tz}) AS weekday, toHour(hour, ${tz}) AS hour_of_day, uniqExactMerge(events) AS n
FROM ${database}.trace_hourly WHERE ${rollup} GROUP BY weekday, hour_of_day ORDER BY weekday, hour_of_day`,
    hourly: `SELECT toUnixTimestamp(hour) AS hour_s, uniqExactMerge(events) AS n FROM ${database}.trace_hourly
WHERE ${rollup} GROUP BY hour_s ORDER BY hour_s`,
    users: `SELECT uniqExactIf(actor_id, actor_role = 'public') AS public_active, uniqExactIf(actor_id, actor_role = 'staff') AS staff_active,
  uniqExactIf(actor_id, actor_role = 'public' AND endsWith(action, '.register')) AS registered_in_period
FROM ${database}.trace_events WHERE ${raw}`,
    registeredUntilEnd: `SELECT uniqExact(actor_id) AS registered FROM ${database}.trace_events
WHERE occurred_at < ${localMidnightSql(range.to, range.tz)} AND ${platformFilter(scope, 'platform_id')}
  AND platform_id = ${sqlString(platformId)} AND actor_role = 'public' AND endsWith(action, '.register')`,
    dailyActive: `SELECT toString(toDate(occurred_at, ${tz})) AS day, uniqExact(actor_id) AS users FROM ${database}.trace_events
WHERE ${raw} AND actor_role = 'public' GROUP BY day ORDER BY day`,
    monthlyActive: `SELECT toString(toStartOfMonth(occurred_at, ${tz})) AS month, uniqExact(actor_id) AS users FROM ${database}.trace_events
WHERE ${raw} AND actor_role = 'public' GROUP BY month ORDER BY month`,
    reportedRegistered: `SELECT toString(period_end) AS period_end_day, sum(value) AS total FROM ${database}.reported_metrics FINAL
WHERE ${platformFilter(scope, 'platform_id')} AND platform_id = ${sqlString(platformId)}
  AND metric = ${sqlString(REGISTERED_USERS_METRIC)} AND period_end < toDate(${sqlString(range.to)})
GROUP BY period_end_day ORDER BY period_end_day DESC LIMIT 1`,
    tasks: `SELECT count() AS tasks, countIf(taken_s <= allowed_s) AS met, countIf(taken_s <= allowed_s AND taken_s > allowed_s * ${1 - LAST_PART}) AS at_deadline,
  quantileExact(0.5)(allowed_s) AS median_allowed_s, quantileExact(0.5)(taken_s) AS median_taken_s
FROM (SELECT org_id, task_id, toInt64(assumeNotNull(any(deadline))) - toInt64(assumeNotNull(any(assigned_at))) AS allowed_s,
        toInt64(max(occurred_at)) - toInt64(assumeNotNull(any(assigned_at))) AS taken_s
      FROM ${database}.trace_events
      WHERE ${raw} AND action = 'task.complete' AND task_id != '' AND isNotNull(deadline) AND isNotNull(assigned_at)
      GROUP BY org_id, task_id)`,
  };
}

const rows = {
  byRole: z.object({ role: z.string(), n: count }),
  byOrg: z.object({ org_id: z.string(), n: count, n_public: count }),
  hourWeekday: z.object({
    weekday: z.coerce.number().int().min(1).max(7),
    hour_of_day: z.coerce.number().int().min(0).max(23),
    n: count,
  }),
  hourly: z.object({ hour_s: z.coerce.number(), n: count }),
  users: z.object({ public_active: count, staff_active: count, registered_in_period: count }),
  registered: z.object({ registered: count }),
  dailyActive: z.object({ day: z.string(), users: count }),
  monthlyActive: z.object({ month: z.string(), users: count }),
  reported: z.object({ period_end_day: z.string(), total: z.coerce.number() }),
  tasks: z.object({
    tasks: count,
    met: count,
    at_deadline: count,
    median_allowed_s: z.coerce.number(),
    median_taken_s: z.coerce.number(),
  }),
};

export const realitySchema = z.object({
  registeredUsers: z.object({
    fromTraces: z.number().describe('distinct public actors with a *.register trace up to the end of the period'),
    inPeriod: z.number(),
    reported: z.object({ periodEnd: z.string(), value: z.number() }).nullable(),
  }),
  activeUsers: z.object({ public: z.number(), staff: z.number() }),
  dau: z.number().describe('mean distinct public actors per day of the period'),
  mau: z.number().describe('mean distinct public actors per calendar month touched by the period'),
  dauMau: z.number().nullable(),
  activity: z.object({
    total: z.number(),
    byRole: z.record(z.string(), z.number()),
    publicShare: z.number().nullable(),
    staffShare: z.number().nullable(),
  }),
  byDepartment: z.array(z.object({ orgId: z.string(), events: z.number(), publicEvents: z.number() })),
  hourWeekday: z.array(z.object({ weekday: z.number(), hour: z.number(), events: z.number() })),
  preWindow: z.object({
    days: z.number(),
    share: z.number().nullable().describe('share of the activity inside evaluation pre-windows'),
    timeShare: z
      .number()
      .describe('share of the period inside those windows: what the share would be if activity ignored them'),
  }),
  tasks: z.object({
    tasks: z.number(),
    metShare: z.number().nullable(),
    atDeadlineShare: z.number().nullable(),
    medianAllowedHours: z.number().nullable(),
    medianTakenHours: z.number().nullable(),
  }),
  evaluations: z.array(evaluationOutSchema),
});
export type Reality = z.infer<typeof realitySchema>;

const ratio = (a: number, b: number) => (b > 0 ? a / b : null);

/** Pre-windows [start − 7 d, start) of the evaluations, merged, clipped to [fromMs, toMs). */
export function preWindows(
  evaluations: readonly EvaluationOut[],
  fromMs: number,
  toMs: number,
): Array<[number, number]> {
  const spans = evaluations
    .map((e) => Date.parse(e.start))
    .map((s): [number, number] => [Math.max(fromMs, s - PRE_WINDOW_DAYS * DAY_MS), Math.min(toMs, s)])
    .filter(([a, b]) => b > a)
    .sort((x, y) => x[0] - y[0]);
  const merged: Array<[number, number]> = [];
  for (const s of spans) {
    const last = merged[merged.length - 1];
    if (last && s[0] <= last[1]) last[1] = Math.max(last[1], s[1]);
    else merged.push([...s]);
  }
  return merged;
}

/** Share of the hourly activity inside the windows, and the share of time they cover. */
export function preWindowShare(
  hourly: ReadonlyArray<{ hourMs: number; events: number }>,
  windows: ReadonlyArray<[number, number]>,
  fromMs: number,
  toMs: number,
): { share: number | null; timeShare: number; days: number } {
  const inside = (t: number) => windows.some(([a, b]) => t >= a && t < b);
  const total = hourly.reduce((n, h) => n + h.events, 0);
  const within = hourly.reduce((n, h) => n + (inside(h.hourMs) ? h.events : 0), 0);
  const covered = windows.reduce((n, [a, b]) => n + (b - a), 0);
  return { share: ratio(within, total), timeShare: covered / (toMs - fromMs), days: covered / DAY_MS };
}

export async function platformReality(
  store: Store,
  scope: Scope,
  platformId: string,
  range: DayRange,
): Promise<Reality> {
  const bounds = rangeBoundsMs(range);
  const sql = realitySql(store.database, scope, platformId, range);
  const [byRole, byOrg, hourWeekday, hourly, users, registered, daily, monthly, reported, tasks, evaluations] =
    await Promise.all([
      readRows(store, sql.byRole, rows.byRole),
      readRows(store, sql.byOrg, rows.byOrg),
      readRows(store, sql.hourWeekday, rows.hourWeekday),
      readRows(store, sql.hourly, rows.hourly),
      readRows(store, sql.users, rows.users),
      readRows(store, sql.registeredUntilEnd, rows.registered),
      readRows(store, sql.dailyActive, rows.dailyActive),
      readRows(store, sql.monthlyActive, rows.monthlyActive),
      readRows(store, sql.reportedRegistered, rows.reported),
      readRows(store, sql.tasks, rows.tasks),
      listEvaluations(store, scope, { platformId }, range),
    ]);
  const roleCounts = Object.fromEntries(byRole.map((r) => [r.role, r.n]));
  const total = byRole.reduce((sum, r) => sum + r.n, 0);
  const dau = daily.reduce((n, d) => n + d.users, 0) / daysOf(range).length;
  const mau = monthly.length > 0 ? monthly.reduce((n, m) => n + m.users, 0) / monthly.length : 0;
  const t = tasks[0];
  const pre = preWindowShare(
    hourly.map((h) => ({ hourMs: h.hour_s * 1000, events: h.n })),
    preWindows(evaluations, bounds.fromMs, bounds.toMs),
    bounds.fromMs,
    bounds.toMs,
  );
  return {
    registeredUsers: {
      fromTraces: registered[0]?.registered ?? 0,
      inPeriod: users[0]?.registered_in_period ?? 0,
      reported: reported[0] ? { periodEnd: reported[0].period_end_day, value: reported[0].total } : null,
    },
    activeUsers: { public: users[0]?.public_active ?? 0, staff: users[0]?.staff_active ?? 0 },
    dau,
    mau,
    dauMau: ratio(dau, mau),
    activity: {
      total,
      byRole: roleCounts,
      publicShare: ratio(roleCounts.public ?? 0, total),
      staffShare: ratio(roleCounts.staff ?? 0, total),
    },
    byDepartment: byOrg.map((o) => ({ orgId: o.org_id, events: o.n, publicEvents: o.n_public })),
    hourWeekday: hourWeekday.map((h) => ({ weekday: h.weekday, hour: h.hour_of_day, events: h.n })),
    preWindow: pre,
    tasks: {
      tasks: t?.tasks ?? 0,
      metShare: t ? ratio(t.met, t.tasks) : null,
      atDeadlineShare: t ? ratio(t.at_deadline, t.tasks) : null,
      medianAllowedHours: t && t.tasks > 0 ? t.median_allowed_s / 3600 : null,
      medianTakenHours: t && t.tasks > 0 ? t.median_taken_s / 3600 : null,
    },
    evaluations,
  };
}

/** The reality answer flattened for CSV: one indicator per line (section, key, value). */
export function realityCsvRows(r: Reality): Array<[string, string, number | string | null]> {
  const out: Array<[string, string, number | string | null]> = [
    ['registered_users', 'from_traces', r.registeredUsers.fromTraces],
    ['registered_users', 'in_period', r.registeredUsers.inPeriod],
    ['registered_users', 'reported', r.registeredUsers.reported?.value ?? null],
    ['active_users', 'public', r.activeUsers.public],
    ['active_users', 'staff', r.activeUsers.staff],
    ['users', 'dau', r.dau],
    ['users', 'mau', r.mau],
    ['users', 'dau_mau', r.dauMau],
    ['activity', 'total', r.activity.total],
    ['activity', 'public_share', r.activity.publicShare],
    ['activity', 'staff_share', r.activity.staffShare],
    ['pre_window', 'share', r.preWindow.share],
    ['pre_window', 'time_share', r.preWindow.timeShare],
    ['tasks', 'count', r.tasks.tasks],
    ['tasks', 'met_share', r.tasks.metShare],
    ['tasks', 'at_deadline_share', r.tasks.atDeadlineShare],
    ['tasks', 'median_allowed_hours', r.tasks.medianAllowedHours],
    ['tasks', 'median_taken_hours', r.tasks.medianTakenHours],
  ];
  for (const [role, n] of Object.entries(r.activity.byRole)) out.push(['activity_by_role', role, n]);
  for (const d of r.byDepartment) out.push(['requests_by_department', d.orgId, d.events]);
  for (const h of r.hourWeekday) out.push(['hour_weekday', `${h.weekday}-${h.hour}`, h.events]);
  return out;
}
