import { z } from 'zod';
import { boundedId, instant } from './common.js';

export const EVALUATION_KINDS = ['assessment', 'inspection', 'audit', 'ranking'] as const;

/**
 * An entry of the evaluation calendar. Its scope is a platform, optionally narrowed to one
 * org; with neither it covers every unit.
 */
export const evaluationSchema = z
  .object({
    id: boundedId,
    name: z.string().min(1).max(200),
    kind: z.enum(EVALUATION_KINDS),
    platformId: boundedId.optional(),
    orgId: boundedId.optional(),
    start: instant,
    end: instant,
    announcedAt: instant.optional(),
  })
  .strict()
  .refine((e) => Date.parse(e.end) >= Date.parse(e.start), { path: ['end'], message: 'end must not be before start' });

export type Evaluation = z.infer<typeof evaluationSchema>;
