#!/usr/bin/env node
import { UsageError } from './args.js';
import { ALERTS_USAGE, alertsCommand } from './commands/alerts.js';
import { ANALYZE_USAGE, analyzeCommand } from './commands/analyze.js';
import { DLQ_USAGE, dlqCommand } from './commands/dlq.js';
import { KEYS_USAGE, keysCommand } from './commands/keys.js';
import { PRODUCE_USAGE, produceCommand } from './commands/produce.js';
import { SCORE_USAGE, scoreCommand } from './commands/score.js';
import { SILENCE_USAGE, silenceCommand } from './commands/silence.js';
import { SIMULATE_USAGE, simulateCommand } from './commands/simulate.js';

const COMMANDS: Record<string, { run: (argv: string[]) => Promise<number>; usage: string }> = {
  produce: { run: produceCommand, usage: PRODUCE_USAGE },
  simulate: { run: (argv) => simulateCommand(argv), usage: SIMULATE_USAGE },
  analyze: { run: (argv) => analyzeCommand(argv), usage: ANALYZE_USAGE },
  score: { run: (argv) => scoreCommand(argv), usage: SCORE_USAGE },
  dlq: { run: dlqCommand, usage: DLQ_USAGE },
  alerts: { run: (argv) => alertsCommand(argv), usage: ALERTS_USAGE },
  silence: { run: (argv) => silenceCommand(argv), usage: SILENCE_USAGE },
  keys: { run: keysCommand, usage: KEYS_USAGE },
};

function usage(): string {
  return `usage: tracewatch <command> ...\n\n${Object.values(COMMANDS)
    .map((c) => c.usage)
    .join('\n\n')}\n`;
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name) {
    // Nothing asked: the usage, as for any other usage mistake (exit 2).
    process.stderr.write(usage());
    return 2;
  }
  if (name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(usage());
    return 0;
  }
  const command = COMMANDS[name];
  if (!command) throw new UsageError(`unknown command ${JSON.stringify(name)}\n${usage()}`);
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(`${command.usage}\n`);
    return 0;
  }
  return command.run(rest);
}

// Output piped into `head` and closed early is not an error.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    if (err instanceof UsageError) {
      process.stderr.write(`tracewatch: ${err.message}\n`);
      process.exitCode = 2;
    } else if ((err as Error)?.name === 'UnavailableError') {
      process.stderr.write(`tracewatch: ${(err as Error).message}\n`);
      process.exitCode = 1;
    } else if ((err as Error)?.name?.startsWith('KafkaJS')) {
      // Not a bug of ours: Kafka is unreachable or refused. Say what, without a stack.
      process.stderr.write(
        `tracewatch: Kafka: ${(err as Error).message} (brokers from --brokers or KAFKA_BROKERS; \`npm run stack:up\` starts the local one)\n`,
      );
      process.exitCode = 1;
    } else {
      process.stderr.write(`tracewatch: unexpected error: ${(err as Error)?.stack ?? String(err)}\n`);
      process.exitCode = 1;
    }
  },
);
