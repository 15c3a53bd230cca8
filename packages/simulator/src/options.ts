/** Checks SimulationOptions and fills in the defaults. */
import { addMonths, isoToDay } from './time.js';
import { FABRICATION_SCENARIOS, type FabricationScenario, type SimulationOptions } from './types.js';

export interface ResolvedOptions {
  seed: number;
  units: number;
  months: number;
  firstDay: number;
  /** Last simulated local day, inclusive. */
  lastDay: number;
  platforms: number;
  scenarioRate: number;
  scenarios: FabricationScenario[];
  idlePlatform: boolean;
  hardNegativeRate: number;
  outages: number;
  unitDailyEventsMedian: number;
}

function positiveInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`${name} must be a positive integer, got ${value}`);
  return value;
}

function share(name: string, value: number): number {
  if (!(value >= 0 && value <= 1)) throw new RangeError(`${name} must be between 0 and 1, got ${value}`);
  return value;
}

export function resolveOptions(o: SimulationOptions): ResolvedOptions {
  // The seed appears in ids, which allow digits and '-' only: a safe integer.
  if (!Number.isSafeInteger(o.seed)) throw new RangeError(`seed must be a safe integer, got ${o.seed}`);
  const units = positiveInteger('units', o.units);
  const months = positiveInteger('months', o.months);
  const platforms = positiveInteger('platforms', o.platforms ?? 6);
  const start = o.start ?? '2025-01-01';
  const firstDay = isoToDay(start);
  // Assignments and announcements reach weeks before the start; the schema accepts 2000–2099.
  if (start < '2001-01-01' || start > '2098-01-01') throw new RangeError(`start must lie in 2001–2097, got ${start}`);
  const scenarioRate = share('scenarioRate', o.scenarioRate ?? 0.2);
  const scenarios = [...(o.scenarios ?? FABRICATION_SCENARIOS)];
  for (const s of scenarios) {
    if (!(FABRICATION_SCENARIOS as readonly string[]).includes(s)) throw new RangeError(`unknown scenario ${s}`);
  }
  const idlePlatform =
    o.idlePlatform ?? (scenarioRate > 0 && scenarios.includes('idle-platform') && platforms >= 2 && units >= 2);
  if (idlePlatform && (platforms < 2 || units < 2)) {
    throw new RangeError('an idle platform needs at least 2 platforms and 2 units');
  }
  const outages = o.outages ?? Math.max(1, Math.round(months / 6));
  if (!Number.isInteger(outages) || outages < 0) throw new RangeError(`outages must be a non-negative integer`);
  const unitDailyEventsMedian = o.unitDailyEventsMedian ?? 55;
  if (!(unitDailyEventsMedian > 0)) throw new RangeError('unitDailyEventsMedian must be positive');
  return {
    seed: o.seed,
    units,
    months,
    firstDay,
    lastDay: addMonths(firstDay, months) - 1,
    platforms,
    scenarioRate,
    scenarios,
    idlePlatform,
    hardNegativeRate: share('hardNegativeRate', o.hardNegativeRate ?? 0.1),
    outages,
    unitDailyEventsMedian,
  };
}
