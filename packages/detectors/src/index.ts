export * from './calendar/index.js';
export { BACKFILL_DEFAULTS, type BackfillOptions, createBackfillDetector } from './detectors/backfill.js';
export {
  BURST_BEFORE_EVALUATION_DEFAULTS,
  type BurstBeforeEvaluationOptions,
  createBurstBeforeEvaluationDetector,
} from './detectors/burst-before-evaluation.js';
export {
  BURST_RISING_DEFAULTS,
  type BurstRisingOptions,
  createBurstRisingDetector,
  cusumIncrement,
} from './detectors/burst-rising.js';
export { type CrossUnitSamenessOptions, createCrossUnitSamenessDetector } from './detectors/cross-unit-sameness.js';
export { createDeadlineCrunchDetector, type DeadlineCrunchOptions } from './detectors/deadline-crunch.js';
export { createDigitPreferenceDetector, type DigitPreferenceOptions } from './detectors/digit-preference.js';
export { createDuplicateContentDetector, type DuplicateContentOptions } from './detectors/duplicate-content.js';
export { createIdlePlatformDetector, type IdlePlatformOptions } from './detectors/idle-platform.js';
export {
  createImplausibleDurationsDetector,
  type ImplausibleDurationsOptions,
} from './detectors/implausible-durations.js';
export {
  createMachineRegularTimingDetector,
  type MachineRegularTimingOptions,
} from './detectors/machine-regular-timing.js';
export { createMetricInflationDetector, type MetricInflationOptions } from './detectors/metric-inflation.js';
export { createPresenceOnlyDetector, type PresenceOnlyOptions } from './detectors/presence-only.js';
export { createRepeatedEntryDetector, type RepeatedEntryOptions } from './detectors/repeated-entry.js';
export {
  createUnderDispersionDetector,
  UNDER_DISPERSION_DEFAULTS,
  type UnderDispersionOptions,
} from './detectors/under-dispersion.js';
export {
  AVAILABLE_DETECTORS,
  DetectionEngine,
  type DetectionEngineOptions,
  type DetectorOptionsByName,
} from './engine.js';
export {
  evaluationCoversOrg,
  evaluationCoversPlatform,
  evaluationEndDay,
  evaluationStartDay,
} from './evaluations.js';
export { fingerprint, scopeKey } from './fingerprint.js';
export { parseInstant } from './instant.js';
export { type PendingSummary, PendingWindows } from './pending.js';
export { toTraceRecord } from './record.js';
export { DEFAULT_REPLAY_WINDOW_DAYS, ReplayFilter } from './replay-filter.js';
export { RUN_DEFAULTS, type RunOptions, runDetectors } from './runner.js';
export { hammingDistance, simhash } from './simhash.js';
export * from './stats/index.js';
export * from './time.js';
export * from './types.js';
export { formatUtcOffset, parseUtcOffset } from './utc-offset.js';
