import { localDayNumber } from '@tracewatch/detectors';

export interface LastEvaluation {
  /** Wall clock of the last evaluation (ms). */
  at: number;
  /** Watermark it was made at. */
  watermark: number;
}

/**
 * When to evaluate: at once when the watermark has entered a new local day since the last
 * evaluation (a day's windows just closed: their alerts should not wait for the timer), else
 * once `evaluateEveryMs` of wall clock (DETECTOR_EVALUATE_EVERY_MS) has passed and the watermark moved. A watermark that stands
 * still gives nothing new to judge, so no evaluation is spent on it.
 */
export function evaluationDue(
  watermark: number | null,
  last: LastEvaluation | null,
  now: number,
  options: { evaluateEveryMs: number; utcOffsetMinutes: number },
): 'day-closed' | 'interval' | null {
  if (watermark === null) return null;
  if (last === null) return 'interval';
  if (watermark <= last.watermark) return null;
  const day = (t: number) => localDayNumber(t, options.utcOffsetMinutes);
  if (day(watermark) > day(last.watermark)) return 'day-closed';
  return now - last.at >= options.evaluateEveryMs ? 'interval' : null;
}
