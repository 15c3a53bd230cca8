/**
 * Silences, as Alertmanager has them: a silenced alert is still stored and published, only
 * marked with the ids of the silences that match it. Pure: time is an argument.
 */
import type { FindingV1, Silence } from '@tracewatch/schema';

/** Whether `silence` is in force at `now` (wall clock): created, and not yet expired. */
export function silenceActive(silence: Silence, now: Date): boolean {
  const t = now.getTime();
  return Date.parse(silence.createdAt) <= t && t < Date.parse(silence.expiresAt);
}

/**
 * Whether an active `silence` covers a finding: its detector (null = any), and the scope
 * narrowed as far as the silence goes. A silence for org O covers O's alerts and its actors',
 * never a platform-wide alert of O's platform (that alert is about more than O).
 */
export function silenceMatches(silence: Silence, finding: Pick<FindingV1, 'detector' | 'scope'>, now: Date): boolean {
  if (!silenceActive(silence, now)) return false;
  if (silence.detector !== null && silence.detector !== finding.detector) return false;
  const { scope } = finding;
  if (silence.platformId !== null && silence.platformId !== scope.platformId) return false;
  if (silence.orgId !== null && silence.orgId !== scope.orgId) return false;
  if (silence.actorId !== null && silence.actorId !== scope.actorId) return false;
  return true;
}

/** The ids of the silences covering `finding` at `now`, sorted (a stable value to compare). */
export function matchingSilences(
  silences: readonly Silence[],
  finding: Pick<FindingV1, 'detector' | 'scope'>,
  now: Date,
): string[] {
  return silences
    .filter((s) => silenceMatches(s, finding, now))
    .map((s) => s.id)
    .sort();
}
