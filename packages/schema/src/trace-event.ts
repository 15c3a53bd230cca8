import { z } from 'zod';
import { boundedId, hashHex, instant, MAX_CLOCK_SKEW_MS, storableFloat } from './common.js';

/** Who acted: platform staff (of the unit), the public, or an automated system account. */
export const ACTOR_ROLES = ['staff', 'public', 'system'] as const;
export type ActorRole = (typeof ACTOR_ROLES)[number];

/** The trace itself: what a platform says happened. No personal data in clear. */
export const traceDataSchema = z
  .object({
    platformId: boundedId,
    orgId: boundedId,
    actorId: boundedId.describe('pseudonymous actor id'),
    actorRole: z.enum(ACTOR_ROLES),
    action: z
      .string()
      .min(1)
      .max(64)
      .regex(/^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$/, 'action must be dotted lower-case words, e.g. form.submit'),
    occurredAt: instant.describe('when the platform claims the activity happened'),
    taskId: boundedId.optional(),
    assignedAt: instant.optional(),
    deadline: instant.optional(),
    value: storableFloat().min(-1e15).max(1e15).optional().describe('a value the actor reported'),
    valueDenominator: storableFloat()
      .positive(
        'valueDenominator must be > 0: a rate over 0 has no value — send such a record without value and ' +
          'valueDenominator, or with a value and no valueDenominator',
      )
      .max(1e15)
      .optional()
      .describe('for reported rates value/valueDenominator'),
    durationMs: z
      .number()
      .int()
      .nonnegative()
      .max(7 * 86_400_000)
      .optional(),
    contentHash: hashHex(64).optional().describe('sha-256 of the report text, hex'),
    simhash: hashHex(16).optional().describe('64-bit SimHash of the report text, hex'),
    sessionHash: hashHex(16, 64).optional(),
    deviceHash: hashHex(16, 64).optional(),
  })
  .strict()
  .superRefine((d, ctx) => {
    if (d.deadline !== undefined && d.assignedAt !== undefined && Date.parse(d.deadline) <= Date.parse(d.assignedAt)) {
      ctx.addIssue({ code: 'custom', path: ['deadline'], message: 'deadline must be after assignedAt' });
    }
    if ((d.deadline !== undefined || d.assignedAt !== undefined) && d.taskId === undefined) {
      ctx.addIssue({ code: 'custom', path: ['taskId'], message: 'assignedAt/deadline need a taskId' });
    }
    if (d.valueDenominator !== undefined && d.value === undefined) {
      ctx.addIssue({ code: 'custom', path: ['value'], message: 'valueDenominator needs a value' });
    }
  });

export type TraceData = z.infer<typeof traceDataSchema>;

export const TRACE_EVENT_TYPE = 'gov.trace.v1';

/** A trace event on the wire: CloudEvents 1.0, structured JSON mode. */
export const traceEventSchema = z
  .object({
    specversion: z.literal('1.0'),
    id: z
      .string()
      .min(1)
      .max(128)
      .regex(/^[A-Za-z0-9._:-]+$/, 'id may contain letters, digits and . _ : - only'),
    source: z.string().min(1).max(256).describe('the platform, as a URI reference'),
    type: z.literal(TRACE_EVENT_TYPE),
    time: instant.describe('when the platform recorded the trace (recordedAt)'),
    datacontenttype: z.literal('application/json').optional(),
    subject: z.string().max(256).optional(),
    data: traceDataSchema,
  })
  .strict()
  .superRefine((e, ctx) => {
    const recorded = Date.parse(e.time);
    const occurred = Date.parse(e.data.occurredAt);
    if (occurred > recorded + MAX_CLOCK_SKEW_MS) {
      ctx.addIssue({
        code: 'custom',
        path: ['data', 'occurredAt'],
        message: `occurredAt is after the recording time by more than ${MAX_CLOCK_SKEW_MS / 1000}s`,
      });
    }
  });

export type TraceEvent = z.infer<typeof traceEventSchema>;
