/**
 * Plans a run before any traffic: the evaluation calendar, which unit gets which scenario or
 * hard negative, the outages, and every label. Labels are therefore known up front.
 */
import type { WorkCalendar } from './calendar.js';
import { EvaluationCalendar } from './evaluations.js';
import type { ResolvedOptions } from './options.js';
import { Rng } from './random.js';
import { planBackfill } from './scenarios/backfill.js';
import { planBurst } from './scenarios/burst.js';
import { planCrossUnitSameness } from './scenarios/cross-unit-sameness.js';
import { planDeadlineCrunch } from './scenarios/deadline-crunch.js';
import { planDeadlineDesign } from './scenarios/deadline-design.js';
import { planDigitPreference } from './scenarios/digit-preference.js';
import { planDuplicateContent } from './scenarios/duplicate-content.js';
import { planGenuineCampaign } from './scenarios/genuine-campaign.js';
import { labelHolidays } from './scenarios/holiday.js';
import { planIdlePlatform } from './scenarios/idle-platform.js';
import { planImplausibleDurations } from './scenarios/implausible-durations.js';
import type { Injection } from './scenarios/injection.js';
import { planMachineRegular } from './scenarios/machine-regular.js';
import { planMetricInflation } from './scenarios/metric-inflation.js';
import { planNewUnitRamp } from './scenarios/new-unit-ramp.js';
import type { PlanContext } from './scenarios/plan-context.js';
import { type Outage, planPlatformOutage } from './scenarios/platform-outage.js';
import { planPlatformUse } from './scenarios/platform-use.js';
import { planPresenceOnly } from './scenarios/presence-only.js';
import { planRepeatedEntry } from './scenarios/repeated-entry.js';
import { planSharedCircular } from './scenarios/shared-circular.js';
import { planShortSpike } from './scenarios/short-spike.js';
import { planTrainingMonth } from './scenarios/training-month.js';
import { planUnderDispersion } from './scenarios/under-dispersion.js';
import type { Seasonality } from './seasonality.js';
import { STREAM } from './streams.js';
import type { FabricationScenario, Label } from './types.js';
import type { Unit, World } from './world.js';

type UnitPlanner = (ctx: PlanContext, unit: Unit) => Injection | null;

/** Scenarios dealt to units; idle-platform and deadline-design act on whole platforms. */
const UNIT_SCENARIOS: Record<Exclude<FabricationScenario, 'idle-platform' | 'deadline-design'>, UnitPlanner> = {
  'burst-before-evaluation': planBurst,
  backfill: planBackfill,
  'under-dispersion': planUnderDispersion,
  'machine-regular-timing': planMachineRegular,
  'digit-preference': planDigitPreference,
  'cross-unit-sameness': planCrossUnitSameness,
  'duplicate-content': planDuplicateContent,
  'implausible-durations': planImplausibleDurations,
  'deadline-crunch': planDeadlineCrunch,
  'metric-inflation': planMetricInflation,
  'repeated-entry': planRepeatedEntry,
  'presence-only': planPresenceOnly,
};

const HARD_NEGATIVES: UnitPlanner[] = [planGenuineCampaign, planNewUnitRamp];
/** Hard negatives of the newer detectors (burst-rising, repeated-entry, presence-only), dealt to the honest units left. */
const MORE_HARD_NEGATIVES: UnitPlanner[] = [planShortSpike, planSharedCircular, planTrainingMonth];

export interface Plan {
  evaluations: EvaluationCalendar;
  labels: Label[];
  /** Injections of each unit, by unit index. */
  injections: Injection[][];
  outages: Outage[];
}

export function planRun(o: ResolvedOptions, world: World, calendar: WorkCalendar, seasonality: Seasonality): Plan {
  const rng = new Rng(o.seed, STREAM.plan);
  const evaluations = new EvaluationCalendar(o.seed, calendar, o.firstDay, o.lastDay);
  evaluations.populate(world, rng.fork(1));
  const labels: Label[] = [];
  const ctx: PlanContext = {
    seed: o.seed,
    rng,
    calendar,
    seasonality,
    evaluations,
    firstDay: o.firstDay,
    lastDay: o.lastDay,
    platforms: world.platforms,
    label: (l) => labels.push({ id: `lbl-${o.seed}-${labels.length + 1}`, ...l }),
  };
  const injections: Injection[][] = world.units.map(() => []);

  const idle = world.platforms.find((p) => p.idle);
  if (idle !== undefined) {
    const idleUnits = world.units.filter((u) => u.platform === idle);
    for (const [index, injection] of planIdlePlatform(ctx, idle, idleUnits)) injections[index]!.push(injection);
  }

  // Fabrications: a shuffled list of units, the scenario kinds dealt in turn so that every
  // kind appears once there are as many scenario units as kinds.
  const eligible = rng.shuffle(world.units.filter((u) => !u.platform.idle));
  const kinds = rng.shuffle(o.scenarios.filter((s): s is keyof typeof UNIT_SCENARIOS => s in UNIT_SCENARIOS));
  const fabricating =
    o.scenarioRate > 0 && kinds.length > 0 ? Math.max(1, Math.round(o.scenarioRate * eligible.length)) : 0;
  for (let i = 0; i < fabricating; i++) {
    const unit = eligible[i]!;
    const injection = UNIT_SCENARIOS[kinds[i % kinds.length]!](ctx, unit);
    if (injection !== null) injections[unit.index]!.push(injection);
  }

  const honest = eligible.slice(fabricating);
  const hardNegatives = Math.round(o.hardNegativeRate * honest.length);
  for (let j = 0; j < hardNegatives; j++) {
    const unit = honest[j]!;
    const injection = HARD_NEGATIVES[j % HARD_NEGATIVES.length]!(ctx, unit);
    if (injection !== null) injections[unit.index]!.push(injection);
  }
  const rest = honest.slice(hardNegatives);
  const more = Math.round(o.hardNegativeRate * rest.length);
  for (let j = 0; j < more; j++) {
    const unit = rest[j]!;
    const injection = MORE_HARD_NEGATIVES[j % MORE_HARD_NEGATIVES.length]!(ctx, unit);
    if (injection !== null) injections[unit.index]!.push(injection);
  }

  const outages = planOutages(ctx, world, o.outages);
  labelHolidays(ctx, world);
  // Last, so that they draw nothing the other plans would otherwise have drawn.
  planPlatformUses(ctx, world, injections);
  if (o.scenarioRate > 0 && o.scenarios.includes('deadline-design')) planShortDeadlines(ctx, world, injections, labels);
  return { evaluations, labels, injections, outages };
}

/**
 * With at least 4 active platforms with units (so that enough ordinary ones remain as peers):
 * one becomes a busy staff-majority platform, another a declared staff-facing one.
 */
function planPlatformUses(ctx: PlanContext, world: World, injections: Injection[][]): void {
  const active = world.platforms.filter((p) => !p.idle && world.units.some((u) => u.platform === p));
  if (active.length < 4) return;
  const [busy, internal] = ctx.rng.sample(active, 2) as [(typeof active)[number], (typeof active)[number]];
  for (const [scenario, platform] of [
    ['busy-staff-platform', busy],
    ['staff-facing-platform', internal],
  ] as const) {
    const units = world.units.filter((u) => u.platform === platform);
    for (const [index, injection] of planPlatformUse(ctx, scenario, platform, units))
      injections[index]!.push(injection);
  }
}

/**
 * One active platform, not the busy or the staff-facing one, sets deadlines shorter than the
 * work; its units with a deadline-crunch fabrication keep theirs.
 */
function planShortDeadlines(ctx: PlanContext, world: World, injections: Injection[][], labels: readonly Label[]): void {
  const taken = new Set(
    labels
      .filter((l) => l.scenario === 'busy-staff-platform' || l.scenario === 'staff-facing-platform')
      .map((l) => l.scope.platformId),
  );
  const candidates = world.platforms.filter(
    (p) => !p.idle && !taken.has(p.id) && world.units.filter((u) => u.platform === p).length >= 6,
  );
  if (candidates.length === 0) return;
  const platform = ctx.rng.pick(candidates);
  const spared = new Set(
    labels.filter((l) => l.scenario === 'deadline-crunch' && l.scope.orgId !== undefined).map((l) => l.scope.orgId!),
  );
  const units = world.units.filter((u) => u.platform === platform);
  for (const [index, injection] of planDeadlineDesign(ctx, platform, units, spared)) injections[index]!.push(injection);
}

/** Outages on distinct busy platforms while there are some, never two at once on one platform. */
function planOutages(ctx: PlanContext, world: World, count: number): Outage[] {
  const candidates = world.platforms.filter((p) => !p.idle && world.units.some((u) => u.platform === p));
  const outages: Outage[] = [];
  if (candidates.length === 0) return outages;
  const order = ctx.rng.shuffle([...candidates]);
  // A few tries more than asked for: a draw can fall before every unit of a platform started.
  for (let attempt = 0; attempt < count + 2 * order.length && outages.length < count; attempt++) {
    const platform = order[attempt % order.length]!;
    const units = world.units.filter((u) => u.platform === platform);
    const outage = planPlatformOutage(ctx, platform, units, outages);
    if (outage !== null) outages.push(outage);
  }
  return outages;
}
