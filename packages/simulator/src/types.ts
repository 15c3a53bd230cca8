/**
 * The simulator's public vocabulary: options, the records it yields, and the ground-truth
 * labels. Detector names are plain strings here, so the simulator stays independent of the
 * detectors it is used to judge.
 */
import type { Evaluation, ReportedMetric, TraceEvent } from '@tracewatch/schema';

/**
 * Fabrication scenarios (and burdens), one per detector (same names as the detectors), and
 * deadline-design, the platform burden of deadline-crunch's `deadline-design` rule.
 */
export const FABRICATION_SCENARIOS = [
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
  'repeated-entry',
  'presence-only',
  'deadline-design',
] as const;
export type FabricationScenario = (typeof FABRICATION_SCENARIOS)[number];

/** Situations that look unusual but are honest; no detector should fire on them. */
export const HARD_NEGATIVE_SCENARIOS = [
  'genuine-campaign',
  'holiday',
  'new-unit-ramp',
  'platform-outage',
  'busy-staff-platform',
  'staff-facing-platform',
  'short-spike',
  'shared-circular',
  'training-month',
] as const;
export type HardNegativeScenario = (typeof HARD_NEGATIVE_SCENARIOS)[number];

export interface SimulationOptions {
  /** Every random choice follows from it: same options → identical output. */
  seed: number;
  /** Number of units (orgs), ≥ 1. */
  units: number;
  /** Simulated calendar months, ≥ 1. */
  months: number;
  /** First local day, YYYY-MM-DD (default '2025-01-01'). */
  start?: string;
  /** Number of platforms, ≥ 1 (default 6). */
  platforms?: number;
  /** Share of eligible units given one fabrication scenario, 0..1 (default 0.2). */
  scenarioRate?: number;
  /** Which fabrication scenarios may be injected (default all). */
  scenarios?: readonly FabricationScenario[];
  /**
   * Whether the last platform is an idle 摆设 platform. Default: when 'idle-platform' is
   * among the scenarios, scenarioRate > 0 and there are at least 2 platforms and 2 units.
   */
  idlePlatform?: boolean;
  /** Share of the remaining units given a genuine campaign or a ramp-up from zero (default 0.1). */
  hardNegativeRate?: number;
  /** Platform outages over the run (default one per 6 months, at least 1). */
  outages?: number;
  /** Median over units of the staff work events (besides logins) per working day (default 55). */
  unitDailyEventsMedian?: number;
}

/**
 * Ground truth for one injected scenario or hard negative. A finding matches a label when
 * the scope matches (an actor or org finding matches an org label of its org; a platform
 * label matches platform findings on that platform) and the periods overlap.
 */
export interface Label {
  id: string;
  scenario: FabricationScenario | HardNegativeScenario;
  kind: 'fabrication' | 'hard-negative';
  /** Detectors expected to fire; [] for hard negatives. */
  detectors: string[];
  scope: { kind: 'platform' | 'org' | 'actor'; platformId: string; orgId?: string; actorId?: string };
  /** Local days (YYYY-MM-DD), inclusive: the days the scenario really touches. */
  period: { start: string; end: string };
  description: string;
}

export type SimRecord =
  | { kind: 'event'; event: TraceEvent }
  | { kind: 'evaluation'; evaluation: Evaluation }
  | { kind: 'metric'; metric: ReportedMetric }
  | { kind: 'label'; label: Label };

export interface SimulationCounts {
  events: number;
  evaluations: number;
  metrics: number;
  labels: number;
}
