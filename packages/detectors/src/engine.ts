/**
 * DetectionEngine: one object that feeds every enabled detector and runs them. The streaming
 * detector service and the offline CLI both use it, so the same code decides in both.
 *
 * Replayed events (same id) are dropped here, once, before any detector sees them
 * (ReplayFilter): detectors rely on every record they get having an id not seen before.
 */
import type { TraceEvent } from '@tracewatch/schema';
import type { Calendar } from './calendar/calendar.js';
import { type BackfillOptions, createBackfillDetector } from './detectors/backfill.js';
import {
  type BurstBeforeEvaluationOptions,
  createBurstBeforeEvaluationDetector,
} from './detectors/burst-before-evaluation.js';
import { type BurstRisingOptions, createBurstRisingDetector } from './detectors/burst-rising.js';
import { type CrossUnitSamenessOptions, createCrossUnitSamenessDetector } from './detectors/cross-unit-sameness.js';
import { createDeadlineCrunchDetector, type DeadlineCrunchOptions } from './detectors/deadline-crunch.js';
import { createDigitPreferenceDetector, type DigitPreferenceOptions } from './detectors/digit-preference.js';
import { createDuplicateContentDetector, type DuplicateContentOptions } from './detectors/duplicate-content.js';
import { createIdlePlatformDetector, type IdlePlatformOptions } from './detectors/idle-platform.js';
import {
  createImplausibleDurationsDetector,
  type ImplausibleDurationsOptions,
} from './detectors/implausible-durations.js';
import {
  createMachineRegularTimingDetector,
  type MachineRegularTimingOptions,
} from './detectors/machine-regular-timing.js';
import { createMetricInflationDetector, type MetricInflationOptions } from './detectors/metric-inflation.js';
import { createPresenceOnlyDetector, type PresenceOnlyOptions } from './detectors/presence-only.js';
import { createRepeatedEntryDetector, type RepeatedEntryOptions } from './detectors/repeated-entry.js';
import { createUnderDispersionDetector, type UnderDispersionOptions } from './detectors/under-dispersion.js';
import { type PendingSummary, PendingWindows } from './pending.js';
import { toTraceRecord } from './record.js';
import { DEFAULT_REPLAY_WINDOW_DAYS, ReplayFilter } from './replay-filter.js';
import { type RunOptions, runDetectors } from './runner.js';
import { DEFAULT_UTC_OFFSET_MINUTES } from './time.js';
import {
  DETECTOR_NAMES,
  type Detector,
  type DetectorName,
  type EvaluateContext,
  type Finding,
  type TraceRecord,
} from './types.js';

/** Settings every detector shares; given once to the engine. */
interface SharedOptions {
  utcOffsetMinutes?: number;
  calendar?: Calendar;
}

/** Only the shared settings that were given (an undefined key would override a default). */
function given(shared: SharedOptions, keys: readonly (keyof SharedOptions)[]): SharedOptions {
  const out: SharedOptions = {};
  for (const key of keys) if (shared[key] !== undefined) Object.assign(out, { [key]: shared[key] });
  return out;
}

const WITH_CALENDAR = ['utcOffsetMinutes', 'calendar'] as const;
const WITHOUT_CALENDAR = ['utcOffsetMinutes'] as const;

/** The detectors of this build, by name: each factory gets the shared settings it accepts. */
const FACTORIES = {
  'burst-before-evaluation': (s: SharedOptions, own?: Partial<BurstBeforeEvaluationOptions>) =>
    createBurstBeforeEvaluationDetector({ ...given(s, WITH_CALENDAR), ...own }),
  backfill: (s: SharedOptions, own?: Partial<BackfillOptions>) =>
    createBackfillDetector({ ...given(s, WITHOUT_CALENDAR), ...own }),
  'under-dispersion': (s: SharedOptions, own?: Partial<UnderDispersionOptions>) =>
    createUnderDispersionDetector({ ...given(s, WITH_CALENDAR), ...own }),
  'machine-regular-timing': (s: SharedOptions, own?: Partial<MachineRegularTimingOptions>) =>
    createMachineRegularTimingDetector({ ...given(s, WITHOUT_CALENDAR), ...own }),
  'digit-preference': (s: SharedOptions, own?: Partial<DigitPreferenceOptions>) =>
    createDigitPreferenceDetector({ ...given(s, WITHOUT_CALENDAR), ...own }),
  'cross-unit-sameness': (s: SharedOptions, own?: Partial<CrossUnitSamenessOptions>) =>
    createCrossUnitSamenessDetector({ ...given(s, WITHOUT_CALENDAR), ...own }),
  'duplicate-content': (s: SharedOptions, own?: Partial<DuplicateContentOptions>) =>
    createDuplicateContentDetector({ ...given(s, WITHOUT_CALENDAR), ...own }),
  'implausible-durations': (s: SharedOptions, own?: Partial<ImplausibleDurationsOptions>) =>
    createImplausibleDurationsDetector({ ...given(s, WITHOUT_CALENDAR), ...own }),
  'deadline-crunch': (s: SharedOptions, own?: Partial<DeadlineCrunchOptions>) =>
    createDeadlineCrunchDetector({ ...given(s, WITHOUT_CALENDAR), ...own }),
  'idle-platform': (s: SharedOptions, own?: Partial<IdlePlatformOptions>) =>
    createIdlePlatformDetector({ ...given(s, WITHOUT_CALENDAR), ...own }),
  'metric-inflation': (s: SharedOptions, own?: Partial<MetricInflationOptions>) =>
    createMetricInflationDetector({ ...given(s, WITHOUT_CALENDAR), ...own }),
  'burst-rising': (s: SharedOptions, own?: Partial<BurstRisingOptions>) =>
    createBurstRisingDetector({ ...given(s, WITH_CALENDAR), ...own }),
  'repeated-entry': (s: SharedOptions, own?: Partial<RepeatedEntryOptions>) =>
    createRepeatedEntryDetector({ ...given(s, WITHOUT_CALENDAR), ...own }),
  'presence-only': (s: SharedOptions, own?: Partial<PresenceOnlyOptions>) =>
    createPresenceOnlyDetector({ ...given(s, WITHOUT_CALENDAR), ...own }),
} satisfies Record<DetectorName, (shared: SharedOptions, own?: never) => Detector>;

type AvailableName = keyof typeof FACTORIES;

/** Per-detector options, by detector name. */
export type DetectorOptionsByName = { [K in AvailableName]?: Parameters<(typeof FACTORIES)[K]>[1] };

/** Detector names this build can run, in DETECTOR_NAMES order. */
export const AVAILABLE_DETECTORS: readonly DetectorName[] = DETECTOR_NAMES.filter((name) => name in FACTORIES);

export interface DetectionEngineOptions extends SharedOptions {
  /** Detectors to run (default: every available one). Unknown or unavailable names throw. */
  enabled?: readonly DetectorName[];
  /** Options per detector; anything left out takes the detector's documented default. */
  detectors?: DetectorOptionsByName;
  /** Multiple-testing method and error handling of the run. */
  run?: Partial<RunOptions>;
  /**
   * Days of event ids remembered to drop replays (see ReplayFilter). Default: the longest
   * `retentionDays` given to a detector (400 when none is given) plus 30.
   */
  replayWindowDays?: number;
}

/** Slack of the default replay window beyond the detectors' longest retention (ReplayFilter). */
const REPLAY_SLACK_DAYS = DEFAULT_REPLAY_WINDOW_DAYS - 400;

/** The replay window: given, or the longest retention a detector was given plus the slack. */
function replayWindowDays(options: DetectionEngineOptions): number {
  if (options.replayWindowDays !== undefined) return options.replayWindowDays;
  let longest = 400;
  for (const own of Object.values(options.detectors ?? {})) {
    const days = (own as { retentionDays?: unknown } | undefined)?.retentionDays;
    if (typeof days === 'number' && Number.isFinite(days) && days > longest) longest = days;
  }
  return Math.ceil(longest) + REPLAY_SLACK_DAYS;
}

export class DetectionEngine {
  readonly detectors: readonly Detector[];
  /** Days of event ids remembered to drop replays. */
  readonly replayWindowDays: number;
  private readonly runOptions: Partial<RunOptions>;
  private readonly replays: ReplayFilter;

  /**
   * @throws Error when `enabled` names a detector this build does not have.
   * @throws RangeError when replayWindowDays is not an integer ≥ 0.
   */
  constructor(options: DetectionEngineOptions = {}) {
    const enabled = options.enabled ?? AVAILABLE_DETECTORS;
    const shared: SharedOptions = { utcOffsetMinutes: options.utcOffsetMinutes, calendar: options.calendar };
    const chosen = DETECTOR_NAMES.filter((name) => enabled.includes(name));
    for (const name of enabled) {
      if (!(name in FACTORIES))
        throw new Error(
          `detector "${name}" is not available in this build (available: ${AVAILABLE_DETECTORS.join(', ')})`,
        );
    }
    this.detectors = chosen.map((name) => {
      const factory = FACTORIES[name as AvailableName] as (s: SharedOptions, own?: unknown) => Detector;
      return factory(shared, options.detectors?.[name as AvailableName]);
    });
    this.runOptions = options.run ?? {};
    this.replayWindowDays = replayWindowDays(options);
    this.replays = new ReplayFilter(this.replayWindowDays, options.utcOffsetMinutes ?? DEFAULT_UTC_OFFSET_MINUTES);
  }

  /**
   * Feeds one record to every detector, unless it is a replay of one fed before (same id; see
   * ReplayFilter). The order of records does not matter.
   *
   * @returns false when the record was a replay and was dropped.
   */
  observe(record: TraceRecord): boolean {
    if (!this.replays.firstSeen(record)) return false;
    for (const detector of this.detectors) detector.observe(record);
    return true;
  }

  /** Event ids remembered for the replay check, and the bytes they take. */
  get replayMemory(): { ids: number; bytes: number } {
    return this.replays.memory;
  }

  /** Feeds a validated trace event (parsed once into a record); false for a replay. */
  observeEvent(event: TraceEvent): boolean {
    return this.observe(toTraceRecord(event));
  }

  /** Runs every detector on what has been fed and returns the findings (see runDetectors). */
  findings(ctx: EvaluateContext): Finding[] {
    return runDetectors(this.detectors, ctx, this.runOptions);
  }

  /**
   * The findings, and the windows with data that were not judged because they had not ended by
   * asOf (the same findings as `findings`).
   */
  evaluate(ctx: EvaluateContext): { findings: Finding[]; pending: PendingSummary } {
    const pending = new PendingWindows();
    const outer = ctx.onPending;
    const findings = this.findings({
      ...ctx,
      onPending: (w) => {
        pending.add(w);
        outer?.(w);
      },
    });
    return { findings, pending: pending.summary() };
  }
}
