/**
 * Kafka's own Java console producer (from the same jars as the local broker), for what
 * kafkajs cannot send: LZ4, Snappy and ZSTD batches, header names kafkajs would mangle.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { brokers } from './harness.js';
import { REPO_ROOT } from './servers.js';

let classpath: string | undefined;

/** The broker's jars: the local stack's copy, else resolved offline from the Maven cache. */
function kafkaClasspath(): string {
  if (classpath) return classpath;
  const stackLibs = `${REPO_ROOT}.stack/kafka/libs`;
  if (existsSync(stackLibs)) classpath = `${stackLibs}/*`;
  else {
    const out = `${mkdtempSync(`${tmpdir()}/tw-cp-`)}/classpath.txt`;
    execFileSync(
      'mvn',
      ['-q', '-o', '-f', `${REPO_ROOT}infra/kafka/pom.xml`, 'dependency:build-classpath', `-Dmdep.outputFile=${out}`],
      { stdio: 'pipe' },
    );
    classpath = readFileSync(out, 'utf8').trim();
  }
  return classpath;
}

export interface JavaRecord {
  key: string;
  value: string;
  /** Header name → value; names and values must not hold tab, comma or colon. */
  headers?: Array<[string, string]>;
}

/**
 * Sends the records with the console producer: all in few batches (linger), compressed with
 * `compression` (none, gzip, snappy, lz4, zstd). Resolves when the producer exited 0.
 */
export async function javaProduce(
  topic: string,
  records: JavaRecord[],
  opts: { compression?: string; producerProps?: Record<string, string> } = {},
): Promise<void> {
  const file = `${mkdtempSync(`${tmpdir()}/tw-java-`)}/records.txt`;
  const withHeaders = records.some((r) => r.headers);
  // The console producer parses headers on every line or on none, and refuses an empty set.
  if (withHeaders && !records.every((r) => r.headers && r.headers.length > 0))
    throw new Error('javaProduce: give every record headers, or none');
  const line = (r: JavaRecord) => {
    const head = withHeaders ? `${r.headers!.map(([k, v]) => `${k}:${v}`).join(',')}\t` : '';
    return `${head}${r.key}\t${r.value}\n`;
  };
  writeFileSync(file, records.map(line).join(''));
  const props: Record<string, string> = {
    'compression.type': opts.compression ?? 'none',
    'linger.ms': '50',
    'batch.size': '1048576',
    acks: 'all',
    ...opts.producerProps,
  };
  const args = [
    '-Xmx256m',
    '-cp',
    kafkaClasspath(),
    `-Dlog4j.configuration=file:${REPO_ROOT}infra/kafka/log4j.properties`,
    'kafka.tools.ConsoleProducer',
    '--bootstrap-server',
    brokers().join(','),
    '--topic',
    topic,
    '--property',
    'parse.key=true',
    '--property',
    'key.separator=\t',
    ...(withHeaders ? ['--property', 'parse.headers=true', '--property', 'headers.delimiter=\t'] : []),
    ...Object.entries(props).flatMap(([k, v]) => ['--producer-property', `${k}=${v}`]),
  ];
  await new Promise<void>((resolve, reject) => {
    let err = '';
    const proc = spawn('java', args, { stdio: ['pipe', 'ignore', 'pipe'] });
    proc.stderr.on('data', (b: Buffer) => {
      err += b.toString();
    });
    proc.stdin.end(readFileSync(file));
    proc.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`console producer exited ${code}: ${err.slice(-2000)}`)),
    );
  });
}
