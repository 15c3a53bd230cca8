/**
 * The simulated world: platforms, the units (orgs) on them, their staff and their public.
 * Sizes are heavy-tailed on purpose: a few big units and very active staff, many small
 * units and light staff, as on real platforms.
 */
import { lognormal, WeightedChoice, ZipfSampler } from './distributions.js';
import { randomHex } from './hex.js';
import type { Rng } from './random.js';

export interface Platform {
  id: string;
  index: number;
  /** CloudEvents `source` of its traces. */
  source: string;
  /** An idle 摆设 platform: staff-only, near-zero traffic outside evaluation pre-windows. */
  idle: boolean;
}

export interface StaffActor {
  id: string;
  index: number;
  /** Share of the unit's staff work this actor does (weights of a unit sum to 1). */
  weight: number;
  /** Device hashes this actor uses. */
  devices: string[];
  /** Typical integer value this actor reports in forms (negative binomial, shape 6). */
  valueMean: number;
  /**
   * A third of staff report small skewed counts instead: rounded lognormal with this median
   * (15–40) and σ (0.5–0.9), whose last digits are not uniform (low digits are more common).
   */
  smallValues: { median: number; sigma: number } | null;
  /** Median time this actor takes to fill a form, ms. */
  formMedianMs: number;
  /** Typical success share in the rates this actor reports. */
  rateSuccess: number;
}

export const STAFF_ACTIONS = ['visit.record', 'case.close', 'form.submit', 'task.complete', 'report.file'] as const;
export type StaffAction = (typeof STAFF_ACTIONS)[number];
const BASE_ACTION_MIX = [0.3, 0.25, 0.2, 0.17, 0.08];

export interface Unit {
  index: number;
  id: string;
  platform: Platform;
  staff: StaffActor[];
  /** Expected staff work events (logins excluded) on an ordinary working day. */
  staffDailyMean: number;
  /** Expected public events on an ordinary working day. */
  publicDailyMean: number;
  /** Draws a public user's rank (1 = the most frequent user). */
  publicUsers: ZipfSampler;
  /** Draws a staff action (index into STAFF_ACTIONS) with this unit's mix. */
  actionMix: WeightedChoice;
  /** First day with any activity (later than the run's start for units that ramp up). */
  activeFrom: number;
}

export interface World {
  platforms: Platform[];
  units: Unit[];
}

export interface WorldOptions {
  units: number;
  platforms: number;
  idlePlatform: boolean;
  unitDailyEventsMedian: number;
  firstDay: number;
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');
const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));

/** Builds platforms and units. With an idle platform it is the last one, holding ~4 % of the units (≥ 1). */
export function buildWorld(opts: WorldOptions, rng: Rng): World {
  const platforms: Platform[] = Array.from({ length: opts.platforms }, (_, i) => ({
    id: `plat-${pad(i + 1, 2)}`,
    index: i,
    source: `urn:tracewatch:sim:platform:plat-${pad(i + 1, 2)}`,
    idle: opts.idlePlatform && i === opts.platforms - 1,
  }));
  const active = platforms.filter((p) => !p.idle);
  const idle = platforms.find((p) => p.idle);
  const idleUnits = new Set<number>(
    idle === undefined ? [] : rng.sample(range(opts.units), clamp(Math.round(opts.units * 0.04), 1, opts.units - 1)),
  );
  // Platforms differ in size: some host many units.
  const platformChoice = new WeightedChoice(active.map(() => lognormal(rng, 1, 0.5)));
  const unitWidth = Math.max(4, String(opts.units).length);

  const units: Unit[] = [];
  for (let i = 0; i < opts.units; i++) {
    const id = `org-${pad(i + 1, unitWidth)}`;
    const onIdle = idleUnits.has(i) && idle !== undefined;
    const platform = onIdle ? idle : (active[platformChoice.sample(rng)] as Platform);
    units.push(onIdle ? idleUnit(rng, i, id, platform, opts) : ordinaryUnit(rng, i, id, platform, opts));
  }
  return { platforms, units };
}

function ordinaryUnit(rng: Rng, index: number, id: string, platform: Platform, opts: WorldOptions): Unit {
  const staffDailyMean = clamp(lognormal(rng, opts.unitDailyEventsMedian, 0.45), 12, 300);
  const staffCount = clamp(Math.round((staffDailyMean / 6) * lognormal(rng, 1, 0.3)), 3, 60);
  const publicDailyMean = staffDailyMean * rng.uniform(0.12, 0.3);
  const population = Math.max(50, Math.round(staffDailyMean * rng.uniform(8, 30)));
  return {
    index,
    id,
    platform,
    staff: makeStaff(rng, id, staffCount),
    staffDailyMean,
    publicDailyMean,
    publicUsers: new ZipfSampler(population, 1.05),
    actionMix: new WeightedChoice(BASE_ACTION_MIX.map((w) => w * lognormal(rng, 1, 0.25))),
    activeFrom: opts.firstDay,
  };
}

/** A unit of the idle platform: a handful of staff, a trace every few working days, almost no public. */
function idleUnit(rng: Rng, index: number, id: string, platform: Platform, opts: WorldOptions): Unit {
  return {
    index,
    id,
    platform,
    staff: makeStaff(rng, id, rng.intBetween(2, 5)),
    staffDailyMean: rng.uniform(0.15, 0.5),
    publicDailyMean: 0.01,
    publicUsers: new ZipfSampler(20, 1.05),
    actionMix: new WeightedChoice(BASE_ACTION_MIX),
    activeFrom: opts.firstDay,
  };
}

/** Staff with heavy-tailed shares of the work: lognormal σ = 1, so a few do much of it. */
function makeStaff(rng: Rng, unitId: string, count: number): StaffActor[] {
  const staff = Array.from({ length: count }, (_, i) => makeActor(rng, unitId, i, lognormal(rng, 1, 1)));
  normaliseWeights(staff);
  return staff;
}

function makeActor(rng: Rng, unitId: string, index: number, rawWeight: number): StaffActor {
  return {
    id: `${unitId}-s${pad(index + 1, 2)}`,
    index,
    weight: rawWeight,
    devices: Array.from({ length: rng.chance(0.3) ? 2 : 1 }, () => randomHex(rng, 2)),
    // Well above 10, so that cutting values below 10 (as digit tests do) leaves the last digits uniform.
    valueMean: Math.max(40, lognormal(rng, 80, 0.45)),
    formMedianMs: lognormal(rng, 90_000, 0.25),
    rateSuccess: rng.uniform(0.82, 0.97),
    smallValues: rng.chance(1 / 3) ? { median: rng.uniform(15, 40), sigma: rng.uniform(0.5, 0.9) } : null,
  };
}

function normaliseWeights(staff: StaffActor[]): void {
  const total = staff.reduce((s, a) => s + a.weight, 0);
  for (const a of staff) a.weight /= total;
}

/**
 * Gives a unit at least `count` staff, the newcomers light (a scenario that needs many
 * actors, e.g. cross-unit sameness, asks for it before traffic starts).
 */
export function ensureStaff(rng: Rng, unit: Unit, count: number): void {
  const lightest = Math.min(...unit.staff.map((a) => a.weight));
  while (unit.staff.length < count) {
    unit.staff.push(makeActor(rng, unit.id, unit.staff.length, lightest * rng.uniform(0.5, 1.5)));
  }
  normaliseWeights(unit.staff);
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}
