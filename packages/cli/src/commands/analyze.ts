import { writeFile } from 'node:fs/promises';
import {
  AVAILABLE_DETECTORS,
  type DetectorName,
  formatUtcOffset,
  type PendingSummary,
  parseUtcOffset,
} from '@tracewatch/detectors';
import { type AnalyzeResult, analyzeFiles, type LineProblem } from '../analyze.js';
import { parseArgs, rejectUnknownFlags, stringFlag, UsageError } from '../args.js';
import { type CommandIo, count, processIo } from '../command-io.js';
import { findingsTable } from '../findings-format.js';

export const ANALYZE_USAGE = `tracewatch analyze <events.jsonl> [--evaluations F] [--metrics F]
    [--format table|json] [--out F] [--skip-invalid] [--trusted] [--as-of ISO]
    [--detectors name,name,...] [--utc-offset +08:00|ZONE] [--staff-facing platform,...]
  Runs every detector on a file of trace events, with no server. Each line is validated
  with the event schema; a bad line is reported as file:line: reason and the run fails,
  unless --skip-invalid (then bad lines are counted and skipped). --trusted skips the
  schema (JSON.parse and structural checks only) for exports that already passed ingest.
  The findings are judged as of the latest recording time in the file (or --as-of); windows
  that had not ended by then (e.g. the data's last month) are not judged, and the summary
  says how many and which. Local days use --utc-offset: an offset (+08:00, -05:30) or a time
  zone with a fixed offset (Asia/Shanghai, the default); without it, the deployment's
  TRACEWATCH_UTC_OFFSET (what the services read). --staff-facing names internal
  platforms, which are not judged on their public use.
  --format json writes { asOf, utcOffset, findings, notJudged } (what "tracewatch score" reads).`;

/** Bad lines printed one by one; the rest are only counted. */
const MAX_PRINTED_PROBLEMS = 20;

function parseDetectors(raw: string | undefined): DetectorName[] | undefined {
  if (raw === undefined) return undefined;
  const names = raw
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  for (const name of names) {
    if (!(AVAILABLE_DETECTORS as readonly string[]).includes(name))
      throw new UsageError(`unknown detector ${JSON.stringify(name)} (known: ${AVAILABLE_DETECTORS.join(', ')})`);
  }
  return names as DetectorName[];
}

function parseAsOf(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const ms = Date.parse(raw);
  if (!Number.isFinite(ms))
    throw new UsageError(`--as-of must be an ISO date or timestamp, got ${JSON.stringify(raw)}`);
  return ms;
}

/** --utc-offset, else the deployment's TRACEWATCH_UTC_OFFSET (the setting the services read), else the default. */
function parseOffset(flag: string | undefined, env: NodeJS.ProcessEnv): number | undefined {
  const [source, raw] =
    flag !== undefined ? ['--utc-offset', flag] : ['TRACEWATCH_UTC_OFFSET', env.TRACEWATCH_UTC_OFFSET];
  if (raw === undefined || raw.trim() === '') return undefined;
  try {
    return parseUtcOffset(raw);
  } catch (err) {
    throw new UsageError(`${source}: ${(err as Error).message}`);
  }
}

/** One line on what was left unjudged: the count, why, and per detector (empty when nothing). */
export function pendingLine(pending: PendingSummary | null): string {
  if (pending === null || pending.windows === 0) return '';
  const per = pending.byDetector
    .map((d) => {
      const last = d.periods[d.periods.length - 1]!;
      return `${d.detector} ${count(d.windows)} (latest ${last.start}..${last.end})`;
    })
    .join(', ');
  return `not judged: ${count(pending.windows)} window(s) with data had not ended by asOf — ${per}\n`;
}

function summary(result: AnalyzeResult, trusted: boolean): string {
  const s = result.stats;
  const invalid = s.invalidLines > 0 ? `, ${count(s.invalidLines)} invalid line(s) skipped` : '';
  return (
    `analyzed ${count(s.events)} events (${trusted ? 'trusted' : 'validated'}${invalid}), ` +
    `${count(s.evaluations)} evaluations, ${count(s.metrics)} reported metrics: ` +
    `${count(s.eventsPerSecond)} events/s read+decode+observe in ${s.observeSeconds.toFixed(1)} s, ` +
    `findings in ${s.findingsSeconds.toFixed(1)} s` +
    (s.asOf !== null ? `, as of ${new Date(s.asOf).toISOString()}` : '') +
    ` (local days UTC${formatUtcOffset(s.utcOffsetMinutes)})` +
    `; ${result.findings?.length ?? 0} finding(s)\n` +
    pendingLine(s.pending)
  );
}

/** Writes a result file; a path that cannot be written is the user's mistake, not a crash. */
export async function writeOutput(path: string, text: string): Promise<void> {
  try {
    await writeFile(path, text);
  } catch (err) {
    throw new UsageError(`cannot write ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}

export async function analyzeCommand(
  argv: string[],
  io: CommandIo = processIo,
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  const args = parseArgs(argv, ['skip-invalid', 'trusted']);
  rejectUnknownFlags(args, [
    'evaluations',
    'metrics',
    'format',
    'out',
    'skip-invalid',
    'trusted',
    'as-of',
    'detectors',
    'utc-offset',
    'staff-facing',
  ]);
  const events = args.positional[0];
  if (!events) throw new UsageError(`missing <events.jsonl>\n${ANALYZE_USAGE}`);
  if (args.positional.length > 1) throw new UsageError(`one events file only, got ${args.positional.length}`);
  const format = stringFlag(args, 'format', 'table')!;
  if (format !== 'table' && format !== 'json') throw new UsageError(`--format must be table or json`);
  const trusted = args.flags.get('trusted') === true;
  const skipInvalid = args.flags.get('skip-invalid') === true;
  const out = stringFlag(args, 'out');

  let printed = 0;
  const result = await analyzeFiles({
    events,
    evaluations: stringFlag(args, 'evaluations'),
    metrics: stringFlag(args, 'metrics'),
    mode: trusted ? 'trusted' : 'validated',
    skipInvalid,
    asOf: parseAsOf(stringFlag(args, 'as-of')),
    detectors: parseDetectors(stringFlag(args, 'detectors')),
    utcOffsetMinutes: parseOffset(stringFlag(args, 'utc-offset'), env),
    staffFacingPlatforms: stringFlag(args, 'staff-facing')
      ?.split(',')
      .map((s) => s.trim())
      .filter((s) => s !== ''),
    onProblem: (p: LineProblem) => {
      if (printed++ < MAX_PRINTED_PROBLEMS) io.err(`${p.file}:${p.lineNo}: ${p.reason}\n`);
    },
    onProgress: (n, ms) => io.err(`analyze: ${count(n)} events (${count(n / (ms / 1000))} events/s)\n`),
  });
  if (printed > MAX_PRINTED_PROBLEMS) io.err(`… ${count(printed - MAX_PRINTED_PROBLEMS)} more invalid line(s)\n`);
  if (result.findings === null) {
    io.err(
      `tracewatch analyze: ${count(result.stats.invalidLines)} invalid line(s); nothing was judged. ` +
        `Fix the input or pass --skip-invalid to leave them out.\n`,
    );
    return 2;
  }
  if (result.stats.events === 0) io.err('tracewatch analyze: no events in the file; no findings\n');

  const s = result.stats;
  const json = {
    asOf: s.asOf === null ? null : new Date(s.asOf).toISOString(),
    utcOffset: formatUtcOffset(s.utcOffsetMinutes),
    findings: result.findings,
    notJudged: s.pending,
  };
  const text = format === 'json' ? `${JSON.stringify(json, null, 2)}\n` : `${findingsTable(result.findings)}\n`;
  if (out) await writeOutput(out, text);
  else io.out(text);
  io.err(summary(result, trusted));
  return 0;
}
