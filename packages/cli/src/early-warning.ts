/**
 * Measures the burst-rising early warning on a simulated world as the live service would see it:
 * events fed in recording order, the detector evaluated at the end of chosen days (asOf = that
 * day's end, only what was recorded by then fed).
 * - Lead time on the simulator's bursts: evaluated at the end of every day of their pre-windows;
 *   how many days before the evaluation began the warning was first raised.
 * - False alarms on every other pre-window: evaluated at the end of its last day. The chart and
 *   the rule only grow with the counts, and the days after an earlier day d of the window are
 *   pre-window days the profile and baseline leave out, so a window that alarmed on day d when
 *   judged that evening also alarms when judged at the window's end: this counts every false
 *   alarm the day-by-day service would raise (and those that only late recordings would cause).
 */
import {
  DEFAULT_UTC_OFFSET_MINUTES,
  DetectionEngine,
  type DetectorOptionsByName,
  dayNumberToIso,
  type EvaluateContext,
  evaluationStartDay,
  isoToDayNumber,
  type TestOutcome,
} from '@tracewatch/detectors';
import type { Evaluation, TraceEvent } from '@tracewatch/schema';
import { type Label, type SimulationOptions, simulate } from '@tracewatch/simulator';

const DAY_MS = 86_400_000;
const PRE_WINDOW_DAYS = 7;

export interface BurstLeadTime {
  label: Label;
  /** Whole days between the first warning and the evaluation's start; null when it never warned. */
  leadDays: number | null;
  /** Whether the warning was still standing (confirmed) once the window had closed. */
  confirmed: boolean;
}

export interface EarlyWarningReport {
  bursts: BurstLeadTime[];
  /** Pre-windows (unit × evaluation day) charted to their end that overlap no injected burst. */
  honestWindows: number;
  /** Of those, the windows on which a warning was raised on some day. */
  falseAlarms: number;
  /** The false alarms, as unit and window. */
  falseAlarmWindows: {
    orgId: string;
    period: { start: string; end: string };
    hardNegative: string | null;
    /** Whether burst-before-evaluation confirmed it once the window closed (a false burst finding). */
    confirmed: boolean;
  }[];
  events: number;
  evaluationsRun: number;
}

const isBurst = (l: Label) => l.scenario === 'burst-before-evaluation';
interface WindowScope {
  platformId: string;
  orgId?: string | undefined;
}
const windowKey = (scope: WindowScope, start: string) => JSON.stringify([scope.platformId, scope.orgId ?? '', start]);
const endOfDay = (day: number) => (day + 1) * DAY_MS - DEFAULT_UTC_OFFSET_MINUTES * 60_000;

/** The days to evaluate at: the last day of every pre-window, every day of the bursts' pre-windows. */
function checkpointDays(evaluations: readonly Evaluation[], bursts: readonly Label[]): number[] {
  const days = new Set<number>();
  for (const e of evaluations) days.add(evaluationStartDay(e) - 1);
  for (const l of bursts) {
    for (let d = isoToDayNumber(l.period.start); d <= isoToDayNumber(l.period.end); d++) days.add(d);
  }
  return [...days].sort((a, b) => a - b);
}

/**
 * Runs the simulation and the two burst detectors on it (see the module comment).
 * @returns lead times per burst label and the false-alarm count over honest pre-windows
 */
export function measureEarlyWarning(
  options: SimulationOptions,
  detectors: DetectorOptionsByName = {},
): EarlyWarningReport {
  const engine = new DetectionEngine({ enabled: ['burst-before-evaluation', 'burst-rising'], detectors });
  const rising = engine.detectors.find((d) => d.name === 'burst-rising')!;
  const evaluations: Evaluation[] = [];
  const labels: Label[] = [];
  const firstAlarm = new Map<string, number>(); // window key → leadDays at the first warning
  const charted = new Set<string>(); // windows charted through their last day
  let checkpoints: number[] | null = null;
  let next = 0;
  let events = 0;
  let evaluationsRun = 0;

  const evaluateAt = (day: number) => {
    const ctx: EvaluateContext = { asOf: endOfDay(day), evaluations, metrics: [] };
    evaluationsRun++;
    for (const outcome of rising.evaluate(ctx)) note(outcome, day);
  };
  const note = (outcome: TestOutcome, day: number) => {
    const key = windowKey(outcome.scope, outcome.period.start);
    if (outcome.period.end === dayNumberToIso(day)) charted.add(key);
    if (outcome.effectMet && !firstAlarm.has(key)) firstAlarm.set(key, outcome.statistics.leadDays ?? 0);
  };

  for (const record of simulate(options)) {
    if (record.kind === 'evaluation') evaluations.push(record.evaluation);
    else if (record.kind === 'label') labels.push(record.label);
    else if (record.kind === 'event') {
      checkpoints ??= checkpointDays(evaluations, labels.filter(isBurst));
      const recordedAt = Date.parse((record.event as TraceEvent).time);
      while (next < checkpoints.length && recordedAt >= endOfDay(checkpoints[next]!)) evaluateAt(checkpoints[next++]!);
      engine.observeEvent(record.event);
      events++;
    }
  }
  const lastDay = checkpoints?.at(-1);
  while (checkpoints && next < checkpoints.length) evaluateAt(checkpoints[next++]!);

  // confirmation: the findings once every window has closed
  const finalCtx: EvaluateContext = {
    asOf: endOfDay((lastDay ?? 0) + 1),
    evaluations,
    metrics: [],
  };
  const confirmed = new Set(
    engine
      .findings(finalCtx)
      .filter((f) => f.detector === 'burst-rising')
      .map((f) => windowKey(f.scope, f.period.start)),
  );

  const burstLabels = labels.filter(isBurst);
  const burstKeys = new Set(burstLabels.map((l) => windowKey(l.scope, l.period.start)));
  const hardNegatives = labels.filter((l) => l.kind === 'hard-negative');
  const falseAlarmWindows: EarlyWarningReport['falseAlarmWindows'] = [];
  let honestWindows = 0;
  const overlapsBurst = (platformId: string, orgId: string, start: string, end: string) =>
    burstLabels.some(
      (l) =>
        l.scope.platformId === platformId && l.scope.orgId === orgId && l.period.start <= end && start <= l.period.end,
    );
  for (const key of charted) {
    const [platformId, orgId, start] = JSON.parse(key) as [string, string, string];
    const end = dayNumberToIso(isoToDayNumber(start) + PRE_WINDOW_DAYS - 1);
    // another evaluation's window over the same burst is not an honest window
    if (burstKeys.has(key) || overlapsBurst(platformId, orgId, start, end)) continue;
    honestWindows++;
    if (!firstAlarm.has(key)) continue;
    const period = { start, end };
    // a hard negative (campaign, ramp-up, holiday, outage) of this unit or its platform overlapping the window
    const hardNegative = hardNegatives.find(
      (l) =>
        l.scope.platformId === platformId &&
        (l.scope.orgId === undefined || l.scope.orgId === orgId) &&
        l.period.start <= period.end &&
        period.start <= l.period.end,
    );
    falseAlarmWindows.push({
      orgId,
      period,
      hardNegative: hardNegative?.scenario ?? null,
      confirmed: confirmed.has(key),
    });
  }
  return {
    bursts: burstLabels.map((label) => {
      const key = windowKey(label.scope, label.period.start);
      return { label, leadDays: firstAlarm.get(key) ?? null, confirmed: confirmed.has(key) };
    }),
    honestWindows,
    falseAlarms: falseAlarmWindows.length,
    falseAlarmWindows,
    events,
    evaluationsRun,
  };
}
