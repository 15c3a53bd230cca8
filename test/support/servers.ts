/**
 * Where the tests find Kafka and ClickHouse, in this order:
 *   1. KAFKA_BROKERS / CLICKHOUSE_URL when set (CI and `npm test` set them);
 *   2. testcontainers, when a Docker engine answers;
 *   3. the project's local stack (infra/local/stack.sh), started when needed.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export interface Servers {
  kafkaBrokers: string[];
  clickhouseUrl: string;
  origin: 'env' | 'testcontainers' | 'local-stack';
  stop: () => Promise<void>;
}

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

async function dockerAnswers(): Promise<boolean> {
  const socket = process.env.DOCKER_HOST ?? '/var/run/docker.sock';
  if (!process.env.DOCKER_HOST && !existsSync(socket)) return false;
  try {
    const { getContainerRuntimeClient } = await import('testcontainers');
    await getContainerRuntimeClient();
    return true;
  } catch {
    return false;
  }
}

async function fromTestcontainers(): Promise<Servers> {
  const { GenericContainer, Wait } = await import('testcontainers');
  const { KafkaContainer } = await import('@testcontainers/kafka');
  const [kafka, clickhouse] = await Promise.all([
    new KafkaContainer('confluentinc/cp-kafka:7.9.0').withKraft().start(), // Kafka 3.9 line
    new GenericContainer('clickhouse/clickhouse-server:24.8')
      .withExposedPorts(8123)
      .withEnvironment({ CLICKHOUSE_SKIP_USER_SETUP: '1' })
      .withWaitStrategy(Wait.forHttp('/ping', 8123))
      .start(),
  ]);
  return {
    kafkaBrokers: [`${kafka.getHost()}:${kafka.getMappedPort(9093)}`],
    clickhouseUrl: `http://${clickhouse.getHost()}:${clickhouse.getMappedPort(8123)}`,
    origin: 'testcontainers',
    stop: async () => {
      await Promise.all([kafka.stop(), clickhouse.stop()]);
    },
  };
}

function fromLocalStack(): Servers {
  execFileSync('bash', [`${REPO_ROOT}infra/local/stack.sh`, 'up'], { stdio: 'inherit' });
  return {
    kafkaBrokers: ['127.0.0.1:9092'],
    clickhouseUrl: 'http://127.0.0.1:8123',
    origin: 'local-stack',
    stop: async () => undefined, // left running for the next run; `npm run stack:down` stops it
  };
}

export async function acquireServers(): Promise<Servers> {
  const { KAFKA_BROKERS, CLICKHOUSE_URL } = process.env;
  if (KAFKA_BROKERS && CLICKHOUSE_URL) {
    return {
      kafkaBrokers: KAFKA_BROKERS.split(','),
      clickhouseUrl: CLICKHOUSE_URL,
      origin: 'env',
      stop: async () => undefined,
    };
  }
  if (await dockerAnswers()) return fromTestcontainers();
  return fromLocalStack();
}
