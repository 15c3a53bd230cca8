import { envTypes, kafkaEnv } from '@tracewatch/service-kit';
import { z } from 'zod';

export const apiConfigSchema = z.object({
  CLICKHOUSE_URL: envTypes.url('http://127.0.0.1:8123'),
  CLICKHOUSE_DATABASE: envTypes.identifier('tracewatch'),
  CLICKHOUSE_USER: z.string().default('default'),
  CLICKHOUSE_PASSWORD: z.string().default(''),
  HTTP_PORT: envTypes.port(8080),
  HTTP_HOST: z.string().default('127.0.0.1'),
  LOG_LEVEL: envTypes.logLevel,
  // Requests per key (per address when no key is given) per minute.
  API_RATE_LIMIT_PER_MINUTE: envTypes.positiveInt(600),
  // Largest request body accepted; the calendar entries it takes are well under 2 KiB.
  API_BODY_LIMIT_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(1_048_576)
    .default(16 * 1024),
  // Where the built console lives (packages/console/dist by default).
  CONSOLE_DIR: z.string().optional(),
  // Alerts: commands go to alert-commands, the live stream reads the alerts topic.
  ...kafkaEnv,
  // How long a lifecycle request waits for the alert keeper's answer before 504.
  API_ALERT_COMMAND_TIMEOUT_MS: z.coerce.number().int().min(1_000).max(120_000).default(15_000),
  // Comment lines on idle streams, so proxies and browsers keep them open.
  API_STREAM_HEARTBEAT_MS: z.coerce.number().int().min(1_000).max(120_000).default(15_000),
  // Changes kept in memory for streams that resume with Last-Event-ID.
  API_STREAM_REPLAY: z.coerce.number().int().min(0).max(100_000).default(1_000),
  // Live streams one api process holds at most (each is a socket and a listener); more get 503.
  API_STREAM_MAX_CLIENTS: z.coerce.number().int().min(1).max(100_000).default(1_000),
});

export type ApiConfig = z.infer<typeof apiConfigSchema>;
