import { hostname } from 'node:os';
import { alertmanagerEnvShape } from '@tracewatch/alertmanager';
import { clickhouseEnv, httpEnv, kafkaEnv } from '@tracewatch/service-kit';
import { z } from 'zod';

export const detectorConfigSchema = z.object({
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
  // Local days of the detectors (minutes east of UTC; Asia/Shanghai = 480).
  // The alert keeper (packages/alerts) runs in this process unless turned off (then run it elsewhere).
  ALERT_KEEPER_ENABLED: z
    .enum(['true', 'false'])
    .default('true')
    .transform((v) => v === 'true'),
  ALERT_KEEPER_GROUP_ID: z.string().min(1).default('tracewatch-alert-keeper'),
  DETECTOR_UTC_OFFSET_MINUTES: z.coerce.number().int().min(-720).max(840).default(480),
});

export type DetectorConfig = z.infer<typeof detectorConfigSchema>;
