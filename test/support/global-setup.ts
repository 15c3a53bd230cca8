import { execFileSync } from 'node:child_process';
import type { TestProject } from 'vitest/node';
import { acquireServers, REPO_ROOT } from './servers.js';

/** Runs once for the integration project: finds the servers and hands them to the tests. */
export default async function setup(project: TestProject) {
  // The tests start the services as real processes, from their build (incremental: fast when current).
  execFileSync(
    process.execPath,
    [
      `${REPO_ROOT}node_modules/typescript/bin/tsc`,
      '-b',
      `${REPO_ROOT}services/ingest`,
      `${REPO_ROOT}services/api`,
      `${REPO_ROOT}packages/cli`,
    ],
    {
      stdio: 'inherit',
    },
  );
  // The console the api serves (skipped when its build is current).
  execFileSync(process.execPath, [`${REPO_ROOT}packages/console/build.mjs`], { stdio: 'inherit' });
  const servers = await acquireServers();
  process.env.KAFKA_BROKERS = servers.kafkaBrokers.join(',');
  process.env.CLICKHOUSE_URL = servers.clickhouseUrl;
  project.provide('kafkaBrokers', servers.kafkaBrokers.join(','));
  project.provide('clickhouseUrl', servers.clickhouseUrl);
  console.log(
    `integration tests use Kafka ${servers.kafkaBrokers.join(',')} and ClickHouse ${servers.clickhouseUrl} (${servers.origin})`,
  );
  return async () => servers.stop();
}

declare module 'vitest' {
  export interface ProvidedContext {
    kafkaBrokers: string;
    clickhouseUrl: string;
  }
}
