import { z } from 'zod';
import { boundedId, instant, storableFloat, storedDay } from './common.js';

/** What a unit claimed for a period: e.g. "cases handled in 2026-03" = 412. */
export const reportedMetricSchema = z
  .object({
    id: boundedId,
    platformId: boundedId,
    orgId: boundedId,
    metric: z
      .string()
      .min(1)
      .max(64)
      .regex(/^[a-z][a-z0-9_.]*$/, 'metric names are lower-case words'),
    periodStart: storedDay,
    periodEnd: storedDay.describe('inclusive'),
    value: storableFloat().min(0).max(1e15),
    reportedAt: instant,
  })
  .strict()
  .refine((m) => m.periodEnd >= m.periodStart, {
    path: ['periodEnd'],
    message: 'periodEnd must not be before periodStart',
  });

export type ReportedMetric = z.infer<typeof reportedMetricSchema>;
