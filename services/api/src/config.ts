import { envTypes } from '@tracewatch/service-kit';
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
});

export type ApiConfig = z.infer<typeof apiConfigSchema>;
