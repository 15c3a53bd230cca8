import { hostname } from 'node:os';
import { clickhouseEnv, httpEnv, kafkaEnv } from '@tracewatch/service-kit';
import { z } from 'zod';

const bool = (def: 'true' | 'false') =>
  z
    .enum(['true', 'false'])
    .default(def)
    .transform((v) => v === 'true');
const ms = (min: number, max: number, def: number) => z.coerce.number().int().min(min).max(max).default(def);

export const notifierConfigSchema = z
  .object({
    ...kafkaEnv,
    ...clickhouseEnv,
    ...httpEnv(8083),
    // Members of this group share reading the alerts topic; the one holding partition 0 composes
    // and delivers (one writer: numbers without gaps, deliveries marked once).
    NOTIFIER_GROUP_ID: z.string().min(1).default('tracewatch-notifier'),
    NOTIFIER_INSTANCE_ID: z
      .string()
      .regex(/^[A-Za-z0-9._-]{1,64}$/, 'letters, digits, . _ - (at most 64)')
      .default(
        `${hostname()
          .replace(/[^A-Za-z0-9._-]/g, '-')
          .slice(0, 40)}-${process.pid}`,
      ),
    // Where evidence links in notices point (the api's console).
    TRACEWATCH_CONSOLE_URL: z.url().default('http://127.0.0.1:8080'),
    // How often changes just read are composed (critical notices go out within this).
    NOTIFIER_COMPOSE_EVERY_MS: ms(50, 600_000, 1_000),
    // How often every owner is looked at (digest slots, changes read by other members).
    NOTIFIER_FULL_PASS_EVERY_MS: ms(1_000, 3_600_000, 10_000),
    NOTIFIER_ESCALATE_EVERY_MS: ms(1_000, 3_600_000, 30_000),
    NOTIFIER_MAX_CONCURRENT_DELIVERIES: z.coerce.number().int().min(1).max(256).default(8),
    NOTIFIER_RECOVER_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
    // The numbering year's local time (minutes east of UTC; Beijing = 480).
    NOTIFIER_YEAR_UTC_OFFSET_MINUTES: z.coerce.number().int().min(-720).max(840).default(480),
    // Retries: first delay, growth, cap, horizon from the first attempt, jitter share.
    NOTIFIER_RETRY_INITIAL_MS: ms(1, 86_400_000, 5_000),
    NOTIFIER_RETRY_MULTIPLIER: z.coerce.number().min(1).max(100).default(6),
    NOTIFIER_RETRY_MAX_DELAY_MS: ms(1, 7 * 86_400_000, 36_000_000),
    NOTIFIER_RETRY_HORIZON_MS: ms(1, 30 * 86_400_000, 172_800_000),
    NOTIFIER_RETRY_JITTER: z.coerce.number().min(0).max(1).default(0.2),
    NOTIFIER_WEBHOOK_TIMEOUT_MS: ms(100, 120_000, 15_000),
    // E-mail: off without SMTP_HOST (e-mail deliveries then wait and say why).
    SMTP_HOST: z.string().optional(),
    SMTP_PORT: z.coerce.number().int().min(1).max(65535).default(25),
    SMTP_SECURE: bool('false'),
    SMTP_USER: z.string().optional(),
    SMTP_PASSWORD: z.string().optional(),
    SMTP_FROM: z.string().min(3).default('tracewatch 通报 <notices@tracewatch.local>'),
    SMTP_TIMEOUT_MS: ms(100, 300_000, 30_000),
  })
  .refine((c) => c.NOTIFIER_RETRY_MAX_DELAY_MS >= c.NOTIFIER_RETRY_INITIAL_MS, {
    path: ['NOTIFIER_RETRY_MAX_DELAY_MS'],
    message: 'must be at least NOTIFIER_RETRY_INITIAL_MS',
  })
  .refine((c) => (c.SMTP_USER === undefined) === (c.SMTP_PASSWORD === undefined), {
    path: ['SMTP_PASSWORD'],
    message: 'SMTP_USER and SMTP_PASSWORD go together',
  });

export type NotifierConfig = z.infer<typeof notifierConfigSchema>;
