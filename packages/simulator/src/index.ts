export {
  defaultLiveStart,
  liveRunEndsBefore,
  type SimulatedDay,
  type SimulationByDay,
  simulateByDay,
} from './by-day.js';
export { type DayKind, type HolidayBlock, WorkCalendar } from './calendar.js';
export {
  beta,
  binomial,
  exponential,
  gamma,
  geometric,
  logGamma,
  lognormal,
  negativeBinomial,
  normal,
  pareto,
  poisson,
  WeightedChoice,
  ZipfSampler,
} from './distributions.js';
export { type HolidaySpan, type HolidayTable, PRC_HOLIDAYS } from './holidays.js';
export { type MetricName, REPORTED_METRICS } from './metric-names.js';
export { hashString, mixKey, Rng } from './random.js';
export { simulate } from './simulate.js';
export { simulateToDirectory } from './to-directory.js';
export {
  FABRICATION_SCENARIOS,
  type FabricationScenario,
  HARD_NEGATIVE_SCENARIOS,
  type HardNegativeScenario,
  type Label,
  type SimRecord,
  type SimulationCounts,
  type SimulationOptions,
} from './types.js';
