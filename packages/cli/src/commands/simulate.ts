import { simulateToDirectory } from '@tracewatch/simulator';
import { intFlag, parseArgs, rejectUnknownFlags, stringFlag, UsageError } from '../args.js';
import { type CommandIo, count, processIo } from '../command-io.js';

export const SIMULATE_USAGE = `tracewatch simulate --seed S --units N --months M --out DIR [--start YYYY-MM-DD]
  Writes simulated platform traffic with labelled fabrication scenarios and hard negatives:
  DIR/events.jsonl, evaluations.jsonl, metrics.jsonl, labels.jsonl. The same options give
  the same files.`;

function requiredInt(args: ReturnType<typeof parseArgs>, name: string, min: number): number {
  if (!args.flags.has(name)) throw new UsageError(`missing --${name}\n${SIMULATE_USAGE}`);
  return intFlag(args, name, 0, min);
}

export async function simulateCommand(argv: string[], io: CommandIo = processIo): Promise<number> {
  const args = parseArgs(argv);
  rejectUnknownFlags(args, ['seed', 'units', 'months', 'out', 'start']);
  if (args.positional.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(args.positional[0])}`);
  const seed = requiredInt(args, 'seed', 0);
  const units = requiredInt(args, 'units', 1);
  const months = requiredInt(args, 'months', 1);
  const out = stringFlag(args, 'out');
  if (!out) throw new UsageError(`missing --out DIR\n${SIMULATE_USAGE}`);
  const start = stringFlag(args, 'start');
  if (start !== undefined && !(/^\d{4}-\d{2}-\d{2}$/.test(start) && Number.isFinite(Date.parse(start))))
    throw new UsageError(`--start must be a day YYYY-MM-DD, got ${JSON.stringify(start)}`);

  const started = performance.now();
  let lastReport = started;
  let counts: Awaited<ReturnType<typeof simulateToDirectory>>;
  try {
    counts = await simulateToDirectory({ seed, units, months, ...(start ? { start } : {}) }, out, (c) => {
      const now = performance.now();
      if (now - lastReport < 1_000) return;
      lastReport = now;
      io.err(`simulate: ${count(c.events)} events (${count(c.events / ((now - started) / 1000))} events/s)\n`);
    });
  } catch (err) {
    // The simulator refuses impossible options with a RangeError; the file system with a code.
    if (err instanceof RangeError) throw new UsageError(err.message);
    const code = (err as NodeJS.ErrnoException).code;
    if (code) throw new UsageError(`cannot write to ${out}: ${code}`);
    throw err;
  }
  const seconds = (performance.now() - started) / 1000;
  io.out(
    `wrote ${out}/: ${count(counts.events)} events, ${count(counts.evaluations)} evaluations, ` +
      `${count(counts.metrics)} reported metrics, ${count(counts.labels)} labels (${seconds.toFixed(1)} s)\n`,
  );
  return 0;
}
