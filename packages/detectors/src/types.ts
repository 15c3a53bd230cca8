/**
 * The shared vocabulary of the detectors. Every detector reads TraceRecords (flat, times in
 * epoch milliseconds, parsed once) and returns TestOutcomes; the runner turns outcomes into
 * Findings (multiple-testing control, severity, fingerprints).
 */
import type { Evaluation, ReportedMetric } from '@tracewatch/schema';

export const DETECTOR_NAMES = [
  'burst-before-evaluation',
  'backfill',
  'under-dispersion',
  'machine-regular-timing',
  'digit-preference',
  'cross-unit-sameness',
  'duplicate-content',
  'implausible-durations',
  'deadline-crunch',
  'idle-platform',
  'metric-inflation',
  'burst-rising',
  'repeated-entry',
  'presence-only',
] as const;
export type DetectorName = (typeof DETECTOR_NAMES)[number];

/** A trace as the detectors see it: parsed once, times in epoch ms. */
export interface TraceRecord {
  id: string;
  platformId: string;
  orgId: string;
  actorId: string;
  actorRole: 'staff' | 'public' | 'system';
  action: string;
  occurredAt: number;
  recordedAt: number;
  taskId?: string | undefined;
  assignedAt?: number | undefined;
  deadline?: number | undefined;
  value?: number | undefined;
  valueDenominator?: number | undefined;
  durationMs?: number | undefined;
  contentHash?: string | undefined;
  simhash?: string | undefined;
}

/** What is tested: a platform, a unit (org) of a platform, or an actor of a unit. */
export interface Scope {
  kind: 'platform' | 'org' | 'actor';
  platformId: string;
  orgId?: string;
  actorId?: string;
}

/** Local calendar days (YYYY-MM-DD), both ends inclusive. */
export interface Period {
  start: string;
  end: string;
}

export interface Localized {
  'zh-CN': string;
  en: string;
}

export type Severity = 'warning' | 'critical';

/** One statistical test a detector performed (whether or not it fired). */
export interface TestOutcome {
  detector: DetectorName;
  /** The sub-test, when a detector has several (e.g. 'last-digit', 'benford', 'heaping'). */
  rule: string;
  scope: Scope;
  period: Period;
  /** One-sided p-value of the test; null for rules that are a score with a threshold. */
  pValue: number | null;
  /** q-value level at or below which this outcome is a finding (the detector's default). */
  qThreshold: number;
  /** Whether the effect-size / minimum-count conditions of the rule hold (besides q). */
  effectMet: boolean;
  /** The headline number that orders findings (e.g. the rate ratio); larger = stronger. */
  score: number;
  statistics: Record<string, number>;
  /** The numbers and series behind the test, for people to read and cite. */
  evidence: Record<string, unknown>;
  /** Explanation in both languages, given the q-value the runner computed. */
  explain: (qValue: number | null) => Localized;
}

export interface Finding {
  /** Stable: detector + rule + scope + period. Replays and restarts update, never duplicate. */
  fingerprint: string;
  detector: DetectorName;
  rule: string;
  scope: Scope;
  period: Period;
  statistics: Record<string, number>;
  pValue: number | null;
  qValue: number | null;
  score: number;
  severity: Severity;
  evidence: Record<string, unknown>;
  explanation: Localized;
  /** Other detectors that flagged the same scope and an overlapping period. */
  corroboratedBy: DetectorName[];
}

/** What a detector may consult when asked for outcomes; time is an input, never read. */
export interface EvaluateContext {
  /** End of the data the caller has fed (epoch ms); windows ending after it are not judged. */
  asOf: number;
  evaluations: readonly Evaluation[];
  metrics: readonly ReportedMetric[];
  /**
   * Told of every window with data that is not judged because it has not ended by asOf, so a
   * caller can say what it could not judge yet (analyze's summary). Optional; no effect on outcomes.
   */
  onPending?: (window: PendingWindow) => void;
}

/** A window with data that a detector left unjudged because it had not ended by asOf. */
export interface PendingWindow {
  detector: DetectorName;
  scope: Scope;
  period: Period;
}

/**
 * A detector holds bounded state per scope, fed one record at a time (streaming) or a whole
 * history (batch) with the same calls; `observe` order must not change the outcome.
 *
 * Contract: every record given to `observe` has an id not given before. The DetectionEngine
 * sees every record first and drops replays (same id, same times) once for all detectors
 * (ReplayFilter, which remembers ids for `replayWindowDays`, 430 by default — longer than any
 * detector's retention), so detectors keep no per-event id maps and count every record they
 * get. A caller that feeds a detector directly must drop replays itself (e.g. with a
 * ReplayFilter). Uniqueness of other keys (one completion per task, one value per actor-day)
 * remains the detector's business.
 */
export interface Detector {
  readonly name: DetectorName;
  observe(record: TraceRecord): void;
  evaluate(ctx: EvaluateContext): TestOutcome[];
}
