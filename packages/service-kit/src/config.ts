import { z } from 'zod';

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/**
 * Parses configuration from the environment. Empty variables count as unset (so `FOO=` falls
 * back to the default); every problem is reported with the variable's name.
 */
export function parseEnv<S extends z.ZodObject>(schema: S, env: NodeJS.ProcessEnv = process.env): z.infer<S> {
  const cleaned: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined && v.trim() !== '') cleaned[k] = v.trim();
  const parsed = schema.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.') || '(env)'}: ${i.message}`);
    throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`);
  }
  return parsed.data;
}

/** Reads the config or stops the process with a message naming the variables at fault. */
export function loadConfigOrExit<S extends z.ZodObject>(schema: S, env: NodeJS.ProcessEnv = process.env): z.infer<S> {
  try {
    return parseEnv(schema, env);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw err;
  }
}

/** Reusable field types for env schemas. */
export const envTypes = {
  port: (def: number) => z.coerce.number().int().min(0).max(65535).default(def),
  positiveInt: (def: number) => z.coerce.number().int().positive().default(def),
  brokers: z
    .string()
    .default('127.0.0.1:9092')
    .transform((s) => s.split(',').map((b) => b.trim()))
    .pipe(z.array(z.string().regex(/^[^\s:]+:\d+$/, 'each broker must be host:port')).min(1)),
  url: (def: string) => z.url().default(def),
  identifier: (def: string) =>
    z
      .string()
      .regex(/^[a-z_][a-z0-9_]*$/, 'must be lower-case letters, digits and _')
      .default(def),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
};

/** A topic prefix per deployment (and per test run): prepended to every topic name. */
const topicPrefix = z
  .string()
  .regex(/^[a-zA-Z0-9._-]*$/, 'only letters, digits, . _ -')
  .default('');

/**
 * Env fragments every service shares, spread into its own schema, so that a variable means the
 * same everywhere: `z.object({ ...kafkaEnv, ...clickhouseEnv, ...httpEnv(8082), MY_VAR: … })`.
 */
export const kafkaEnv = {
  KAFKA_BROKERS: envTypes.brokers,
  // A crashed member's partitions move to the others after this long without heartbeats.
  KAFKA_SESSION_TIMEOUT_MS: z.coerce.number().int().min(6_000).max(300_000).default(30_000),
  // Not ready once no broker has answered for this long (a live one answers every few seconds).
  KAFKA_UNREACHABLE_AFTER_MS: z.coerce.number().int().min(6_000).max(600_000).default(15_000),
  TOPIC_PREFIX: topicPrefix,
};

export const clickhouseEnv = {
  CLICKHOUSE_URL: envTypes.url('http://127.0.0.1:8123'),
  CLICKHOUSE_DATABASE: envTypes.identifier('tracewatch'),
  CLICKHOUSE_USER: z.string().default('default'),
  CLICKHOUSE_PASSWORD: z.string().default(''),
};

export const httpEnv = (defaultPort: number) => ({
  HTTP_PORT: envTypes.port(defaultPort),
  HTTP_HOST: z.string().default('127.0.0.1'),
  LOG_LEVEL: envTypes.logLevel,
});
