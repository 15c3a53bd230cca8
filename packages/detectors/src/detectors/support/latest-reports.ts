import type { ReportedMetric } from '@tracewatch/schema';

/** The latest report per (platform, org, metric, period); ties by id. Sorted for stable output. */
export function latestReports(metrics: readonly ReportedMetric[]): ReportedMetric[] {
  const latest = new Map<string, ReportedMetric>();
  for (const m of metrics) {
    const key = JSON.stringify([m.platformId, m.orgId, m.metric, m.periodStart, m.periodEnd]);
    const held = latest.get(key);
    const newer =
      held === undefined ||
      Date.parse(m.reportedAt) > Date.parse(held.reportedAt) ||
      (Date.parse(m.reportedAt) === Date.parse(held.reportedAt) && m.id > held.id);
    if (newer) latest.set(key, m);
  }
  return [...latest.keys()].sort().map((k) => latest.get(k)!);
}
