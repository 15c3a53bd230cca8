/** What scenario planners see, and the small helpers they share. */
import type { WorkCalendar } from '../calendar.js';
import type { EvaluationCalendar } from '../evaluations.js';
import type { Rng } from '../random.js';
import type { Seasonality } from '../seasonality.js';
import { dayToIso } from '../time.js';
import type { Label } from '../types.js';
import type { Platform, StaffActor, Unit } from '../world.js';

export interface PlanContext {
  readonly seed: number;
  readonly rng: Rng;
  readonly calendar: WorkCalendar;
  readonly seasonality: Seasonality;
  readonly evaluations: EvaluationCalendar;
  /** First and last local day of the run. */
  readonly firstDay: number;
  readonly lastDay: number;
  /** The world's platforms (a scenario may act on a second one). */
  readonly platforms: readonly Platform[];
  /** Records a label (the id is assigned). */
  label(label: Omit<Label, 'id'>): void;
}

/** Inclusive day range. */
export interface DayWindow {
  start: number;
  end: number;
}

export const within = (day: number, w: DayWindow): boolean => day >= w.start && day <= w.end;

export function isoPeriod(w: DayWindow): Label['period'] {
  return { start: dayToIso(w.start), end: dayToIso(w.end) };
}

export function orgScope(unit: Unit): Label['scope'] {
  return { kind: 'org', platformId: unit.platform.id, orgId: unit.id };
}

export function actorScope(unit: Unit, actor: StaffActor): Label['scope'] {
  return { kind: 'actor', platformId: unit.platform.id, orgId: unit.id, actorId: actor.id };
}

export function platformScope(platform: Platform): Label['scope'] {
  return { kind: 'platform', platformId: platform.id };
}

/**
 * A window of minLen..maxLen days inside the run, starting at least `lead` days in (so the
 * detectors have some history), shortened when the run is short. Null when even minLen
 * days do not fit.
 */
export function pickWindow(ctx: PlanContext, minLen: number, maxLen: number, lead = 14): DayWindow | null {
  for (const l of [lead, 0]) {
    const from = ctx.firstDay + l;
    const available = ctx.lastDay - from + 1;
    if (available < minLen) continue;
    const length = Math.min(ctx.rng.intBetween(minLen, maxLen), available);
    const start = from + ctx.rng.int(available - length + 1);
    return { start, end: start + length - 1 };
  }
  return null;
}

/** The window cut down to its first and last working day (the days a fabrication touches); null if none. */
export function workingSpan(calendar: WorkCalendar, w: DayWindow): DayWindow | null {
  const days = calendar.workingDays(w.start, w.end);
  if (days.length === 0) return null;
  return { start: days[0] as number, end: days[days.length - 1] as number };
}

/** Splits a count into `parts` multinomial shares with equal probabilities. */
export function splitCount(rng: Rng, total: number, parts: number): number[] {
  const out = new Array<number>(parts).fill(0);
  for (let i = 0; i < total; i++) {
    const k = rng.int(parts);
    out[k] = (out[k] as number) + 1;
  }
  return out;
}

/** Staff sorted from the most to the least active. */
export function byActivity(unit: Unit): StaffActor[] {
  return [...unit.staff].sort((a, b) => b.weight - a.weight);
}

/**
 * For an actor-level scenario inside honest colleagues: the least active actor who still does
 * about `monthly` actions of a kind with base share `actionShare` in a month (21 working days),
 * so that its own test has a sample while its share of the unit's work stays small; the most
 * active actor when none does.
 */
export function loneActor(unit: Unit, actionShare: number, monthly: number): StaffActor {
  const ranked = byActivity(unit);
  const enough = ranked.filter((a) => unit.staffDailyMean * actionShare * a.weight * 21 >= monthly);
  return enough[enough.length - 1] ?? ranked[0]!;
}
