import { type Admin, Kafka, type KafkaConfig, logLevel as KafkaLogLevel, type logCreator } from 'kafkajs';

/** Minimal logger shape (pino satisfies it) so this package does not depend on pino. */
export interface BusLogger {
  error(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  debug(obj: object, msg?: string): void;
}

/**
 * The level a kafkajs log entry is written at. kafkajs logs every error *response* of the broker
 * at error level ("Response JoinGroup(...)": the coordinator is loading, a leader moved), then
 * retries it itself; lasting failures reach our code as thrown errors, which it logs. So those
 * responses are warnings: an error in the logs should mean something is wrong.
 */
export function kafkaLogLevel(level: KafkaLogLevel, message: string): 'error' | 'warn' | 'info' | 'debug' {
  if (level === KafkaLogLevel.ERROR) return message.startsWith('Response ') ? 'warn' : 'error';
  if (level === KafkaLogLevel.WARN) return 'warn';
  if (level === KafkaLogLevel.INFO) return 'info';
  return 'debug';
}

function pinoLogCreator(log: BusLogger): logCreator {
  return () =>
    ({ level, log: entry }) => {
      const { message, ...rest } = entry;
      log[kafkaLogLevel(level, message)]({ kafka: rest }, message);
    };
}

export interface BusConfig {
  brokers: string[];
  clientId: string;
  log?: BusLogger;
  /** Connection retries before kafkajs gives up a single request (our loops retry further). */
  retries?: number;
  /** No kafkajs logging at all (a command-line tool reports failures itself). */
  silent?: boolean;
}

export function createKafka(config: BusConfig): Kafka {
  const options: KafkaConfig = {
    clientId: config.clientId,
    brokers: config.brokers,
    connectionTimeout: 3_000,
    requestTimeout: 30_000,
    retry: { retries: config.retries ?? 8, initialRetryTime: 200, maxRetryTime: 10_000 },
    logLevel: config.silent ? KafkaLogLevel.NOTHING : KafkaLogLevel.WARN,
  };
  if (config.log) options.logCreator = pinoLogCreator(config.log);
  return new Kafka(options);
}

/** Runs `work` with a connected admin client, disconnected afterwards whatever happens. */
export async function withAdmin<T>(kafka: Kafka, work: (admin: Admin) => Promise<T>): Promise<T> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    return await work(admin);
  } finally {
    await admin.disconnect();
  }
}

/** Which of `topics` do not exist. */
export async function missingTopics(admin: Admin, topics: readonly string[]): Promise<string[]> {
  const existing = new Set(await admin.listTopics());
  return topics.filter((t) => !existing.has(t));
}

/** Creates the topics that are missing, with their configs (never changes existing ones). Returns those created. */
export function ensureTopics(
  kafka: Kafka,
  topics: Array<{ topic: string; numPartitions: number; configs?: Record<string, string> }>,
): Promise<string[]> {
  return withAdmin(kafka, async (admin) => {
    const missing = new Set(
      await missingTopics(
        admin,
        topics.map((t) => t.topic),
      ),
    );
    const create = topics.filter((t) => missing.has(t.topic));
    if (create.length > 0) {
      await admin.createTopics({
        waitForLeaders: true,
        topics: create.map((t) => ({
          topic: t.topic,
          numPartitions: t.numPartitions,
          replicationFactor: 1,
          configEntries: Object.entries(t.configs ?? {}).map(([name, value]) => ({ name, value })),
        })),
      });
    }
    return create.map((t) => t.topic);
  });
}
