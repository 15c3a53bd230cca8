import { localDayNumber } from '@tracewatch/detectors';

export interface LastEvaluation {
  /** Wall clock of the last evaluation (ms). */
  at: number;
  /** Watermark it was made at. */
  watermark: number;
}

/**
 * When to evaluate: at once when the watermark has entered a new local day since the last
 * evaluation and the stream is caught up (a day's windows just closed: their alerts should
 * not wait for the timer), else
 * once `evaluateEveryMs` of wall clock (DETECTOR_EVALUATE_EVERY_MS) has passed and the watermark moved. A watermark that stands
 * still gives nothing new to judge, so no evaluation is spent on it.
 */
export function evaluationDue(
  watermark: number | null,
  last: LastEvaluation | null,
  now: number,
  options: { evaluateEveryMs: number; utcOffsetMinutes: number },
  caughtUp = true,
): 'day-closed' | 'interval' | null {
  if (watermark === null) return null;
  if (last === null) return 'interval';
  if (watermark <= last.watermark) return null;
  const day = (t: number) => localDayNumber(t, options.utcOffsetMinutes);
  // While catching up (a rebuild's tail, a backlog) the watermark crosses many days a second:
  // judging at each would cost a full run per day; the interval alone paces them then.
  if (caughtUp && day(watermark) > day(last.watermark)) return 'day-closed';
  return now - last.at >= options.evaluateEveryMs ? 'interval' : null;
}
