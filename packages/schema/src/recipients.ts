/**
 * Contracts of notice delivery: an owner's recipient configuration (who receives the notices
 * about which platforms, how, when, and how long they have to answer) and a delivery attempt
 * (one try of one channel, as recorded in ClickHouse). Versioned: a reader checks
 * `schemaVersion`; a breaking change adds a new version beside the old one.
 *
 * Admins manage configurations through the api (PUT /v1/recipients/:ownerId sends a
 * `recipientInputSchema` body; the api adds ownerId, updatedAt and updatedBy). The notifier
 * reads them back with `recipientConfigSchema`, so a stored configuration that no longer
 * parses is reported for that owner alone and never stops deliveries to the others.
 */
import { z } from 'zod';
import { boundedId, instant } from './common.js';

export const RECIPIENT_SCHEMA_VERSION = 1 as const;

export const NOTICE_LANGUAGES = ['zh-CN', 'en'] as const;
export const noticeLanguageSchema = z.enum(NOTICE_LANGUAGES);
export type NoticeLanguage = z.infer<typeof noticeLanguageSchema>;

/** Standard Webhooks 1.0 symmetric secrets: random, 24 to 64 bytes, base64, prefixed `whsec_`. */
export const WEBHOOK_SECRET_MIN_BYTES = 24;
export const WEBHOOK_SECRET_MAX_BYTES = 64;

export const webhookSecretSchema = z
  .string()
  .regex(/^whsec_[A-Za-z0-9+/]+={0,2}$/, 'a webhook secret is whsec_ followed by base64 (Standard Webhooks)')
  .refine((s) => {
    let bytes: number;
    try {
      bytes = atob(s.slice('whsec_'.length)).length; // atob: the same in Node and the browser
    } catch {
      return false;
    }
    return bytes >= WEBHOOK_SECRET_MIN_BYTES && bytes <= WEBHOOK_SECRET_MAX_BYTES;
  }, `a webhook secret must decode to ${WEBHOOK_SECRET_MIN_BYTES}..${WEBHOOK_SECRET_MAX_BYTES} bytes`);

/** An http(s) URL without credentials in it (the secret signs; a password in a URL would leak into logs). */
export const webhookUrlSchema = z
  .string()
  .max(2000)
  .refine((s) => URL.canParse(s), 'not a URL')
  .refine((s) => !URL.canParse(s) || ['http:', 'https:'].includes(new URL(s).protocol), 'the URL must be http or https')
  .refine((s) => !URL.canParse(s) || (new URL(s).username === '' && new URL(s).password === ''), {
    message: 'the URL must not carry a user name or password',
  });

const distinct = <T>(xs: readonly T[]) => new Set(xs).size === xs.length;

export const webhookTargetSchema = z.strictObject({ url: webhookUrlSchema, secret: webhookSecretSchema });

export const emailTargetSchema = z.strictObject({
  to: z
    .array(z.email('not an e-mail address'))
    .min(1, 'at least one address')
    .max(20, 'at most 20 addresses')
    .refine(distinct, 'an address is listed twice'),
});

/** Weekdays 1 (Monday) .. 7 (Sunday), as ClickHouse's toDayOfWeek. */
export const digestScheduleSchema = z
  .strictObject({
    frequency: z.enum(['daily', 'weekly']).default('daily'),
    /** Local time of day the digest goes out, HH:MM (24 h). */
    timeOfDay: z
      .string()
      .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time of day is HH:MM, 00:00..23:59')
      .default('09:00'),
    /** Only for weekly digests. */
    weekday: z.number().int().min(1).max(7).optional(),
    timeZone: z
      .string()
      .max(64)
      .refine((tz) => {
        try {
          new Intl.DateTimeFormat('en', { timeZone: tz });
          return true;
        } catch {
          return false;
        }
      }, 'not an IANA time zone (e.g. Asia/Shanghai)')
      .default('Asia/Shanghai'),
  })
  .superRefine((d, ctx) => {
    if (d.frequency === 'weekly' && d.weekday === undefined)
      ctx.addIssue({ code: 'custom', path: ['weekday'], message: 'a weekly digest needs a weekday (1 = Monday .. 7)' });
    if (d.frequency === 'daily' && d.weekday !== undefined)
      ctx.addIssue({ code: 'custom', path: ['weekday'], message: 'a daily digest takes no weekday' });
  });
export type DigestSchedule = z.infer<typeof digestScheduleSchema>;

const recipientFields = {
  /** Shown in notices and the console, e.g. the owning department. */
  name: z.string().trim().min(1).max(200),
  /** The platforms whose findings this owner is notified of (as on their owner API keys). */
  platformIds: z
    .array(boundedId)
    .min(1, 'an owner is bound to at least one platform')
    .max(100)
    .refine(distinct, 'a platform is listed twice'),
  /** Languages of the notices sent; both by default. */
  languages: z
    .array(noticeLanguageSchema)
    .min(1, 'at least one language')
    .refine(distinct, 'a language is listed twice')
    .default(['zh-CN', 'en']),
  digest: digestScheduleSchema.default({ frequency: 'daily', timeOfDay: '09:00', timeZone: 'Asia/Shanghai' }),
  /** Days the owner has to answer a notice before it escalates. */
  answerDays: z.number().int().min(1).max(90).default(10),
  webhook: webhookTargetSchema.optional(),
  email: emailTargetSchema.optional(),
};

const needsAChannel = (r: { webhook?: unknown; email?: unknown }, ctx: z.RefinementCtx) => {
  if (r.webhook === undefined && r.email === undefined)
    ctx.addIssue({ code: 'custom', path: ['webhook'], message: 'give at least one channel: webhook or email' });
};

/** What an admin sends to configure an owner's recipient (full replacement). */
export const recipientInputSchema = z.strictObject(recipientFields).superRefine(needsAChannel);
export type RecipientInput = z.input<typeof recipientInputSchema>;

/** A stored recipient configuration. */
export const recipientConfigShape = {
  schemaVersion: z.literal(RECIPIENT_SCHEMA_VERSION),
  ownerId: boundedId,
  ...recipientFields,
  updatedAt: instant,
  updatedBy: z.string().min(1).max(200),
};
export const recipientConfigSchema = z.strictObject(recipientConfigShape).superRefine(needsAChannel);
export type RecipientConfigV1 = z.infer<typeof recipientConfigSchema>;

export const DELIVERY_CHANNELS = ['webhook', 'email'] as const;
export const deliveryChannelSchema = z.enum(DELIVERY_CHANNELS);
export type DeliveryChannel = z.infer<typeof deliveryChannelSchema>;

/**
 * delivered: the receiver took it (2xx; SMTP accepted). retry: worth trying again later
 * (network error, timeout, 408, 429, 5xx, SMTP 4xx). failed: trying again cannot help
 * (other 3xx/4xx such as 404 or 410, SMTP 5xx, a configuration that cannot be used).
 */
export const DELIVERY_OUTCOMES = ['delivered', 'retry', 'failed'] as const;
export const deliveryOutcomeSchema = z.enum(DELIVERY_OUTCOMES);
export type DeliveryOutcome = z.infer<typeof deliveryOutcomeSchema>;

/**
 * The id receivers deduplicate by (`webhook-id`, the e-mail Message-ID's local part): the same
 * on every retry of one notice to one owner. No `.`, which Standard Webhooks' signed content uses
 * as its separator.
 */
export const messageIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9_:-]{1,128}$/, 'a message id is 1..128 letters, digits, _ : - (no dots)');

/** One try of one channel to deliver one notice. */
export const deliveryAttemptSchema = z.strictObject({
  noticeId: z.string().min(1).max(128),
  messageId: messageIdSchema,
  ownerId: boundedId,
  channel: deliveryChannelSchema,
  /** 1 for the first try of this channel. */
  attempt: z.number().int().min(1),
  outcome: deliveryOutcomeSchema,
  /** HTTP status or SMTP reply code; null when no answer came (network error, timeout). */
  responseCode: z.number().int().min(0).max(999).nullable(),
  error: z.string().max(2000).nullable(),
  durationMs: z.number().int().min(0),
  at: instant,
});
export type DeliveryAttempt = z.infer<typeof deliveryAttemptSchema>;
