import { hostname } from 'node:os';
import { alertmanagerEnvShape } from '@tracewatch/alertmanager';
import { DEFAULT_UTC_OFFSET_MINUTES, parseUtcOffset } from '@tracewatch/detectors';
import { clickhouseEnv, httpEnv, kafkaEnv } from '@tracewatch/service-kit';
import { z } from 'zod';

const detectorConfigFields = z.object({
  ...kafkaEnv,
  ...clickhouseEnv,
  ...httpEnv(8082),
  ...alertmanagerEnvShape,
  // Members of this group share the emitting of alert commands: the one holding the
  // evaluations partition emits (every instance keeps the whole state, see README).
  DETECTOR_GROUP_ID: z.string().min(1).default('tracewatch-detector'),
  // Ingest's group: its committed offsets are the seam between what is stored and what is read.
  DETECTOR_INGEST_GROUP_ID: z.string().min(1).default('tracewatch-ingest'),
  DETECTOR_INSTANCE_ID: z
    .string()
    .regex(/^[A-Za-z0-9._-]{1,64}$/, 'letters, digits, . _ - (at most 64)')
    .default(
      `${hostname()
        .replace(/[^A-Za-z0-9._-]/g, '-')
        .slice(0, 40)}-${process.pid}`,
    ),
  DETECTOR_EVALUATE_EVERY_MS: z.coerce.number().int().min(100).max(86_400_000).default(60_000),
  // Events recorded up to this much out of order (by recording time) still count where they belong.
  DETECTOR_ALLOWED_LATENESS_MS: z.coerce
    .number()
    .int()
    .min(0)
    .max(7 * 86_400_000)
    .default(300_000),
  // The alert keeper (packages/alerts) runs in this process unless turned off (then run it elsewhere).
  ALERT_KEEPER_ENABLED: z
    .enum(['true', 'false'])
    .default('true')
    .transform((v) => v === 'true'),
  ALERT_KEEPER_GROUP_ID: z.string().min(1).default('tracewatch-alert-keeper'),
  // Local days of the detectors: the deployment's setting, the same values as `tracewatch analyze
  // --utc-offset` ('+08:00', 'UTC', a fixed-offset zone name such as 'Asia/Shanghai').
  TRACEWATCH_UTC_OFFSET: z
    .string()
    .transform((setting, ctx) => {
      try {
        return parseUtcOffset(setting);
      } catch (err) {
        ctx.addIssue({ code: 'custom', message: (err as Error).message });
        return z.NEVER;
      }
    })
    .optional(),
  // The older name (minutes east of UTC), still read when TRACEWATCH_UTC_OFFSET is not set.
  DETECTOR_UTC_OFFSET_MINUTES: z.coerce.number().int().min(-720).max(840).optional(),
});

/** The two names of the local-day setting may not disagree. */
export const detectorConfigSchema = detectorConfigFields.superRefine((c, ctx) => {
  if (
    c.TRACEWATCH_UTC_OFFSET !== undefined &&
    c.DETECTOR_UTC_OFFSET_MINUTES !== undefined &&
    c.TRACEWATCH_UTC_OFFSET !== c.DETECTOR_UTC_OFFSET_MINUTES
  ) {
    ctx.addIssue({
      code: 'custom',
      path: ['DETECTOR_UTC_OFFSET_MINUTES'],
      message: `disagrees with TRACEWATCH_UTC_OFFSET (${c.TRACEWATCH_UTC_OFFSET} minutes); set only TRACEWATCH_UTC_OFFSET`,
    });
  }
});

export type DetectorConfig = z.infer<typeof detectorConfigSchema>;

/** Minutes east of UTC of the detectors' local days: TRACEWATCH_UTC_OFFSET, else the older name, else UTC+8. */
export function detectorUtcOffsetMinutes(config: DetectorConfig): number {
  return config.TRACEWATCH_UTC_OFFSET ?? config.DETECTOR_UTC_OFFSET_MINUTES ?? DEFAULT_UTC_OFFSET_MINUTES;
}
