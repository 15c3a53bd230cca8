/**
 * The simulator's entry point: a generator that yields the evaluation calendar and the
 * labels first, then trace events day by day in recording order (with the monthly reports
 * on the days they are filed). Only one day of traces (plus the few recorded late) is held
 * in memory, so runs of tens of millions of events stream.
 */
import { WorkCalendar } from './calendar.js';
import type { UnitDayContext } from './context.js';
import { MetricBook } from './metric-book.js';
import { type ResolvedOptions, resolveOptions } from './options.js';
import { planRun } from './plan.js';
import { Rng } from './random.js';
import { Recorder } from './recorder.js';
import type { Injection } from './scenarios/injection.js';
import { Seasonality } from './seasonality.js';
import { type SimEvent, toTraceEvent } from './sim-event.js';
import { STREAM } from './streams.js';
import { localMidnight } from './time.js';
import { type ActionChooser, naturalUnitDay, unitActions } from './traffic.js';
import type { SimRecord, SimulationOptions } from './types.js';
import { buildWorld, type StaffActor, type Unit } from './world.js';

const noActorFactor = () => 1;

export function* simulate(options: SimulationOptions): Generator<SimRecord> {
  const o = resolveOptions(options);
  const calendar = new WorkCalendar();
  const world = buildWorld(
    {
      units: o.units,
      platforms: o.platforms,
      idlePlatform: o.idlePlatform,
      unitDailyEventsMedian: o.unitDailyEventsMedian,
      firstDay: o.firstDay,
    },
    new Rng(o.seed, STREAM.world),
  );
  const seasonality = new Seasonality(calendar, o.firstDay, o.lastDay);
  const plan = planRun(o, world, calendar, seasonality);

  for (const evaluation of plan.evaluations.toSchema()) yield { kind: 'evaluation', evaluation };
  for (const label of plan.labels) yield { kind: 'label', label };

  const recorder = new Recorder(o.seed, plan.outages);
  const book = new MetricBook(o.seed, world.units, plan.injections, calendar, o.firstDay, o.lastDay);
  const sink = (e: SimEvent) => {
    book.count(e);
    recorder.add(e);
  };
  const sources = new Map(world.platforms.map((p) => [p.id, p.source]));
  const choosers = world.units.map(unitActions);
  let n = 0;
  const yieldEvents = function* (events: SimEvent[]): Generator<SimRecord> {
    for (const e of events) {
      yield { kind: 'event', event: toTraceEvent(e, `sim-${o.seed}-${n++}`, sources.get(e.platformId)!) };
    }
  };

  for (let day = o.firstDay; day <= o.lastDay; day++) {
    for (const unit of world.units) {
      unitDay(o, unit, day, plan.injections[unit.index]!, choosers[unit.index]!, calendar, seasonality, sink);
    }
    yield* yieldEvents(recorder.takeThrough(day));
    for (const metric of book.due(day)) yield { kind: 'metric', metric };
  }
  yield* yieldEvents(recorder.takeRest());
  for (const metric of book.rest()) yield { kind: 'metric', metric };
}

/** One unit's traces of one day: honest traffic shaped by the injections, then what they add. */
function unitDay(
  o: ResolvedOptions,
  unit: Unit,
  day: number,
  injections: readonly Injection[],
  chooseAction: ActionChooser,
  calendar: WorkCalendar,
  seasonality: Seasonality,
  sink: (e: SimEvent) => void,
): void {
  if (day < unit.activeFrom) return;
  let staffExpected = unit.staffDailyMean * seasonality.staffFactor(day);
  let publicExpected = unit.publicDailyMean * seasonality.publicFactor(day);
  for (const injection of injections) {
    if (injection.staffFactor) staffExpected *= injection.staffFactor(day);
    if (injection.publicFactor) publicExpected *= injection.publicFactor(day);
  }
  const ctx: UnitDayContext = {
    seed: o.seed,
    day,
    dayStart: localMidnight(day),
    rng: new Rng(o.seed, STREAM.traffic, unit.index, day),
    unit,
    calendar,
    seasonality,
    counters: { task: 0 },
    emit: sink,
  };
  if (injections.length === 0) {
    naturalUnitDay(ctx, staffExpected, publicExpected, noActorFactor, chooseAction);
    return;
  }
  // Scenarios draw from their own stream, apart from the honest traffic's.
  const scenarioCtx: UnitDayContext = {
    ...ctx,
    rng: new Rng(o.seed, STREAM.scenario, unit.index, day),
    emit: (e) => {
      for (const injection of injections) injection.transform?.(e, scenarioCtx);
      sink(e);
    },
  };
  const honestCtx: UnitDayContext = { ...ctx, emit: scenarioCtx.emit };
  const actorFactor = (actor: StaffActor) => {
    let f = 1;
    for (const injection of injections) if (injection.actorFactor) f *= injection.actorFactor(day, actor);
    return f;
  };
  naturalUnitDay(honestCtx, staffExpected, publicExpected, actorFactor, chooseAction);
  for (const injection of injections) injection.addEvents?.(scenarioCtx);
}
