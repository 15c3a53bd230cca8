/**
 * The inspection report's content: the daily series with the evaluations, the suspicious
 * periods with their findings, and the data's extent, in one answer the printable page draws.
 */
import type { Scope } from '@tracewatch/access';
import type { Store } from '@tracewatch/store';
import { type PeriodsAnswer, suspiciousPeriods } from './findings.js';
import type { DayRange, Target } from './range.js';
import { dailySeries, type SeriesAnswer } from './series.js';

export interface ReportContent extends SeriesAnswer, PeriodsAnswer {
  /** First and last day of the range with claimed events (null: none). */
  extent: { firstDay: string; lastDay: string } | null;
  totals: { claimed: number; recorded: number; backfilled: number };
}

export function seriesExtent(days: SeriesAnswer['days']): ReportContent['extent'] {
  const active = days.filter((d) => d.claimed > 0);
  return active.length > 0 ? { firstDay: active[0]!.day, lastDay: active[active.length - 1]!.day } : null;
}

export async function inspectionReport(
  store: Store,
  scope: Scope,
  target: Target,
  range: DayRange,
): Promise<ReportContent> {
  const [series, periods] = await Promise.all([
    dailySeries(store, scope, target, range),
    suspiciousPeriods(store, scope, target, range),
  ]);
  const sum = (k: 'claimed' | 'recorded' | 'backfilled') => series.days.reduce((n, d) => n + d[k], 0);
  return {
    ...series,
    ...periods,
    extent: seriesExtent(series.days),
    totals: { claimed: sum('claimed'), recorded: sum('recorded'), backfilled: sum('backfilled') },
  };
}
