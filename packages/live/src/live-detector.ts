/**
 * The detection engine on a stream: fed stored events (the rebuild) and consumed messages in
 * any order and any number of times, it judges as of the stream's watermark and says which
 * alert commands follow. No I/O: the detector service reads Kafka and ClickHouse and sends the
 * commands; `tracewatch analyze` runs the same DetectionEngine over a file, so both decide alike.
 */

import type { TraceRecord } from '@tracewatch/detectors';
import { DetectionEngine, type DetectionEngineOptions, type Finding, toTraceRecord } from '@tracewatch/detectors';
import {
  type AlertCommand,
  decodeTraceEvent,
  type Evaluation,
  MAX_MESSAGE_BYTES,
  type ReportedMetric,
} from '@tracewatch/schema';
import { FindingTracker } from './alert-commands.js';
import { evaluationDue, type LastEvaluation } from './schedule.js';
import { Watermark } from './watermark.js';

/** Stored events count as this partition: read to its end by definition, never behind. */
const STORED = -1;

export interface LiveDetectorOptions {
  engine?: DetectionEngineOptions;
  allowedLatenessMs: number;
  evaluateEveryMs: number;
  utcOffsetMinutes: number;
  /** Who sends the commands (`system:detector@<instance>`). */
  by: string;
  /** Windows ending within this many days are withdrawn when they stop holding (detectors' retention). */
  retentionDays?: number;
}

export interface Evaluated {
  asOf: number;
  trigger: 'day-closed' | 'interval' | 'forced';
  findings: Finding[];
  commands: AlertCommand[];
  seconds: number;
}

export class LiveDetector {
  readonly engine: DetectionEngine;
  readonly watermark: Watermark;
  private tracker: FindingTracker;
  private last: LastEvaluation | null = null;
  /** Counts since start: events fed (replays included), replays dropped, invalid messages skipped. */
  readonly counts = { events: 0, replays: 0, invalid: 0 };

  constructor(private readonly options: LiveDetectorOptions) {
    this.engine = new DetectionEngine({ utcOffsetMinutes: options.utcOffsetMinutes, ...options.engine });
    this.watermark = new Watermark(options.allowedLatenessMs);
    this.tracker = this.newTracker();
  }

  private newTracker(): FindingTracker {
    return new FindingTracker({
      by: this.options.by,
      retentionDays: this.options.retentionDays ?? 400,
      utcOffsetMinutes: this.options.utcOffsetMinutes,
    });
  }

  /** Stored events (from ClickHouse): already valid. */
  observeStored(records: readonly TraceRecord[]): void {
    for (const r of records) this.feed(STORED, r);
  }

  /**
   * Messages consumed from a trace-events partition, decoded and checked as ingest does: what
   * ingest dead-letters (invalid, too large) the detectors never see either.
   *
   * @param lag messages left in the partition after this batch.
   * @param receivedAt the receive time for the schema's future-clock check (ingest's rule).
   */
  observeMessages(partition: number, values: readonly (Buffer | null)[], lag: number, receivedAt: number): void {
    for (const value of values) {
      if (value === null || value.length > MAX_MESSAGE_BYTES) {
        this.counts.invalid++;
        continue;
      }
      const decoded = decodeTraceEvent(value, { now: receivedAt });
      if (!decoded.ok) {
        this.counts.invalid++;
        continue;
      }
      this.feed(partition, toTraceRecord(decoded.value));
    }
    this.watermark.setBehind(partition, lag > 0);
  }

  private feed(partition: number, record: TraceRecord): void {
    this.counts.events++;
    if (!this.engine.observe(record)) this.counts.replays++;
    this.watermark.observe(partition, record.recordedAt);
  }

  /** A partition was (re)assigned with this many messages still to read. */
  setBehind(partition: number, behind: boolean): void {
    this.watermark.setBehind(partition, behind);
  }

  /**
   * Restarts what was sent: the next evaluation sends every finding again (the keeper ignores
   * what changes nothing) and withdraws `active` alerts it no longer finds. For a new leader.
   */
  resetSent(active: Iterable<{ fingerprint: string; periodEnd: string }>): void {
    this.tracker = this.newTracker();
    this.tracker.adopt(active);
  }

  /** Active alerts from the store that this detector did not send (see FindingTracker.adopt). */
  adopt(active: Iterable<{ fingerprint: string; periodEnd: string }>): number {
    return this.tracker.adopt(active);
  }

  /** Whether an evaluation is due now (see evaluationDue). */
  isDue(now: number): boolean {
    const asOf = this.watermark.value;
    return asOf !== null && evaluationDue(asOf, this.last, now, this.options, this.watermark.caughtUp) !== null;
  }

  /** Fingerprints sent and still holding. */
  get trackedFindings(): number {
    return this.tracker.size;
  }

  /** Evaluates when due (see evaluationDue), or now when `force`; null when nothing is due. */
  evaluate(
    now: number,
    inputs: () => { evaluations: readonly Evaluation[]; metrics: readonly ReportedMetric[] },
    force = false,
  ): Evaluated | null {
    const asOf = this.watermark.value;
    if (asOf === null) return null;
    const due = force ? 'forced' : evaluationDue(asOf, this.last, now, this.options, this.watermark.caughtUp);
    if (due === null) return null;
    const started = performance.now();
    const findings = this.engine.findings({ asOf, ...inputs() });
    const commands = this.tracker.commands(findings, asOf);
    this.last = { at: now, watermark: asOf };
    return { asOf, trigger: due, findings, commands, seconds: (performance.now() - started) / 1000 };
  }
}
