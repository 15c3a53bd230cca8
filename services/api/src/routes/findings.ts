import type { Scope } from '@tracewatch/access';
import {
  checkDayRange,
  checkTarget,
  dayRangeShape,
  EVIDENCE_CSV_HEADER,
  evidenceCsvRows,
  evidenceDetails,
  evidenceDetailsSchema,
  evidencePageShape,
  FINDINGS_CSV_HEADER,
  type FindingOut,
  findingInScope,
  findingOutSchema,
  findingStateFilter,
  findingsCsvRows,
  suspiciousPeriodSchema,
  suspiciousPeriods,
  targetShape,
  toCsv,
} from '@tracewatch/inspect';
import { fingerprintSchema } from '@tracewatch/schema';
import type { Store } from '@tracewatch/store';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { accessOf } from '../access.js';
import { ERROR_RESPONSES, HttpError } from '../errors.js';
import { csvResponse, requireVisiblePlatform, sendCsv } from './common.js';

const periodsQuery = z
  .strictObject({ ...targetShape, ...dayRangeShape, state: findingStateFilter })
  .superRefine((q, ctx) => {
    checkTarget(q, ctx);
    checkDayRange(q, ctx);
  });
const fingerprintParams = z.strictObject({ fingerprint: fingerprintSchema });
const evidenceQuery = z.strictObject(evidencePageShape);

const periodsAnswerSchema = z.object({
  target: z.object({ platformId: z.string().nullable(), orgId: z.string().nullable() }),
  range: z.object({ from: z.string(), to: z.string() }),
  periods: z.array(suspiciousPeriodSchema),
  findings: z.number().describe('findings in all periods'),
  truncated: z.boolean().describe('more findings than one answer holds: narrow the range'),
  queriedAt: z.string(),
});
const evidenceAnswerSchema = evidenceDetailsSchema.extend({ finding: findingOutSchema, queriedAt: z.string() });

async function visibleFinding(store: Store, scope: Scope, fingerprint: string): Promise<FindingOut> {
  const finding = await findingInScope(store, scope, fingerprint);
  // Outside the scope the answer is the one an unknown fingerprint gets: an owner learns nothing.
  if (!finding) throw new HttpError(404, `no finding ${fingerprint} among the platforms this key may see`);
  return finding;
}

/**
 * Inspection of findings: the suspicious periods of an org or platform with their findings
 * (test, statistics, explanation, evidence), one finding, and the raw records behind it.
 */
export function findingRoutes(store: Store): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/v1/inspect/periods',
      {
        config: { permission: 'inspect.read' },
        schema: {
          tags: ['inspection'],
          summary:
            'Suspicious periods of an org or platform: findings whose period meets the range, merged where they overlap or touch',
          querystring: periodsQuery,
          response: { 200: periodsAnswerSchema, ...ERROR_RESPONSES },
        },
      },
      async (req) => {
        const { scope } = accessOf(req);
        const q = req.query;
        requireVisiblePlatform(scope, q.platformId);
        const answer = await suspiciousPeriods(store, scope, q, q, q.state);
        req.rowsReturned = answer.findings;
        return {
          target: { platformId: q.platformId ?? null, orgId: q.orgId ?? null },
          range: { from: q.from, to: q.to },
          ...answer,
          queriedAt: new Date().toISOString(),
        };
      },
    );

    app.get(
      '/v1/inspect/periods.csv',
      {
        config: { permission: 'inspect.read' },
        schema: {
          tags: ['inspection'],
          summary:
            'The suspicious periods as CSV, one line per finding (with its period, test numbers and explanations)',
          querystring: periodsQuery,
          response: { 200: csvResponse(FINDINGS_CSV_HEADER), ...ERROR_RESPONSES },
        },
      },
      async (req, reply) => {
        const { scope } = accessOf(req);
        const q = req.query;
        requireVisiblePlatform(scope, q.platformId);
        const answer = await suspiciousPeriods(store, scope, q, q, q.state);
        req.rowsReturned = answer.findings;
        const name = `periods_${q.platformId ?? 'all'}_${q.orgId ?? 'all'}_${q.from}_${q.to}.csv`;
        return sendCsv(reply, name, toCsv(FINDINGS_CSV_HEADER, findingsCsvRows(answer.periods)));
      },
    );

    app.get(
      '/v1/findings/:fingerprint',
      {
        config: { permission: 'inspect.read' },
        schema: {
          tags: ['inspection'],
          summary: 'One finding: its test, statistics, explanation (zh-CN, en) and evidence',
          params: fingerprintParams,
          response: { 200: findingOutSchema, ...ERROR_RESPONSES },
        },
      },
      async (req) => {
        const { scope } = accessOf(req);
        const finding = await visibleFinding(store, scope, req.params.fingerprint);
        req.rowsReturned = 1;
        return finding;
      },
    );

    app.get(
      '/v1/findings/:fingerprint/evidence',
      {
        config: { permission: 'inspect.read' },
        schema: {
          tags: ['inspection'],
          summary:
            'The raw records behind a finding (its scope and period, narrowed by what its evidence names): per day, per actor, and the records, paged',
          params: fingerprintParams,
          querystring: evidenceQuery,
          response: { 200: evidenceAnswerSchema, ...ERROR_RESPONSES },
        },
      },
      async (req) => {
        const { scope } = accessOf(req);
        const finding = await visibleFinding(store, scope, req.params.fingerprint);
        const details = await evidenceDetails(store, finding, req.query);
        req.rowsReturned = details.records.length + details.days.length + details.actors.length;
        return { finding, ...details, queriedAt: new Date().toISOString() };
      },
    );

    app.get(
      '/v1/findings/:fingerprint/evidence.csv',
      {
        config: { permission: 'inspect.read' },
        schema: {
          tags: ['inspection'],
          summary: 'One page of the raw records behind a finding, as CSV',
          params: fingerprintParams,
          querystring: evidenceQuery,
          response: { 200: csvResponse(EVIDENCE_CSV_HEADER), ...ERROR_RESPONSES },
        },
      },
      async (req, reply) => {
        const { scope } = accessOf(req);
        const finding = await visibleFinding(store, scope, req.params.fingerprint);
        const details = await evidenceDetails(store, finding, req.query);
        req.rowsReturned = details.records.length;
        const name = `evidence_${finding.fingerprint}_${req.query.offset}.csv`;
        return sendCsv(reply, name, toCsv(EVIDENCE_CSV_HEADER, evidenceCsvRows(details.records)));
      },
    );
  };
}
