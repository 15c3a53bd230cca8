import { AVAILABLE_DETECTORS } from '@tracewatch/detectors';
import { parseArgs, rejectUnknownFlags, stringFlag, UsageError } from '../args.js';
import { type CommandIo, count, processIo } from '../command-io.js';
import { qualityReportText } from '../score-format.js';
import { coverageFromEvents, readFindings, readLabels } from '../score-inputs.js';
import { scoreFindings } from '../scoring.js';
import { UnitMonths } from '../unit-months.js';

export const SCORE_USAGE = `tracewatch score <findings.json> <labels.jsonl> [--events events.jsonl] [--format table|json]
  Precision and recall of findings (from "analyze --format json") against simulator labels,
  per detector and per scenario; false positives on hard negatives; false findings per
  1,000 clean unit-months. The unit-months come from --events when given (exact), else are
  estimated from the labels (every labelled unit over the labels' whole span).`;

export async function scoreCommand(argv: string[], io: CommandIo = processIo): Promise<number> {
  const args = parseArgs(argv);
  rejectUnknownFlags(args, ['events', 'format']);
  const [findingsPath, labelsPath, extra] = args.positional;
  if (!findingsPath || !labelsPath) throw new UsageError(`missing <findings.json> or <labels.jsonl>\n${SCORE_USAGE}`);
  if (extra !== undefined) throw new UsageError(`unexpected argument ${JSON.stringify(extra)}`);
  const format = stringFlag(args, 'format', 'table')!;
  if (format !== 'table' && format !== 'json') throw new UsageError(`--format must be table or json`);

  const findings = await readFindings(findingsPath);
  const labels = await readLabels(labelsPath);
  const eventsPath = stringFlag(args, 'events');
  let coverage: UnitMonths;
  if (eventsPath) {
    const read = await coverageFromEvents(eventsPath);
    if (read.skipped > 0) io.err(`score: ${count(read.skipped)} unreadable event line(s) left out of the coverage\n`);
    coverage = read.coverage;
  } else {
    coverage = UnitMonths.fromLabels(labels);
    io.err('score: no --events: unit-months estimated from the labels\n');
  }
  const report = scoreFindings(findings, labels, coverage, AVAILABLE_DETECTORS);
  io.out(format === 'json' ? `${JSON.stringify(report, null, 2)}\n` : qualityReportText(report));
  return 0;
}
