import { inScope, type Scope } from '@tracewatch/access';
import { checkDayRange, checkTarget, dayRangeShape, targetShape } from '@tracewatch/inspect';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { HttpError } from '../errors.js';

/** An org or a platform over a range of local days: what inspection routes take. */
export const targetRangeQuery = z.strictObject({ ...targetShape, ...dayRangeShape }).superRefine((q, ctx) => {
  checkTarget(q, ctx);
  checkDayRange(q, ctx);
});

export const rangeQuery = z.strictObject(dayRangeShape).superRefine(checkDayRange);

/**
 * A platform named in a request must lie in the caller's scope. Outside it the answer is the
 * same 404 whether the platform exists or not, so an owner learns nothing of others.
 */
export function requireVisiblePlatform(scope: Scope, platformId: string | undefined): void {
  if (platformId !== undefined && !inScope(scope, platformId))
    throw new HttpError(404, `no platform ${JSON.stringify(platformId)} among the platforms this key may see`);
}

export function sendCsv(reply: FastifyReply, filename: string, csv: string) {
  return reply
    .header('content-type', 'text/csv; charset=utf-8')
    .header('content-disposition', `attachment; filename="${filename.replace(/[^A-Za-z0-9._-]/g, '_')}"`)
    .send(csv);
}

/** A 200 answer in CSV, declared as text/csv in the OpenAPI document (errors stay JSON). */
export function csvResponse(header: readonly string[]) {
  return {
    description: `CSV (RFC 4180) with the header ${header.join(',')}`,
    content: { 'text/csv': { schema: z.string() } },
  };
}
