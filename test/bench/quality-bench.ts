/**
 * bench:quality — detection quality and offline throughput on a fixed simulated dataset.
 *
 *   npm run bench:quality [-- --units 240 --months 12 --seed 20260 --scenario-rate 0.3 --validated --keep-old]
 *
 * 1. Simulates the dataset into .bench/quality/<key>/ (every fabrication scenario and every
 *    hard negative), or reuses it when the same parameters and the same simulator build made
 *    it before (the key holds a hash of the simulator's built code). Datasets of other seeds
 *    are kept, so several seeds can be run side by side.
 * 2. Runs `analyze` in this process over it (trusted decoding by default, --validated for the
 *    schema path) and measures its throughput; also the decoding rates alone on a sample.
 * 3. Scores the findings against the labels and prints the tables.
 * 4. Says which targets are met (issue 9): recall ≥ 0.95 per injected scenario, precision ≥ 0.98
 *    overall, ≤ 0.5 false findings per 1,000 clean unit-months, no hard negative hit; prints the
 *    analyze throughput next to the decoding floor measured in the same run (JSON.parse of the same
 *    lines), with the ratio.
 * It is a report: it exits 0 whether or not the targets are met (non-zero only on errors).
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  analyzeFiles,
  count,
  type EventInputMode,
  qualityReportText,
  readLabels,
  readLineBatches,
  scoreFindings,
  trustedRecord,
  UnitMonths,
  validatedRecord,
} from '@tracewatch/cli';
import { AVAILABLE_DETECTORS } from '@tracewatch/detectors';
import {
  FABRICATION_SCENARIOS,
  HARD_NEGATIVE_SCENARIOS,
  type SimulationCounts,
  type SimulationOptions,
  simulateToDirectory,
} from '@tracewatch/simulator';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

const TARGETS = { recall: 0.95, precision: 0.98, falsePer1000: 0.5 };
const DECODE_SAMPLE_LINES = 300_000;
const PROGRESS_EVERY_MS = 10_000;

function argValue(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
}

const options: Required<Pick<SimulationOptions, 'seed' | 'units' | 'months' | 'start' | 'scenarioRate'>> = {
  seed: Number(argValue('seed') ?? 20260),
  units: Number(argValue('units') ?? 240),
  months: Number(argValue('months') ?? 12),
  start: argValue('start') ?? '2025-01-01',
  // Above the simulator's default 0.2 so that each scenario has several labels to recall.
  scenarioRate: Number(argValue('scenario-rate') ?? 0.3),
};
const mode: EventInputMode = process.argv.includes('--validated') ? 'validated' : 'trusted';
const benchRoot = join(REPO_ROOT, '.bench', 'quality');

/** Hash of the simulator's built code: a changed simulator makes a new dataset. */
async function simulatorBuildHash(): Promise<string> {
  const dist = join(REPO_ROOT, 'packages', 'simulator', 'dist');
  const files = (await readdir(dist, { recursive: true })).filter((f) => f.endsWith('.js')).sort();
  const hash = createHash('sha256');
  for (const f of files)
    hash
      .update(f)
      .update('\0')
      .update(await readFile(join(dist, f)));
  return hash.digest('hex').slice(0, 12);
}

/** The dataset directory, simulated now or reused; older datasets of this bench are removed. */
async function dataset(): Promise<{ dir: string; counts: SimulationCounts; reused: boolean }> {
  const key = `s${options.seed}-u${options.units}-m${options.months}-r${options.scenarioRate}-${options.start}-${await simulatorBuildHash()}`;
  const dir = join(benchRoot, key);
  const marker = join(dir, 'complete.json');
  if (existsSync(marker)) {
    return { dir, counts: JSON.parse(await readFile(marker, 'utf8')) as SimulationCounts, reused: true };
  }
  await mkdir(benchRoot, { recursive: true });
  // Only datasets of the same parameters made by an older simulator build: other seeds stay for runs
  // side by side; --keep-old keeps those too (a before/after comparison while the old run still reads).
  const sameParameters = key.slice(0, key.lastIndexOf('-') + 1);
  for (const old of process.argv.includes('--keep-old') ? [] : await readdir(benchRoot)) {
    if (old.startsWith(sameParameters) && old !== key) await rm(join(benchRoot, old), { recursive: true, force: true });
  }
  await rm(dir, { recursive: true, force: true });
  const started = performance.now();
  let last = started;
  const counts = await simulateToDirectory(options, dir, (c) => {
    const now = performance.now();
    if (now - last < 5_000) return;
    last = now;
    process.stderr.write(`simulate: ${count(c.events)} events\n`);
  });
  await writeFile(marker, JSON.stringify(counts));
  process.stdout.write(`simulated in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
  return { dir, counts, reused: false };
}

/** Lines per second of reading alone and of each decoding mode, on the first lines of the file. */
async function decodeRates(
  events: string,
): Promise<{ read: number; jsonParse: number; trusted: number; validated: number }> {
  const lines: string[] = [];
  let started = performance.now();
  for await (const batch of readLineBatches(events)) {
    for (const line of batch.lines) if (line !== '') lines.push(line);
    if (lines.length >= DECODE_SAMPLE_LINES) break;
  }
  const read = lines.length / ((performance.now() - started) / 1000);
  const rate = (decode: (line: string) => { ok: boolean }) => {
    started = performance.now();
    let ok = 0;
    for (const line of lines) if (decode(line).ok) ok++;
    if (ok !== lines.length) throw new Error(`${lines.length - ok} sample lines did not decode`);
    return lines.length / ((performance.now() - started) / 1000);
  };
  const jsonParse = rate((line) => ({ ok: JSON.parse(line) !== undefined }));
  return { read, jsonParse, trusted: rate(trustedRecord), validated: rate(validatedRecord) };
}

const verdict = (met: boolean) => (met ? 'MET   ' : 'MISSED');

async function main(): Promise<void> {
  const { dir, counts, reused } = await dataset();
  process.stdout.write(
    `dataset ${dir} (${reused ? 'reused' : 'new'}): seed ${options.seed}, ${options.units} units, ` +
      `${options.months} months from ${options.start}, scenario rate ${options.scenarioRate}; ` +
      `${count(counts.events)} events, ${count(counts.evaluations)} evaluations, ` +
      `${count(counts.metrics)} reported metrics, ${count(counts.labels)} labels\n`,
  );

  const events = join(dir, 'events.jsonl');
  const coverage = new UnitMonths('events');
  const labels = await readLabels(join(dir, 'labels.jsonl'));
  // The deployment setting a real operator would give: which platforms are internal.
  const staffFacingPlatforms = labels
    .filter((l) => l.scenario === 'staff-facing-platform')
    .map((l) => l.scope.platformId);
  let lastProgressMs = 0;
  const analysis = await analyzeFiles({
    events,
    evaluations: join(dir, 'evaluations.jsonl'),
    metrics: join(dir, 'metrics.jsonl'),
    mode,
    staffFacingPlatforms,
    onProblem: (p) => process.stderr.write(`${p.file}:${p.lineNo}: ${p.reason}\n`),
    onProgress: (n, ms) => {
      if (ms - lastProgressMs < PROGRESS_EVERY_MS) return;
      lastProgressMs = ms;
      process.stderr.write(`analyze: ${count(n)} events (${count(n / (ms / 1000))} events/s)\n`);
    },
    onRecord: (r) => coverage.addTrace(r.platformId, r.orgId, r.occurredAt),
  });
  const heapMb = process.memoryUsage().heapUsed / 1e6;
  const rssMb = process.memoryUsage().rss / 1e6;
  if (analysis.findings === null) throw new Error('the simulated dataset has invalid lines (see above)');
  const findings = analysis.findings;
  await writeFile(join(dir, 'findings.json'), JSON.stringify(findings));

  const report = scoreFindings(findings, labels, coverage, AVAILABLE_DETECTORS);
  await writeFile(join(dir, 'report.json'), JSON.stringify(report, null, 2));
  const rates = await decodeRates(events);

  const s = analysis.stats;
  const total = s.observeSeconds + s.findingsSeconds;
  process.stdout.write(
    [
      '',
      `analyze (${mode} decoding, in process): ${count(s.events)} events read, decoded and observed in ` +
        `${s.observeSeconds.toFixed(1)} s = ${count(s.eventsPerSecond)} events/s; findings in ` +
        `${s.findingsSeconds.toFixed(1)} s; end to end ${count(s.events / total)} events/s; ` +
        `heap ${count(heapMb)} MB, rss ${count(rssMb)} MB after the run`,
      `decoding alone on the first ${count(DECODE_SAMPLE_LINES)} lines: read ${count(rates.read)} lines/s, ` +
        `JSON.parse ${count(rates.jsonParse)}/s, trusted ${count(rates.trusted)}/s, validated (zod) ${count(rates.validated)}/s`,
      `files: ${join(dir, 'findings.json')}, ${join(dir, 'report.json')}`,
      '',
      qualityReportText(report),
    ].join('\n'),
  );

  const lines: string[] = [];
  for (const sc of report.scenarios) {
    if (sc.recallExpected === null) {
      lines.push(`n/a     recall ${sc.scenario}: no label of this scenario names an expected detector`);
      continue;
    }
    lines.push(
      `${verdict(sc.recallExpected >= TARGETS.recall)}  recall ${sc.scenario} = ${sc.recallExpected.toFixed(3)} ` +
        `(${sc.detectedExpected}/${sc.expectable}) ≥ ${TARGETS.recall}`,
    );
  }
  const injected = new Set(report.scenarios.map((sc) => sc.scenario));
  const absent = FABRICATION_SCENARIOS.filter((name) => !injected.has(name));
  if (absent.length > 0) lines.push(`MISSED  scenarios not injected by the simulator: ${absent.join(', ')}`);
  const hardNegatives = new Set(report.hardNegatives.map((h) => h.scenario));
  const missingHard = HARD_NEGATIVE_SCENARIOS.filter((h) => !hardNegatives.has(h));
  if (missingHard.length > 0) lines.push(`MISSED  hard negatives not in the dataset: ${missingHard.join(', ')}`);
  lines.push(
    `${verdict(report.precision !== null && report.precision >= TARGETS.precision)}  precision overall = ` +
      `${report.precision?.toFixed(3) ?? '—'} ≥ ${TARGETS.precision}`,
  );
  const fp = report.falsePer1000CleanUnitMonths;
  lines.push(
    `${verdict(fp !== null && fp <= TARGETS.falsePer1000)}  false findings per 1,000 clean unit-months = ` +
      `${fp?.toFixed(2) ?? '—'} (${report.falseFindings} / ${count(report.unitMonths.clean)}) ≤ ${TARGETS.falsePer1000}`,
  );
  const hardNegativeHits = report.hardNegatives.reduce((sum, h) => sum + h.falseFindings, 0);
  lines.push(`${verdict(hardNegativeHits === 0)}  hard negatives hit = ${hardNegativeHits} (target 0)`);
  lines.push(
    `info    analyze throughput = ${count(s.eventsPerSecond)} events/s (${mode}, read+decode+observe) against the ` +
      `JSON.parse floor of the same lines ${count(rates.jsonParse)}/s: ratio ${(s.eventsPerSecond / rates.jsonParse).toFixed(3)}`,
  );
  const missed = lines.filter((l) => l.startsWith('MISSED')).length;
  process.stdout.write(
    `\nTargets\n${lines.join('\n')}\n\n${missed === 0 ? 'all targets met' : `${missed} target(s) missed`}\n`,
  );
}

main().catch((err: unknown) => {
  process.stderr.write(`bench:quality failed: ${(err as Error)?.stack ?? String(err)}\n`);
  process.exitCode = 1;
});
