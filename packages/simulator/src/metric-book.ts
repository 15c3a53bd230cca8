/**
 * Monthly KPIs per unit: counts the traces behind each metric as they are generated (by the
 * month they claim to have happened in), and reports each month on the third working day of
 * the next one — honestly (within a few percent) unless a scenario says otherwise.
 */
import type { ReportedMetric } from '@tracewatch/schema';
import type { WorkCalendar } from './calendar.js';
import { normal } from './distributions.js';
import { REPORTED_METRICS } from './metric-names.js';
import { Rng } from './random.js';
import type { Injection } from './scenarios/injection.js';
import type { SimEvent } from './sim-event.js';
import { STREAM } from './streams.js';
import {
  dayToIso,
  HOUR_MS,
  isoInstant,
  localDayNumber,
  localMidnight,
  monthEndDay,
  monthKey,
  monthStartDay,
} from './time.js';
import type { Unit } from './world.js';

const METRIC_OF_ACTION = new Map<string, number>(REPORTED_METRICS.map((m, i) => [m.action, i]));
/** The report for a month is filed on this working day of the next month. */
const REPORT_WORKING_DAY = 3;

/**
 * An honest report of a count: off by a fraction of a percent either way (late entries,
 * corrections), never negative.
 * @param count trace-derived count C ≥ 0
 * @returns round(C + N(−0.005·C, (0.01·C + 0.5)²)), at least 0
 */
export function honestReport(rng: Rng, count: number): number {
  return Math.max(0, Math.round(count * 0.995 + normal(rng) * (0.01 * count + 0.5)));
}

export class MetricBook {
  private readonly firstMonth: number;
  private readonly months: number;
  private readonly counts: Float64Array;
  private readonly reported: boolean[];
  private readonly reportDays: number[];
  private readonly rng: Rng;

  constructor(
    private readonly seed: number,
    private readonly units: readonly Unit[],
    private readonly injections: readonly (readonly Injection[])[],
    calendar: WorkCalendar,
    private readonly firstDay: number,
    private readonly lastDay: number,
  ) {
    this.firstMonth = monthKey(firstDay);
    this.months = monthKey(lastDay) - this.firstMonth + 1;
    this.counts = new Float64Array(units.length * this.months * REPORTED_METRICS.length);
    this.reported = new Array<boolean>(this.months).fill(false);
    this.reportDays = Array.from({ length: this.months }, (_, m) =>
      calendar.nthWorkingDayOfMonth(monthStartDay(this.firstMonth + m + 1), REPORT_WORKING_DAY),
    );
    this.rng = new Rng(seed, STREAM.metrics);
  }

  /**
   * Counts a trace towards its claimed month, unless that month was already reported. A unit
   * reports on its own platform, so its traces entered on another one (repeated entry) do not count.
   */
  count(e: SimEvent): void {
    const metric = METRIC_OF_ACTION.get(e.action);
    if (metric === undefined || e.platformId !== this.units[e.unitIndex]!.platform.id) return;
    const month = monthKey(localDayNumber(e.occurredAt)) - this.firstMonth;
    if (month < 0 || month >= this.months || this.reported[month]) return;
    this.counts[(e.unitIndex * this.months + month) * REPORTED_METRICS.length + metric]! += 1;
  }

  /** Reports due on a day (after that day's traces). */
  due(day: number): ReportedMetric[] {
    const out: ReportedMetric[] = [];
    for (let m = 0; m < this.months; m++)
      if (!this.reported[m] && this.reportDays[m] === day) out.push(...this.report(m));
    return out;
  }

  /** Every report not yet made (months whose report day falls after the run). */
  rest(): ReportedMetric[] {
    const out: ReportedMetric[] = [];
    for (let m = 0; m < this.months; m++) if (!this.reported[m]) out.push(...this.report(m));
    return out;
  }

  private report(m: number): ReportedMetric[] {
    this.reported[m] = true;
    const key = this.firstMonth + m;
    const periodStart = Math.max(this.firstDay, monthStartDay(key));
    const periodEnd = Math.min(this.lastDay, monthEndDay(key));
    const yyyymm = dayToIso(monthStartDay(key)).slice(0, 7).replace('-', '');
    const out: ReportedMetric[] = [];
    for (const unit of this.units) {
      if (unit.activeFrom > periodEnd) continue;
      const reportedAt = localMidnight(this.reportDays[m]!) + 10 * HOUR_MS + this.rng.int(6 * HOUR_MS);
      REPORTED_METRICS.forEach(({ metric }, i) => {
        const count = this.counts[(unit.index * this.months + m) * REPORTED_METRICS.length + i]!;
        let value = honestReport(this.rng, count);
        for (const injection of this.injections[unit.index] ?? []) {
          if (injection.reportMetric) value = injection.reportMetric(metric, key, value);
        }
        out.push({
          id: `met-${this.seed}-${unit.id}-${metric}-${yyyymm}`,
          platformId: unit.platform.id,
          orgId: unit.id,
          metric,
          periodStart: dayToIso(periodStart),
          periodEnd: dayToIso(periodEnd),
          value,
          reportedAt: isoInstant(reportedAt),
        });
      });
    }
    return out;
  }
}
