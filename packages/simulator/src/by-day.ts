/**
 * The simulation grouped by recording day, for live replay: the evaluation calendar and labels
 * up front, then one simulated local day at a time — the metrics filed that day and the traces
 * recorded that day, in recording order. Only one day is held in memory (the generator's own
 * bound, see simulate.ts).
 */
import type { Evaluation, ReportedMetric, TraceEvent } from '@tracewatch/schema';
import { resolveOptions } from './options.js';
import { simulate } from './simulate.js';
import { addMonths, dayToIso, isoToDay, localDayNumber, localMidnight } from './time.js';
import type { Label, SimRecord, SimulationOptions } from './types.js';

export interface SimulatedDay {
  /** Local day (YYYY-MM-DD, Asia/Shanghai). */
  day: string;
  /** Epoch ms of that day's local midnight. */
  startMs: number;
  /** Reports filed that day (by reportedAt). */
  metrics: ReportedMetric[];
  /** Traces recorded that day, by recording time (CloudEvents `time`). */
  events: TraceEvent[];
}

export interface SimulationByDay {
  evaluations: Evaluation[];
  labels: Label[];
  /** First simulated day (YYYY-MM-DD). */
  firstDay: string;
  /** Last simulated day of traffic; late recordings and the last month's reports come after it. */
  lastDay: string;
  /** Epoch ms of the first day's local midnight: simulated time 0. */
  startMs: number;
  days: Generator<SimulatedDay>;
}

const recordDay = (r: SimRecord): number =>
  r.kind === 'event'
    ? localDayNumber(Date.parse(r.event.time))
    : r.kind === 'metric'
      ? localDayNumber(Date.parse(r.metric.reportedAt))
      : Number.NEGATIVE_INFINITY;

/**
 * Runs a simulation and groups it by day (see the module comment). Days with nothing recorded
 * are left out. Days come in order and events in recording order (simulate's guarantee); the
 * tail after the last day (late recordings, then the last month's reports) is put in day order.
 * @throws RangeError for impossible options (as simulate)
 */
export function simulateByDay(options: SimulationOptions): SimulationByDay {
  const o = resolveOptions(options);
  const records = simulate(options);
  const evaluations: Evaluation[] = [];
  const labels: Label[] = [];
  // Evaluations and labels come first; the first dated record is kept for the days.
  let first: IteratorResult<SimRecord> = records.next();
  for (; !first.done; first = records.next()) {
    const r = first.value;
    if (r.kind === 'evaluation') evaluations.push(r.evaluation);
    else if (r.kind === 'label') labels.push(r.label);
    else break;
  }
  function* days(): Generator<SimulatedDay> {
    let current: SimulatedDay | null = null;
    let currentDay = Number.NEGATIVE_INFINITY;
    const add = (r: SimRecord, day: number): SimulatedDay | null => {
      let done: SimulatedDay | null = null;
      if (current === null || day !== currentDay) {
        done = current;
        current = { day: dayToIso(day), startMs: localMidnight(day), metrics: [], events: [] };
        currentDay = day;
      }
      if (r.kind === 'event') current.events.push(r.event);
      else if (r.kind === 'metric') current.metrics.push(r.metric);
      return done;
    };
    // After the last day come the late recordings, then the last month's reports (filed in
    // between them): that tail is small (days, not months) and is put in day order.
    const tail: Array<{ r: SimRecord; day: number }> = [];
    for (let next = first; !next.done; next = records.next()) {
      const day = recordDay(next.value);
      if (day > o.lastDay || tail.length > 0) {
        tail.push({ r: next.value, day });
        continue;
      }
      const done = add(next.value, day);
      if (done) yield done;
    }
    tail.sort((a, b) => a.day - b.day); // stable: recording order within a day is kept
    for (const { r, day } of tail) {
      const done = add(r, day);
      if (done) yield done;
    }
    if (current) yield current;
  }
  return {
    evaluations,
    labels,
    firstDay: dayToIso(o.firstDay),
    lastDay: dayToIso(o.lastDay),
    startMs: localMidnight(o.firstDay),
    days: days(),
  };
}

/**
 * The default start of a live run: the first day of the month `months + 1` months before the
 * month of `now`, so that the simulated months, the late recordings and the reports filed in the
 * month after them all lie in the past.
 */
export function defaultLiveStart(months: number, now: number): string {
  const today = localDayNumber(now);
  const monthStart = isoToDay(`${dayToIso(today).slice(0, 7)}-01`);
  return dayToIso(addMonths(monthStart, -(months + 1)));
}

/**
 * Whether a live run from `start` over `months` stays in the past at `now`: the month after the
 * simulated months (where late recordings and the last reports fall) must have ended.
 */
export function liveRunEndsBefore(start: string, months: number, now: number): boolean {
  return addMonths(isoToDay(start), months + 1) <= localDayNumber(now);
}
