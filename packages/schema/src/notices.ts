/**
 * Contracts of notices (通报) to platform owners: the notice document the notifier stores (the
 * outbox, migration 030) and delivers (webhook JSON body, e-mail), the owner's answer and
 * acknowledgement (migration 034), and each delivery's state (migration 033). Versioned: a
 * reader checks `schemaVersion`; a breaking change adds a new version beside the old one.
 *
 * A notice concerns one owner (bound to platform ids by the recipients configuration). Its
 * items are alert changes of those platforms since the last notice to that owner: critical
 * ones at once (kind `immediate`), the rest in a digest on the owner's schedule (the digest
 * schedule, languages and days to answer are the owner's recipient configuration, recipients.ts).
 */
import { z } from 'zod';
import {
  actorName,
  alertStateSchema,
  detectorName,
  fingerprintSchema,
  localizedSchema,
  periodSchema,
  severitySchema,
} from './alerts.js';
import { boundedId, instant } from './common.js';

export const NOTICE_SCHEMA_VERSION = 1 as const;

/** `2026-000123`: the year (local, of createdAt) and a sequence unique and gap-free within it. */
export const noticeNumberSchema = z
  .string()
  .regex(/^\d{4}-\d{6}$/, 'a notice number is YYYY-NNNNNN (year and sequence within it)');

export const NOTICE_KINDS = ['immediate', 'digest'] as const;
export const noticeKindSchema = z.enum(NOTICE_KINDS);

/**
 * What changed about an alert since the last notice to the same owner: `new` (never notified),
 * `updated` (severity or period changed), `reopened` (a resolved or withdrawn alert came back),
 * or the state it reached.
 */
export const NOTICE_ITEM_CHANGES = [
  'new',
  'updated',
  'reopened',
  'dismissed',
  'confirmed',
  'resolved',
  'withdrawn',
] as const;
export const noticeItemChangeSchema = z.enum(NOTICE_ITEM_CHANGES);
export type NoticeItemChange = z.infer<typeof noticeItemChangeSchema>;

/** What the owner is asked for: `none` when every item only closes a matter (withdrawn, dismissed, resolved). */
export const NOTICE_ASKS = ['explain', 'rectify', 'none'] as const;
export const noticeAskSchema = z.enum(NOTICE_ASKS);
export type NoticeAsk = z.infer<typeof noticeAskSchema>;

/** One number behind a finding, by the detector's statistic name (`value` as the detector computed it). */
export const keyNumberSchema = z.object({ name: z.string().min(1).max(64), value: z.number() }).strict();

export const noticeItemSchema = z
  .object({
    fingerprint: fingerprintSchema,
    detector: detectorName,
    severity: severitySchema,
    /** The alert's state and version when the notice was composed. */
    alertState: alertStateSchema,
    alertVersion: z.number().int().positive(),
    change: noticeItemChangeSchema,
    platformId: boundedId,
    orgId: boundedId.nullable(),
    period: periodSchema,
    /** The finding in plain words (the detector's explanation, plus the change). */
    summary: localizedSchema,
    keyNumbers: z.array(keyNumberSchema).max(20),
    pValue: z.number().min(0).max(1).nullable(),
    qValue: z.number().min(0).max(1).nullable(),
    /** Into the console, where the evidence is shown. */
    evidenceUrl: z.url(),
  })
  .strict();
export type NoticeItem = z.infer<typeof noticeItemSchema>;

export const noticeSchema = z
  .object({
    schemaVersion: z.literal(NOTICE_SCHEMA_VERSION),
    /** Unique per composition (the outbox key; also the stem of every webhook-id). */
    id: boundedId,
    number: noticeNumberSchema,
    ownerId: boundedId,
    kind: noticeKindSchema,
    createdAt: instant,
    /** The changes it reports happened within this span (stream of alert changes, not findings' periods). */
    covers: z.object({ from: instant, to: instant }).strict(),
    platformIds: z.array(boundedId).min(1),
    orgIds: z.array(boundedId),
    items: z.array(noticeItemSchema).min(1).max(1000),
    asked: noticeAskSchema,
    /** When the answer is due; null when nothing is asked. */
    answerDeadline: instant.nullable(),
    /** The number of the notice before it to the same owner (null for the first). */
    previousNumber: noticeNumberSchema.nullable(),
  })
  .strict()
  .refine((n) => (n.asked === 'none') === (n.answerDeadline === null), {
    path: ['answerDeadline'],
    message: 'a deadline exactly when something is asked',
  });
export type Notice = z.infer<typeof noticeSchema>;

export const attachmentLinkSchema = z
  .object({
    url: z.url().refine((u) => /^https?:/i.test(u), 'attachments are http(s) links'),
    title: z.string().max(200).default(''),
  })
  .strict();

export const ANSWER_KINDS = ['explanation', 'rectification'] as const;
export const answerKindSchema = z.enum(ANSWER_KINDS);

/** What the API accepts from an owner (the notice id comes from the route, `by` from the key). */
export const answerInputSchema = z
  .object({
    kind: answerKindSchema,
    text: z.string().trim().min(1, 'an answer needs a text').max(20_000),
    attachments: z.array(attachmentLinkSchema).max(20).default([]),
  })
  .strict();
export type AnswerInput = z.input<typeof answerInputSchema>;

export const noticeAnswerSchema = z
  .object({
    schemaVersion: z.literal(NOTICE_SCHEMA_VERSION),
    id: boundedId,
    noticeId: boundedId,
    kind: answerKindSchema,
    text: z.string().min(1).max(20_000),
    attachments: z.array(attachmentLinkSchema).max(20),
    by: actorName,
    at: instant,
  })
  .strict();
export type NoticeAnswer = z.infer<typeof noticeAnswerSchema>;

export const noticeAcknowledgementSchema = z.object({ noticeId: boundedId, by: actorName, at: instant }).strict();
export type NoticeAcknowledgement = z.infer<typeof noticeAcknowledgementSchema>;

/** Per notice and channel: pending (retrying), delivered (marked once), failed (refused, or past the horizon). */
export const DELIVERY_STATES = ['pending', 'delivered', 'failed'] as const;
export const deliveryStateSchema = z.enum(DELIVERY_STATES);
export type DeliveryState = z.infer<typeof deliveryStateSchema>;

export const noticeDeliverySchema = z
  .object({
    noticeId: boundedId,
    channel: z.enum(['webhook', 'email']),
    /** The same on every attempt (webhook-id / Message-ID): receivers drop repeats. */
    messageId: z.string().min(1).max(200),
    state: deliveryStateSchema,
    attempts: z.number().int().min(0),
    firstAttemptAt: instant.nullable(),
    lastError: z.string().max(2000),
    nextAttemptAt: instant.nullable(),
    updatedAt: instant,
  })
  .strict();
export type NoticeDelivery = z.infer<typeof noticeDeliverySchema>;

/** A notice as the API shows it: the document, its acknowledgement, answers, deliveries, overdue. */
export const noticeViewSchema = z
  .object({
    notice: noticeSchema,
    acknowledgement: noticeAcknowledgementSchema.nullable(),
    answers: z.array(noticeAnswerSchema),
    deliveries: z.array(noticeDeliverySchema),
    /** Something was asked, no answer came, and the deadline passed (as of the read). */
    overdue: z.boolean(),
  })
  .strict();
export type NoticeView = z.infer<typeof noticeViewSchema>;

/** The webhook body (JSON) of a notice: a CloudEvents-like envelope around the document. */
export const NOTICE_ISSUED_TYPE = 'gov.tracewatch.notice.issued.v1';
export const noticeWebhookBodySchema = z
  .object({
    type: z.literal(NOTICE_ISSUED_TYPE),
    timestamp: instant,
    data: noticeSchema,
  })
  .strict();
export type NoticeWebhookBody = z.infer<typeof noticeWebhookBodySchema>;
