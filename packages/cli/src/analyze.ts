/**
 * Offline detection: streams an events file (plus optional evaluation and reported-metric
 * files) through every detector of the DetectionEngine, with no server. Time is an input:
 * `asOf` is the latest recordedAt seen unless the caller gives one. In the built CLI the events
 * are read and decoded in a worker thread while this thread runs the detectors
 * (event-batches.ts); the records, bad lines and findings are the same either way.
 */
import {
  DEFAULT_UTC_OFFSET_MINUTES,
  DetectionEngine,
  type DetectorName,
  type Finding,
  type PendingSummary,
  type TraceRecord,
} from '@tracewatch/detectors';
import {
  type Decoded,
  decodeEvaluation,
  decodeReportedMetric,
  type Evaluation,
  type ReportedMetric,
} from '@tracewatch/schema';
import { type DecodeThread, decodedBatches } from './event-batches.js';
import { readLineBatches } from './line-batches.js';
import type { EventInputMode, LineResult } from './trace-input.js';

/** A line of an input file that could not be used. */
export interface LineProblem {
  file: string;
  lineNo: number;
  reason: string;
}

export interface AnalyzeOptions {
  events: string;
  evaluations?: string;
  metrics?: string;
  /** 'validated' (schema, default) or 'trusted' (JSON.parse + structural checks). */
  mode?: EventInputMode;
  /** Count and skip invalid lines instead of failing the run. */
  skipInvalid?: boolean;
  /** End of the data (epoch ms); default: the latest recordedAt among the events. */
  asOf?: number;
  /** Detectors to run (default: all). */
  detectors?: readonly DetectorName[];
  /** Local days: minutes east of UTC (default 480, Asia/Shanghai). */
  utcOffsetMinutes?: number;
  /** Platforms the deployment declares staff-facing (idle-platform does not judge their public use). */
  staffFacingPlatforms?: readonly string[];
  /** Called for every invalid line (whether skipped or not). */
  onProblem?: (problem: LineProblem) => void;
  /** Called about once a second while events are read. */
  onProgress?: (events: number, elapsedMs: number) => void;
  /** Sees every valid record after the engine did (e.g. to collect coverage in the same pass). */
  onRecord?: (record: TraceRecord) => void;
  /** Where the events are read and decoded (default: a worker thread in the built CLI). */
  decodeThread?: DecodeThread;
}

export interface AnalyzeStats {
  /** Valid events fed to the detectors (replays included: they are dropped by the engine). */
  events: number;
  /** Events the engine dropped as replays of events fed before (same id). */
  replays: number;
  /** Invalid lines, over all files. */
  invalidLines: number;
  evaluations: number;
  metrics: number;
  /** Epoch ms the findings are computed as of (null when there were no events). */
  asOf: number | null;
  /** The local days' offset used, minutes east of UTC. */
  utcOffsetMinutes: number;
  /** Windows with data left unjudged because they had not ended by asOf (null: nothing judged). */
  pending: PendingSummary | null;
  /** Seconds spent reading, decoding and observing the events. */
  observeSeconds: number;
  /** Seconds spent computing the findings. */
  findingsSeconds: number;
  /** events / observeSeconds: the streaming throughput. */
  eventsPerSecond: number;
}

export interface AnalyzeResult {
  /** Null when there were invalid lines and skipInvalid was not set (nothing was judged). */
  findings: Finding[] | null;
  stats: AnalyzeStats;
}

const PROGRESS_EVERY_MS = 1_000;

/** Reads a small JSONL file (evaluations, metrics) into memory, reporting bad lines. */
async function readSmallFile<T>(
  path: string,
  decode: (line: string) => LineResult<T>,
  onProblem: (p: LineProblem) => void,
): Promise<T[]> {
  const values: T[] = [];
  for await (const { firstLineNo, lines } of readLineBatches(path)) {
    lines.forEach((line, i) => {
      if (line.trim() === '') return;
      const r = decode(line);
      if (r.ok) values.push(r.value);
      else onProblem({ file: path, lineNo: firstLineNo + i, reason: r.reason });
    });
  }
  return values;
}

const fromDecoded =
  <T>(decode: (line: string, o: { now: number }) => Decoded<T>) =>
  (line: string): LineResult<T> => {
    const d = decode(line, { now: Number.MAX_SAFE_INTEGER });
    return d.ok ? d : { ok: false, reason: d.reason };
  };

/**
 * Runs the detectors over the files.
 *
 * Invalid lines are reported through onProblem. Without skipInvalid the first invalid line
 * stops feeding the detectors (the rest of the files is still checked so every bad line is
 * reported) and the result has `findings: null`. A missing file is a UsageError.
 */
export async function analyzeFiles(options: AnalyzeOptions): Promise<AnalyzeResult> {
  let invalidLines = 0;
  const problem = (p: LineProblem) => {
    invalidLines++;
    options.onProblem?.(p);
  };
  const evaluations: Evaluation[] = options.evaluations
    ? await readSmallFile(options.evaluations, fromDecoded(decodeEvaluation), problem)
    : [];
  const metrics: ReportedMetric[] = options.metrics
    ? await readSmallFile(options.metrics, fromDecoded(decodeReportedMetric), problem)
    : [];

  const utcOffsetMinutes = options.utcOffsetMinutes ?? DEFAULT_UTC_OFFSET_MINUTES;
  const engine = new DetectionEngine({
    utcOffsetMinutes,
    ...(options.detectors ? { enabled: options.detectors } : {}),
    ...(options.staffFacingPlatforms
      ? { detectors: { 'idle-platform': { staffFacingPlatforms: options.staffFacingPlatforms } } }
      : {}),
  });
  const onRecord = options.onRecord;
  let events = 0;
  let replays = 0;
  let latestRecordedAt = Number.NEGATIVE_INFINITY;
  const started = performance.now();
  let lastProgress = started;
  const observe = (record: TraceRecord) => {
    if (!engine.observe(record)) replays++;
    onRecord?.(record);
    if (record.recordedAt > latestRecordedAt) latestRecordedAt = record.recordedAt;
    events++;
  };
  for await (const { records, problems } of decodedBatches(
    options.events,
    options.mode ?? 'validated',
    options.decodeThread,
  )) {
    let next = 0;
    for (const p of problems) {
      // After an unskipped invalid line nothing is judged: only keep checking the lines.
      if (invalidLines === 0 || options.skipInvalid) for (; next < p.recordsBefore; next++) observe(records[next]!);
      next = p.recordsBefore;
      problem({ file: options.events, lineNo: p.lineNo, reason: p.reason });
    }
    if (invalidLines === 0 || options.skipInvalid) for (; next < records.length; next++) observe(records[next]!);
    const now = performance.now();
    if (options.onProgress && now - lastProgress >= PROGRESS_EVERY_MS) {
      lastProgress = now;
      options.onProgress(events, now - started);
    }
  }
  const observeSeconds = (performance.now() - started) / 1000;
  const asOf = options.asOf ?? (events > 0 ? latestRecordedAt : null);
  const stats: AnalyzeStats = {
    events,
    replays,
    invalidLines,
    evaluations: evaluations.length,
    metrics: metrics.length,
    asOf,
    utcOffsetMinutes,
    pending: null,
    observeSeconds,
    findingsSeconds: 0,
    eventsPerSecond: observeSeconds > 0 ? events / observeSeconds : 0,
  };
  if (invalidLines > 0 && !options.skipInvalid) return { findings: null, stats };
  if (asOf === null) return { findings: [], stats };
  const findingsStarted = performance.now();
  const { findings, pending } = engine.evaluate({ asOf, evaluations, metrics });
  stats.pending = pending;
  stats.findingsSeconds = (performance.now() - findingsStarted) / 1000;
  return { findings, stats };
}
