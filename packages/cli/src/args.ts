/** A user's mistake on the command line or in an input file: printed as a message, no stack. */
export class UsageError extends Error {
  override name = 'UsageError';
}

export interface ParsedArgs {
  positional: string[];
  flags: Map<string, string | true>;
  /** Every value of a repeatable flag, in order (`--platform a --platform b`). */
  lists: Map<string, string[]>;
}

/**
 * `--name value`, `--name=value` and bare `--switch`; everything else is positional. A flag
 * named in `repeatable` may be given many times; its values are collected in `lists`.
 */
export function parseArgs(
  argv: string[],
  switches: readonly string[] = [],
  repeatable: readonly string[] = [],
): ParsedArgs {
  const positional: string[] = [];
  const flags = new Map<string, string | true>();
  const lists = new Map<string, string[]>();
  const set = (name: string, value: string) => {
    flags.set(name, value);
    if (repeatable.includes(name)) lists.set(name, [...(lists.get(name) ?? []), value]);
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith('--')) {
      positional.push(a);
      continue;
    }
    const eq = a.indexOf('=');
    if (eq > 0) set(a.slice(2, eq), a.slice(eq + 1));
    else if (switches.includes(a.slice(2))) flags.set(a.slice(2), true);
    else {
      const v = argv[i + 1];
      if (v === undefined || v.startsWith('--')) throw new UsageError(`${a} needs a value`);
      set(a.slice(2), v);
      i++;
    }
  }
  return { positional, flags, lists };
}

export function stringFlag(args: ParsedArgs, name: string, def?: string): string | undefined {
  const v = args.flags.get(name);
  if (v === true) throw new UsageError(`--${name} needs a value`);
  return v ?? def;
}

export function intFlag(args: ParsedArgs, name: string, def: number, min = 0): number {
  const raw = stringFlag(args, name);
  if (raw === undefined) return def;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min)
    throw new UsageError(`--${name} must be a whole number ≥ ${min}, got ${JSON.stringify(raw)}`);
  return n;
}

export function rejectUnknownFlags(args: ParsedArgs, known: readonly string[]): void {
  for (const k of args.flags.keys()) {
    if (!known.includes(k))
      throw new UsageError(`unknown option --${k} (known: ${known.map((x) => `--${x}`).join(', ') || 'none'})`);
  }
}

const BROKER = /^[^\s:,]+:(\d{1,5})$/;

/**
 * --brokers (else KAFKA_BROKERS, else the local stack) as host:port entries, checked at once:
 * a malformed list is a usage error now, not kafkajs's message after its retries.
 */
export function brokersFlag(args: ParsedArgs): string[] {
  const fromFlag = stringFlag(args, 'brokers');
  const raw = fromFlag ?? process.env.KAFKA_BROKERS ?? '127.0.0.1:9092';
  const brokers = raw.split(',').map((b) => b.trim());
  for (const b of brokers) {
    const port = Number(BROKER.exec(b)?.[1] ?? Number.NaN);
    if (!(port >= 1 && port <= 65535))
      throw new UsageError(
        `${fromFlag !== undefined ? '--brokers' : 'KAFKA_BROKERS'} must be host:port[,host:port...], got ${JSON.stringify(raw)}`,
      );
  }
  return brokers;
}
