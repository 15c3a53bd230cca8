/**
 * The evaluation calendar: a quarterly assessment per platform and about two inspections or
 * audits a year per unit, announced weeks ahead. Scenarios that need an evaluation at a
 * usable place ask for one and get an inspection added when none fits.
 */
import type { Evaluation } from '@tracewatch/schema';
import type { WorkCalendar } from './calendar.js';
import { poisson } from './distributions.js';
import type { Rng } from './random.js';
import { HOUR_MS, isoInstant, localMidnight } from './time.js';
import type { Unit, World } from './world.js';

/** Days before an evaluation that make up its pre-window (DETECTION.md k). */
export const PRE_WINDOW_DAYS = 7;
/** Baseline days before the pre-window (DETECTION.md m). */
export const BASELINE_DAYS = 28;
/**
 * History the backfill detector compares a pre-window with: the unit's own backfilled share over
 * the 8 weeks before it (DETECTION.md). A backfill injected with less history cannot be tested.
 */
export const BACKFILL_BASELINE_DAYS = 56;
/** How far back the burst detector looks for its baseline days (it skips holidays and pre-windows). */
export const BASELINE_LOOKBACK_DAYS = 84;
/** A pre-window that is mostly holiday is no place for a burst. */
const MIN_PRE_WINDOW_WORKING_DAYS = 4;

export interface PlannedEvaluation {
  id: string;
  kind: Evaluation['kind'];
  name: string;
  platformId: string;
  /** Absent: every unit of the platform. */
  orgId?: string;
  /** Local day the evaluation starts (E). */
  day: number;
  /** Last local day of the evaluation. */
  endDay: number;
  announcedDay: number;
}

/** Room an evaluation needs around it inside the run. */
export interface Room {
  /** Days of history needed before E (pre-window included). */
  before: number;
  /** Days needed after E. */
  after: number;
  /**
   * Also needed: this many days before the pre-window that are neither holidays nor the unit's
   * other pre-windows, inside the run and within BASELINE_LOOKBACK_DAYS — the baseline the burst
   * detector builds (a fixed `before` falls short when a long holiday lies in the way).
   */
  baselineDays?: number;
}

export class EvaluationCalendar {
  readonly all: PlannedEvaluation[] = [];
  private readonly byPlatform = new Map<string, PlannedEvaluation[]>();
  private seq = 0;

  constructor(
    private readonly seed: number,
    private readonly calendar: WorkCalendar,
    private readonly firstDay: number,
    private readonly lastDay: number,
  ) {}

  /** Quarterly platform assessments and Poisson(2/year) unit inspections over the run. */
  populate(world: World, rng: Rng): void {
    const span = this.lastDay - this.firstDay + 1;
    for (const platform of world.platforms) {
      for (let q = 0; q * 91 < span; q++) {
        const day = this.calendar.workingDayOnOrAfter(this.firstDay + q * 91 + rng.intBetween(25, 85));
        if (day > this.lastDay) continue;
        this.add(
          rng,
          { kind: 'assessment', name: `${platform.id} 季度考核 quarterly assessment`, platformId: platform.id },
          day,
        );
      }
    }
    for (const unit of world.units) {
      const count = poisson(rng, (2 * span) / 365);
      for (let i = 0; i < count; i++) {
        const day = this.calendar.workingDayOnOrAfter(this.firstDay + rng.int(span));
        if (day > this.lastDay) continue;
        this.addInspection(rng, unit, day);
      }
    }
  }

  /** Evaluations that concern a unit (its platform's and its own), by day. */
  forUnit(unit: Unit): PlannedEvaluation[] {
    return (this.byPlatform.get(unit.platform.id) ?? [])
      .filter((e) => e.platformId === unit.platform.id && (e.orgId === undefined || e.orgId === unit.id))
      .sort((a, b) => a.day - b.day);
  }

  /** Whether an evaluation day leaves the room asked for inside the run. */
  fits(day: number, room: Room): boolean {
    return day - room.before >= this.firstDay && day + room.after <= this.lastDay;
  }

  /** Whether an evaluation on `day` leaves the room and has enough working days in its pre-window. */
  hasUsablePreWindow(day: number, room: Room, minWorkingDays = MIN_PRE_WINDOW_WORKING_DAYS): boolean {
    return this.fits(day, room) && this.calendar.workingDays(day - PRE_WINDOW_DAYS, day - 1).length >= minWorkingDays;
  }

  /**
   * Whether `baselineDays` days before the pre-window of an evaluation of the unit on `day` are
   * neither holidays nor pre-windows of the unit's other evaluations, all inside the run and
   * within BASELINE_LOOKBACK_DAYS before the pre-window (as the burst detector looks for them).
   */
  hasBaseline(day: number, unit: Unit, baselineDays: number): boolean {
    const otherPreWindows = new Set<number>();
    for (const e of this.forUnit(unit)) {
      if (e.day === day) continue;
      for (let d = e.day - PRE_WINDOW_DAYS; d < e.day; d++) otherPreWindows.add(d);
    }
    const preStart = day - PRE_WINDOW_DAYS;
    let found = 0;
    for (let d = preStart - 1; d >= this.firstDay && d >= preStart - BASELINE_LOOKBACK_DAYS; d--) {
      if (this.calendar.kind(d) === 'holiday' || otherPreWindows.has(d)) continue;
      if (++found >= baselineDays) return true;
    }
    return false;
  }

  /**
   * A random evaluation of the unit with the room asked for and a pre-window of at least
   * `minWorkingDays` working days; adds an inspection on a working day when none fits.
   * Null when the run is too short for one.
   */
  pickFor(rng: Rng, unit: Unit, room: Room, minWorkingDays = MIN_PRE_WINDOW_WORKING_DAYS): PlannedEvaluation | null {
    const usable = (day: number) =>
      this.hasUsablePreWindow(day, room, minWorkingDays) &&
      (room.baselineDays === undefined || this.hasBaseline(day, unit, room.baselineDays));
    const fitting = this.forUnit(unit).filter((e) => usable(e.day));
    if (fitting.length > 0) return rng.pick(fitting);
    const lo = this.firstDay + room.before;
    const hi = this.lastDay - room.after;
    if (hi < lo) return null;
    for (let attempt = 0; attempt < 50; attempt++) {
      const day = this.calendar.workingDayOnOrAfter(lo + rng.int(hi - lo + 1));
      if (usable(day)) return this.addInspection(rng, unit, day);
    }
    return null;
  }

  /** The calendar in schema form, by start. */
  toSchema(): Evaluation[] {
    return [...this.all]
      .sort((a, b) => a.day - b.day || a.id.localeCompare(b.id))
      .map((e) => {
        const ev: Evaluation = {
          id: e.id,
          name: e.name,
          kind: e.kind,
          platformId: e.platformId,
          start: isoInstant(localMidnight(e.day) + 9 * HOUR_MS),
          end: isoInstant(localMidnight(e.endDay) + 17.5 * HOUR_MS),
          announcedAt: isoInstant(localMidnight(e.announcedDay) + 10 * HOUR_MS),
        };
        if (e.orgId !== undefined) ev.orgId = e.orgId;
        return ev;
      });
  }

  private addInspection(rng: Rng, unit: Unit, day: number): PlannedEvaluation {
    const kind = rng.chance(0.7) ? 'inspection' : 'audit';
    const name = `${unit.id} ${kind === 'inspection' ? '专项检查 inspection' : '审计 audit'}`;
    return this.add(rng, { kind, name, platformId: unit.platform.id, orgId: unit.id }, day);
  }

  private add(
    rng: Rng,
    what: Pick<PlannedEvaluation, 'kind' | 'name' | 'platformId'> & { orgId?: string },
    day: number,
  ): PlannedEvaluation {
    const lasting = rng.intBetween(1, 3);
    let endDay = day;
    for (let n = 1; n < lasting; n++) endDay = this.calendar.workingDayOnOrAfter(endDay + 1);
    const e: PlannedEvaluation = {
      ...what,
      id: `eval-${this.seed}-${++this.seq}`,
      day,
      endDay,
      announcedDay: day - rng.intBetween(14, 45),
    };
    this.all.push(e);
    const onPlatform = this.byPlatform.get(e.platformId);
    if (onPlatform === undefined) this.byPlatform.set(e.platformId, [e]);
    else onPlatform.push(e);
    return e;
  }
}

/** Days E−k … E−1 of an evaluation's pre-window. */
export function preWindow(e: PlannedEvaluation): { start: number; end: number } {
  return { start: e.day - PRE_WINDOW_DAYS, end: e.day - 1 };
}
