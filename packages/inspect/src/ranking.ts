/**
 * Ranking (负面典型): units or platforms ordered by their confirmed findings, then their open
 * ones (open or acknowledged), then critical ones, for findings whose period meets the range;
 * beside each, indicators of how it is really used in that range, from the hourly rollups.
 */
import { platformFilter, type Scope } from '@tracewatch/access';
import { ALERT_TABLES } from '@tracewatch/alerts';
import { type Store, selectRows, sqlDateTime, sqlNumber, sqlString } from '@tracewatch/store';
import { z } from 'zod';
import { type EvaluationOut, listEvaluations } from './evaluations.js';
import { FINAL_SETTINGS } from './findings.js';
import { type DayRange, inRangeSql, rangeBoundsMs } from './range.js';
import { preWindows } from './reality.js';

export const RANKING_LEVELS = ['org', 'platform'] as const;
export type RankingLevel = (typeof RANKING_LEVELS)[number];
export const MAX_RANKING_ROWS = 100;
const RANKED_STATES = ['confirmed', 'open', 'acknowledged'] as const;

/** An overdue notice as the ranking counts it: once per platform and once per unit it names. */
export interface OverdueNotice {
  id: string;
  units: ReadonlyArray<{ platformId: string; orgId: string | null }>;
}
/**
 * The overdue notices in the scope at `asOf`, from packages/notices (`overdueNotices(store,
 * asOf, scope)`, each notice's items giving its units). The api passes one when notices are
 * wired; without it the column is null and the answer says so.
 */
export type OverdueNoticeCounter = (asOf: Date, scope: Scope) => Promise<readonly OverdueNotice[]>;

export const rankingRowSchema = z.object({
  rank: z.number(),
  platformId: z.string(),
  orgId: z.string().nullable().describe('null on a platform ranking'),
  confirmed: z.number().describe('confirmed findings'),
  open: z.number().describe('findings still open or acknowledged'),
  critical: z.number().describe('of these, critical ones'),
  detectors: z.array(z.string()),
  overdueNotices: z.number().nullable().describe('overdue notices (null while notices are not connected)'),
  indicators: z.object({
    events: z.number(),
    publicShare: z.number().nullable(),
    staffShare: z.number().nullable(),
    backfilledShare: z.number().nullable().describe('share of the traces recorded in the range that were > 24 h late'),
    preWindowShare: z.number().nullable().describe('share of the activity in the 7 days before its evaluations'),
    preWindowTimeShare: z.number().describe('share of the range those windows cover'),
  }),
});
export type RankingRow = z.infer<typeof rankingRowSchema>;

const keyOf = (platformId: string, orgId: string | null) => `${platformId}\u0000${orgId ?? ''}`;

export function rankingFindingsSql(
  database: string,
  scope: Scope,
  level: RankingLevel,
  range: DayRange,
  limit: number,
) {
  const keys = level === 'org' ? 'platform_id, org_id' : 'platform_id';
  const where = [
    platformFilter(scope, 'platform_id'),
    `period_end >= toDate(${sqlString(range.from)})`,
    `period_start < toDate(${sqlString(range.to)})`,
    `state IN (${RANKED_STATES.map(sqlString).join(', ')})`,
    ...(level === 'org' ? ["org_id != ''"] : []),
  ];
  return `SELECT ${keys}, countIf(state = 'confirmed') AS confirmed, countIf(state != 'confirmed') AS open,
  countIf(severity = 'critical') AS critical, groupUniqArray(detector) AS detectors
FROM ${database}.${ALERT_TABLES.alerts} FINAL WHERE ${where.join(' AND ')}
GROUP BY ${keys} ORDER BY confirmed DESC, open DESC, critical DESC, ${keys} LIMIT ${sqlNumber(limit)}`;
}

/** The evaluations' pre-windows that concern one row (its platform or all; its unit or all). */
function rowWindows(evaluations: readonly EvaluationOut[], platformId: string, orgId: string | null, range: DayRange) {
  const { fromMs, toMs } = rangeBoundsMs(range);
  const concern = evaluations.filter(
    (e) =>
      (e.platformId === null || e.platformId === platformId) &&
      (orgId === null || e.orgId === null || e.orgId === orgId),
  );
  return preWindows(concern, fromMs, toMs);
}

/** Per row, its traces in the range and those inside its pre-windows (hourly rollups). */
export function rankingIndicatorSql(
  database: string,
  scope: Scope,
  level: RankingLevel,
  range: DayRange,
  rows: ReadonlyArray<{ platformId: string; orgId: string | null; windows: Array<[number, number]> }>,
) {
  const keys = level === 'org' ? 'platform_id, org_id' : 'platform_id';
  const match = (r: (typeof rows)[number]) =>
    `(platform_id = ${sqlString(r.platformId)}${r.orgId === null ? '' : ` AND org_id = ${sqlString(r.orgId)}`})`;
  const rowsCond = rows.map(match).join(' OR ');
  const insideCond = rows
    .filter((r) => r.windows.length > 0)
    .map(
      (r) =>
        `(${match(r)} AND (${r.windows.map(([a, b]) => `(hour >= ${sqlDateTime(a)} AND hour < ${sqlDateTime(b)})`).join(' OR ')}))`,
    );
  const where = `${inRangeSql('hour', range)} AND ${platformFilter(scope, 'platform_id')} AND (${rowsCond})`;
  return {
    claimed: `SELECT ${keys}, uniqExactMerge(events) AS n, uniqExactMergeIf(events, actor_role = 'public') AS n_public,
  uniqExactMergeIf(events, actor_role = 'staff') AS n_staff,
  uniqExactMergeIf(events, ${insideCond.length > 0 ? insideCond.join(' OR ') : '0'}) AS n_inside
FROM ${database}.trace_hourly WHERE ${where} GROUP BY ${keys}`,
    recorded: `SELECT ${keys}, uniqExactMerge(events) AS n, uniqExactMergeIf(events, backfilled = 1) AS n_backfilled
FROM ${database}.trace_hourly_recorded WHERE ${where} GROUP BY ${keys}`,
  };
}

const count = z.coerce.number().int().nonnegative();
const findingRow = z.object({
  platform_id: z.string(),
  org_id: z.string().optional(),
  confirmed: count,
  open: count,
  critical: count,
  detectors: z.array(z.string()),
});
const claimedRow = z.object({
  platform_id: z.string(),
  org_id: z.string().optional(),
  n: count,
  n_public: count,
  n_staff: count,
  n_inside: count,
});
const recordedRow = z.object({ platform_id: z.string(), org_id: z.string().optional(), n: count, n_backfilled: count });

const ratio = (a: number, b: number) => (b > 0 ? a / b : null);

export interface RankingAnswer {
  rows: RankingRow[];
  overdueNoticesConnected: boolean;
}

export async function ranking(
  store: Store,
  scope: Scope,
  level: RankingLevel,
  range: DayRange,
  opts: { limit?: number; overdueNotices?: OverdueNoticeCounter | undefined; now?: Date } = {},
): Promise<RankingAnswer> {
  const read = async <S extends z.ZodType>(sql: string, schema: S, settings = {}) =>
    (await selectRows<unknown>(store, sql, settings)).map((r) => schema.parse(r) as z.infer<S>);
  const [found, evaluations] = await Promise.all([
    read(
      rankingFindingsSql(store.database, scope, level, range, opts.limit ?? MAX_RANKING_ROWS),
      findingRow,
      FINAL_SETTINGS,
    ),
    listEvaluations(store, scope, {}, range),
  ]);
  const ranked = found.map((f) => {
    const orgId = level === 'org' ? (f.org_id ?? '') : null;
    return { f, platformId: f.platform_id, orgId, windows: rowWindows(evaluations, f.platform_id, orgId, range) };
  });
  if (ranked.length === 0) return { rows: [], overdueNoticesConnected: opts.overdueNotices !== undefined };
  const sql = rankingIndicatorSql(store.database, scope, level, range, ranked);
  const [claimed, recorded, overdue] = await Promise.all([
    read(sql.claimed, claimedRow),
    read(sql.recorded, recordedRow),
    opts.overdueNotices ? opts.overdueNotices(opts.now ?? new Date(), scope) : Promise.resolve(undefined),
  ]);
  const rowKey = (r: { platform_id: string; org_id?: string | undefined }) =>
    keyOf(r.platform_id, level === 'org' ? (r.org_id ?? '') : null);
  const claimedBy = new Map(claimed.map((r) => [rowKey(r), r]));
  const recordedBy = new Map(recorded.map((r) => [rowKey(r), r]));
  const overdueBy = new Map<string, number>();
  for (const notice of overdue ?? []) {
    const keys = new Set(
      notice.units
        .filter((u) => level === 'platform' || u.orgId !== null)
        .map((u) => keyOf(u.platformId, level === 'org' ? u.orgId : null)),
    );
    for (const k of keys) overdueBy.set(k, (overdueBy.get(k) ?? 0) + 1);
  }
  const { fromMs, toMs } = rangeBoundsMs(range);
  return {
    overdueNoticesConnected: overdue !== undefined,
    rows: ranked.map(({ f, platformId, orgId, windows }, i) => {
      const k = keyOf(platformId, orgId);
      const c = claimedBy.get(k);
      const r = recordedBy.get(k);
      const covered = windows.reduce((n, [a, b]) => n + (b - a), 0);
      return {
        rank: i + 1,
        platformId,
        orgId,
        confirmed: f.confirmed,
        open: f.open,
        critical: f.critical,
        detectors: [...f.detectors].sort(),
        overdueNotices: overdue === undefined ? null : (overdueBy.get(k) ?? 0),
        indicators: {
          events: c?.n ?? 0,
          publicShare: ratio(c?.n_public ?? 0, c?.n ?? 0),
          staffShare: ratio(c?.n_staff ?? 0, c?.n ?? 0),
          backfilledShare: ratio(r?.n_backfilled ?? 0, r?.n ?? 0),
          preWindowShare: ratio(c?.n_inside ?? 0, c?.n ?? 0),
          preWindowTimeShare: covered / (toMs - fromMs),
        },
      };
    }),
  };
}

export const RANKING_CSV_HEADER = [
  'rank',
  'platform_id',
  'org_id',
  'confirmed',
  'open',
  'critical',
  'detectors',
  'overdue_notices',
  'events',
  'public_share',
  'staff_share',
  'backfilled_share',
  'pre_window_share',
  'pre_window_time_share',
] as const;

export function rankingCsvRows(rows: readonly RankingRow[]): Array<Array<string | number | null>> {
  return rows.map((r) => [
    r.rank,
    r.platformId,
    r.orgId,
    r.confirmed,
    r.open,
    r.critical,
    r.detectors.join(' '),
    r.overdueNotices,
    r.indicators.events,
    r.indicators.publicShare,
    r.indicators.staffShare,
    r.indicators.backfilledShare,
    r.indicators.preWindowShare,
    r.indicators.preWindowTimeShare,
  ]);
}
