/**
 * Contracts others read: findings (what a detector concluded), alerts (a finding under an
 * operator's lifecycle), the changes of an alert (the `alerts` topic) and the commands that
 * ask for a change (the `alert-commands` topic). Versioned: a reader checks `schemaVersion`;
 * a breaking change adds a new version beside the old one.
 *
 * Flow: the detector service turns each evaluation's findings into `finding` / `withdraw`
 * commands; operators (CLI, API) send `transition` commands. The alert keeper applies the
 * commands of one fingerprint in order (Kafka partition by fingerprint), checks versions and
 * the lifecycle, and publishes accepted changes to `alerts` in one Kafka transaction with the
 * commands' offsets, so no change is published twice.
 */
import { z } from 'zod';
import { boundedId, calendarDay, instant } from './common.js';

export const ALERT_SCHEMA_VERSION = 1 as const;

/** Detector names as they appear in findings (a string: new detectors must not break readers). */
export const detectorName = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[a-z][a-z0-9-]*$/, 'detector names are lower-case words joined by -');

export const fingerprintSchema = z
  .string()
  .regex(/^[0-9a-f]{32}$/, 'a fingerprint is 32 lower-case hex digits (detector + rule + scope + period)');

export const scopeSchema = z
  .object({
    kind: z.enum(['platform', 'org', 'actor']),
    platformId: boundedId,
    orgId: boundedId.optional(),
    actorId: boundedId.optional(),
  })
  .strict();

export const periodSchema = z
  .object({ start: calendarDay, end: calendarDay })
  .strict()
  .refine((p) => p.start <= p.end, { path: ['end'], message: 'end must not be before start' });

export const localizedSchema = z.object({ 'zh-CN': z.string(), en: z.string() }).strict();

export const SEVERITIES = ['warning', 'critical'] as const;
export const severitySchema = z.enum(SEVERITIES);

/** Finite numbers only: JSON has no NaN or Infinity, and readers must not meet them. */
const statistics = z.record(z.string(), z.number());

/** A detector's conclusion on one scope and period (packages/detectors `Finding`). */
export const findingSchema = z
  .object({
    fingerprint: fingerprintSchema,
    detector: detectorName,
    rule: z.string().min(1).max(200),
    scope: scopeSchema,
    period: periodSchema,
    statistics,
    pValue: z.number().min(0).max(1).nullable(),
    qValue: z.number().min(0).max(1).nullable(),
    score: z.number(),
    severity: severitySchema,
    /** The numbers and series behind the test (per detector; see the detectors' README). */
    evidence: z.record(z.string(), z.unknown()),
    explanation: localizedSchema,
    corroboratedBy: z.array(detectorName),
  })
  .strict();
export type FindingV1 = z.infer<typeof findingSchema>;

/**
 * open → acknowledged → resolved | dismissed | confirmed (operators);
 * withdrawn (the system: the finding no longer holds once its window's data is complete —
 * an early warning the closed-window test did not confirm, say). A resolved or withdrawn
 * alert whose finding comes back stronger re-opens.
 */
export const ALERT_STATES = ['open', 'acknowledged', 'resolved', 'dismissed', 'confirmed', 'withdrawn'] as const;
export const alertStateSchema = z.enum(ALERT_STATES);
export type AlertState = z.infer<typeof alertStateSchema>;

/** Who made a change: an operator's name, or `system:<service>` for the detector. */
export const actorName = z
  .string()
  .min(1)
  .max(100)
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
  .refine((s) => !/[\u0000-\u001f\u007f]/.test(s), 'names may not contain control characters');
export const noteSchema = z.string().max(2000);

export const alertSchema = z
  .object({
    schemaVersion: z.literal(ALERT_SCHEMA_VERSION),
    fingerprint: fingerprintSchema,
    state: alertStateSchema,
    /** Bumped by every accepted change; transitions name the version they expect. */
    version: z.number().int().positive(),
    finding: findingSchema,
    /** Stream time (the detector's asOf) when the finding was first and last seen. */
    firstSeenAt: instant,
    lastSeenAt: instant,
    updatedAt: instant,
    updatedBy: actorName,
    /** Ids of the silences that matched when the alert last changed; silenced alerts stay stored. */
    silencedBy: z.array(boundedId),
  })
  .strict();
export type Alert = z.infer<typeof alertSchema>;

export const ALERT_CHANGE_KINDS = ['created', 'updated', 'transition'] as const;

/** One accepted change of an alert; `alert` is its state after the change. */
export const alertChangeSchema = z
  .object({
    schemaVersion: z.literal(ALERT_SCHEMA_VERSION),
    changeId: boundedId,
    /** The command that caused it (idempotency: one command, one change at most). */
    commandId: boundedId,
    fingerprint: fingerprintSchema,
    version: z.number().int().positive(),
    kind: z.enum(ALERT_CHANGE_KINDS),
    from: alertStateSchema.nullable(),
    to: alertStateSchema,
    at: instant,
    by: actorName,
    note: noteSchema,
    alert: alertSchema,
  })
  .strict();
export type AlertChange = z.infer<typeof alertChangeSchema>;

/** States an operator may ask for (withdrawn is the system's). */
export const OPERATOR_STATES = ['open', 'acknowledged', 'resolved', 'dismissed', 'confirmed'] as const;

export const alertCommandSchema = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('finding'),
      schemaVersion: z.literal(ALERT_SCHEMA_VERSION),
      commandId: boundedId,
      finding: findingSchema,
      /** The stream time of the evaluation that found it. */
      asOf: instant,
      by: actorName,
    })
    .strict(),
  z
    .object({
      kind: z.literal('withdraw'),
      schemaVersion: z.literal(ALERT_SCHEMA_VERSION),
      commandId: boundedId,
      fingerprint: fingerprintSchema,
      asOf: instant,
      by: actorName,
      reason: noteSchema,
    })
    .strict(),
  z
    .object({
      kind: z.literal('transition'),
      schemaVersion: z.literal(ALERT_SCHEMA_VERSION),
      commandId: boundedId,
      fingerprint: fingerprintSchema,
      to: z.enum(OPERATOR_STATES),
      /** The version the operator saw; another change since then is a conflict. */
      expectedVersion: z.number().int().positive(),
      by: actorName,
      note: noteSchema,
      at: instant,
    })
    .strict(),
]);
export type AlertCommand = z.infer<typeof alertCommandSchema>;

/** What matches a silence: a detector (or any), and a scope narrowed as far as given. */
export const silenceSchema = z
  .object({
    schemaVersion: z.literal(ALERT_SCHEMA_VERSION),
    id: boundedId,
    detector: detectorName.nullable(),
    platformId: boundedId.nullable(),
    orgId: boundedId.nullable(),
    actorId: boundedId.nullable(),
    createdBy: actorName,
    reason: z.string().min(1, 'a silence needs a reason').max(2000),
    createdAt: instant,
    expiresAt: instant,
  })
  .strict()
  .refine((s) => s.detector !== null || s.platformId !== null, {
    path: ['platformId'],
    message: 'a silence must name a detector or a platform (it would silence everything)',
  })
  .refine((s) => Date.parse(s.expiresAt) > Date.parse(s.createdAt), {
    path: ['expiresAt'],
    message: 'expiresAt must be after createdAt',
  });
export type Silence = z.infer<typeof silenceSchema>;

/** CloudEvents 1.0 envelope of a change on the `alerts` topic (key = fingerprint). */
export const ALERT_CHANGED_TYPE = 'gov.tracewatch.alert.changed.v1';
export const alertChangedEventSchema = z
  .object({
    specversion: z.literal('1.0'),
    id: boundedId,
    source: z.string().min(1).max(200),
    type: z.literal(ALERT_CHANGED_TYPE),
    time: instant,
    subject: fingerprintSchema,
    datacontenttype: z.literal('application/json'),
    data: alertChangeSchema,
  })
  .strict();
export type AlertChangedEvent = z.infer<typeof alertChangedEventSchema>;
