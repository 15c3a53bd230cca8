/**
 * Unit-months: the (platform, org, calendar month) cells the data covers, the exposure
 * against which false findings are counted ("per 1,000 clean unit-months").
 *
 * From events, a unit-month is covered when the unit has at least one trace whose claimed
 * time (occurredAt) falls in that local month. Without the events file it is estimated from
 * the labels: every unit named by an org or actor label (the simulator labels every unit's
 * holidays) over every month from the earliest label start to the latest label end.
 */
import { DEFAULT_UTC_OFFSET_MINUTES, dayNumberToIso, localDayNumber } from '@tracewatch/detectors';
import type { Label } from '@tracewatch/simulator';

/** Months YYYY-MM from the month of `start` to the month of `end` (days YYYY-MM-DD), inclusive. */
export function monthsBetween(start: string, end: string): string[] {
  let year = Number(start.slice(0, 4));
  let month = Number(start.slice(5, 7));
  const last = end.slice(0, 7);
  const out: string[] = [];
  for (;;) {
    const key = `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}`;
    if (key > last) return out;
    out.push(key);
    month++;
    if (month > 12) {
      month = 1;
      year++;
    }
  }
}

export class UnitMonths {
  /** Months covered, by platform and org (no key string per trace: this runs on every one). */
  private readonly units = new Map<string, Map<string, { platformId: string; orgId: string; months: Set<string> }>>();
  /** Month of each local day number seen (formatting a date per trace would be the hot spot). */
  private readonly monthOfDay = new Map<number, string>();

  constructor(
    readonly source: 'events' | 'labels',
    private readonly utcOffsetMinutes = DEFAULT_UTC_OFFSET_MINUTES,
  ) {}

  /** Marks the unit-month of a trace (its claimed time, in local time). */
  addTrace(platformId: string, orgId: string, occurredAt: number): void {
    const day = localDayNumber(occurredAt, this.utcOffsetMinutes);
    let month = this.monthOfDay.get(day);
    if (month === undefined) {
      month = dayNumberToIso(day).slice(0, 7);
      this.monthOfDay.set(day, month);
    }
    this.add(platformId, orgId, month);
  }

  /** Marks a unit-month (YYYY-MM). */
  add(platformId: string, orgId: string, month: string): void {
    let orgs = this.units.get(platformId);
    if (orgs === undefined) {
      orgs = new Map();
      this.units.set(platformId, orgs);
    }
    let unit = orgs.get(orgId);
    if (unit === undefined) {
      unit = { platformId, orgId, months: new Set() };
      orgs.set(orgId, unit);
    }
    unit.months.add(month);
  }

  private *allUnits() {
    for (const orgs of this.units.values()) yield* orgs.values();
  }

  /** Number of covered unit-months. */
  get size(): number {
    let n = 0;
    for (const u of this.allUnits()) n += u.months.size;
    return n;
  }

  /**
   * Covered unit-months that no fabrication label touches. An org or actor label touches its
   * unit in every month its period overlaps; a platform label touches every unit of the platform.
   */
  cleanCount(fabrications: readonly Label[]): number {
    let clean = 0;
    for (const unit of this.allUnits()) {
      const touched = new Set<string>();
      for (const label of fabrications) {
        const s = label.scope;
        if (s.platformId !== unit.platformId || (s.kind !== 'platform' && s.orgId !== unit.orgId)) continue;
        for (const m of monthsBetween(label.period.start, label.period.end)) touched.add(m);
      }
      for (const m of unit.months) if (!touched.has(m)) clean++;
    }
    return clean;
  }

  /** The estimate from labels alone (see the module comment). */
  static fromLabels(labels: readonly Label[]): UnitMonths {
    const coverage = new UnitMonths('labels');
    if (labels.length === 0) return coverage;
    // Days are YYYY-MM-DD strings: sorting them as text sorts them in time.
    const days = labels.flatMap((l) => [l.period.start, l.period.end]).sort();
    const first = days[0]!;
    const last = days[days.length - 1]!;
    const months = monthsBetween(first, last);
    for (const l of labels) {
      if (l.scope.kind === 'platform' || l.scope.orgId === undefined) continue;
      for (const m of months) coverage.add(l.scope.platformId, l.scope.orgId, m);
    }
    return coverage;
  }
}
