import type { Evaluation } from '@tracewatch/schema';
import { DEFAULT_UTC_OFFSET_MINUTES, localDayNumber } from './time.js';

/**
 * Whether an evaluation covers a unit: with an orgId only that org (of the given platform when
 * the evaluation names one), with a platformId only every org of that platform, with neither
 * every unit.
 */
export function evaluationCoversOrg(evaluation: Evaluation, platformId: string, orgId: string): boolean {
  if (evaluation.platformId !== undefined && evaluation.platformId !== platformId) return false;
  if (evaluation.orgId !== undefined && evaluation.orgId !== orgId) return false;
  return true;
}

/** Whether an evaluation covers a platform (its own or every platform). */
export function evaluationCoversPlatform(evaluation: Evaluation, platformId: string): boolean {
  return evaluation.platformId === undefined || evaluation.platformId === platformId;
}

/** Local day number of the evaluation's first day (day E). */
export function evaluationStartDay(evaluation: Evaluation, offsetMinutes = DEFAULT_UTC_OFFSET_MINUTES): number {
  return localDayNumber(Date.parse(evaluation.start), offsetMinutes);
}

/** Local day number of the evaluation's last day. */
export function evaluationEndDay(evaluation: Evaluation, offsetMinutes = DEFAULT_UTC_OFFSET_MINUTES): number {
  return localDayNumber(Date.parse(evaluation.end), offsetMinutes);
}

/** Epoch ms at which a local day ends (the start of the next local day). */
export function localDayEndMs(day: number, offsetMinutes = DEFAULT_UTC_OFFSET_MINUTES): number {
  return (day + 1) * 86_400_000 - offsetMinutes * 60_000;
}
