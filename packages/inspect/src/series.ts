import { platformFilter, type Scope } from '@tracewatch/access';
import { type Store, sqlString } from '@tracewatch/store';
import { z } from 'zod';
import { type EvaluationOut, listEvaluations } from './evaluations.js';
import { type DayRange, daysOf, inRangeSql, type Target } from './range.js';
import { readRows } from './rows.js';

/** The conditions every rollup query of a target shares: range, scope, platform, org. */
function rollupWhere(scope: Scope, target: Target, range: DayRange): string {
  const where = [inRangeSql('hour', range), platformFilter(scope, 'platform_id')];
  if (target.platformId !== undefined) where.push(`platform_id = ${sqlString(target.platformId)}`);
  if (target.orgId !== undefined) where.push(`org_id = ${sqlString(target.orgId)}`);
  return where.join(' AND ');
}

/**
 * Events per local day by the time they claim (occurred_at). Hourly uniqExact states merged
 * per day: a replayed event counts once.
 */
export function claimedSeriesSql(database: string, scope: Scope, target: Target, range: DayRange): string {
  return `SELECT toString(toDate(hour, ${sqlString(range.tz)})) AS day, uniqExactMerge(events) AS n
FROM ${database}.trace_hourly WHERE ${rollupWhere(scope, target, range)}
GROUP BY day ORDER BY day`;
}

/** Events per local day by recording time, and those of them recorded > 24 h after their claim. */
export function recordedSeriesSql(database: string, scope: Scope, target: Target, range: DayRange): string {
  return `SELECT toString(toDate(hour, ${sqlString(range.tz)})) AS day, uniqExactMerge(events) AS n,
  uniqExactMergeIf(events, backfilled = 1) AS n_backfilled
FROM ${database}.trace_hourly_recorded WHERE ${rollupWhere(scope, target, range)}
GROUP BY day ORDER BY day`;
}

const count = z.coerce.number().int().nonnegative();
export const claimedRowSchema = z.object({ day: z.iso.date(), n: count });
export const recordedRowSchema = claimedRowSchema.extend({ n_backfilled: count });

export const seriesDaySchema = z.object({
  day: z.string(),
  claimed: z.number(),
  recorded: z.number(),
  backfilled: z.number(),
});
export type SeriesDay = z.infer<typeof seriesDaySchema>;

/** One entry per day of the range (days without events are zeros, not gaps). */
export function mergeSeries(
  range: DayRange,
  claimed: ReadonlyArray<z.infer<typeof claimedRowSchema>>,
  recorded: ReadonlyArray<z.infer<typeof recordedRowSchema>>,
): SeriesDay[] {
  const c = new Map(claimed.map((r) => [r.day, r.n]));
  const r = new Map(recorded.map((x) => [x.day, x]));
  return daysOf(range).map((day) => ({
    day,
    claimed: c.get(day) ?? 0,
    recorded: r.get(day)?.n ?? 0,
    backfilled: r.get(day)?.n_backfilled ?? 0,
  }));
}

export interface SeriesAnswer {
  days: SeriesDay[];
  evaluations: EvaluationOut[];
}

export async function dailySeries(store: Store, scope: Scope, target: Target, range: DayRange): Promise<SeriesAnswer> {
  const [claimed, recorded, evaluations] = await Promise.all([
    readRows(store, claimedSeriesSql(store.database, scope, target, range), claimedRowSchema),
    readRows(store, recordedSeriesSql(store.database, scope, target, range), recordedRowSchema),
    listEvaluations(store, scope, target, range),
  ]);
  return { days: mergeSeries(range, claimed, recorded), evaluations };
}

export const SERIES_CSV_HEADER = ['day', 'claimed', 'recorded', 'backfilled', 'evaluations_starting'] as const;

/** The CSV rows of a series: each day with the ids of the evaluations that start on it. */
export function seriesCsvRows(answer: SeriesAnswer, tz: string): Array<[string, number, number, number, string]> {
  const localDay = new Intl.DateTimeFormat('en-CA', {
    timeZone: tz,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  });
  const starting = new Map<string, string[]>();
  for (const e of answer.evaluations) {
    const day = localDay.format(new Date(e.start));
    starting.set(day, [...(starting.get(day) ?? []), e.id]);
  }
  return answer.days.map((d) => [d.day, d.claimed, d.recorded, d.backfilled, (starting.get(d.day) ?? []).join(' ')]);
}
