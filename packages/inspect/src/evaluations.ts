import { platformFilter, type Scope } from '@tracewatch/access';
import { type Evaluation, evaluationToRow } from '@tracewatch/schema';
import { type Store, sqlNumber, sqlString } from '@tracewatch/store';
import { z } from 'zod';
import { type DayRange, localMidnightSql, type Target } from './range.js';
import { readRows } from './rows.js';

export const MAX_EVALUATIONS = 1000;

export const evaluationRowSchema = z.object({
  evaluation_id: z.string(),
  name: z.string(),
  kind: z.string(),
  platform_id: z.string(),
  org_id: z.string(),
  start_s: z.coerce.number(),
  end_s: z.coerce.number(),
  announced_s: z.coerce.number().nullable(),
});

/** An evaluation as the API answers it: '' scopes (every platform / unit) become null. */
export const evaluationOutSchema = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.string(),
  platformId: z.string().nullable(),
  orgId: z.string().nullable(),
  start: z.string(),
  end: z.string(),
  announcedAt: z.string().nullable(),
});
export type EvaluationOut = z.infer<typeof evaluationOutSchema>;

const iso = (s: number) => new Date(s * 1000).toISOString();

/**
 * Evaluations overlapping the range that concern the target: those of its platform (or of
 * every platform) and of its org (or of every org), inside the scope.
 */
export function evaluationsSql(database: string, scope: Scope, target: Target, range: DayRange): string {
  const where = [
    `start_at < ${localMidnightSql(range.to, range.tz)}`,
    `end_at >= ${localMidnightSql(range.from, range.tz)}`,
    platformFilter(scope, 'platform_id', ''),
  ];
  if (target.platformId !== undefined) where.push(`platform_id IN (${sqlString(target.platformId)}, '')`);
  if (target.orgId !== undefined) where.push(`org_id IN (${sqlString(target.orgId)}, '')`);
  return `SELECT evaluation_id, name, kind, platform_id, org_id, toUnixTimestamp(start_at) AS start_s,
  toUnixTimestamp(end_at) AS end_s, toUnixTimestamp(announced_at) AS announced_s
FROM ${database}.evaluations FINAL WHERE ${where.join(' AND ')}
ORDER BY start_at, evaluation_id LIMIT ${sqlNumber(MAX_EVALUATIONS)}`;
}

export function toEvaluationOut(r: z.infer<typeof evaluationRowSchema>): EvaluationOut {
  return {
    id: r.evaluation_id,
    name: r.name,
    kind: r.kind,
    platformId: r.platform_id || null,
    orgId: r.org_id || null,
    start: iso(r.start_s),
    end: iso(r.end_s),
    announcedAt: r.announced_s === null ? null : iso(r.announced_s),
  };
}

export async function listEvaluations(
  store: Store,
  scope: Scope,
  target: Target,
  range: DayRange,
): Promise<EvaluationOut[]> {
  const rows = await readRows(store, evaluationsSql(store.database, scope, target, range), evaluationRowSchema);
  return rows.map(toEvaluationOut);
}

export async function evaluationExists(store: Store, id: string): Promise<boolean> {
  const rows = await readRows(
    store,
    `SELECT count() AS n FROM ${store.database}.evaluations WHERE evaluation_id = ${sqlString(id)}`,
    z.object({ n: z.coerce.number() }),
  );
  return (rows[0]?.n ?? 0) > 0;
}

/** Adds an entry to the calendar (the same row the ingest service stores from the topic). */
export async function insertEvaluation(store: Store, e: Evaluation, now = Date.now()): Promise<void> {
  await store.client.insert({
    table: `${store.database}.evaluations`,
    values: [evaluationToRow(e, now)],
    format: 'JSONEachRow',
  });
}
