/**
 * When people act: working hours with some spill, sessions of clustered events separated by
 * heavy-tailed gaps, and how long after the fact a trace reaches the platform.
 */
import type { WorkCalendar } from './calendar.js';
import { geometric, lognormal } from './distributions.js';
import type { Rng } from './random.js';
import { HOUR_MS, localDayNumber, localMidnight, MINUTE_MS } from './time.js';

const h = (hours: number) => hours * HOUR_MS;

/**
 * Where a staff session starts, ms after local midnight: 8:30–12:00 and 14:00–18:00 with
 * some early starts, lunch-time work and evening overtime.
 */
export function staffSessionStart(rng: Rng): number {
  const r = rng.next();
  if (r < 0.44) return rng.uniform(h(8.5), h(11.75));
  if (r < 0.88) return rng.uniform(h(14), h(17.6));
  if (r < 0.91) return rng.uniform(h(7.5), h(8.5));
  if (r < 0.95) return rng.uniform(h(12), h(14));
  return rng.uniform(h(18), h(21.5));
}

/** Where a public user's session starts: office hours and evenings. */
export function publicSessionStart(rng: Rng): number {
  const r = rng.next();
  if (r < 0.35) return rng.uniform(h(8), h(12));
  if (r < 0.7) return rng.uniform(h(13.5), h(18));
  if (r < 0.95) return rng.uniform(h(18), h(23));
  return rng.uniform(h(6), h(8));
}

/** Gap between consecutive events of a staff session: lognormal, median 70 s, heavy tail. */
export function staffGap(rng: Rng): number {
  return Math.max(2_000, lognormal(rng, 70_000, 1));
}

/** Gap between consecutive events of a public session: median 40 s. */
export function publicGap(rng: Rng): number {
  return Math.max(1_000, lognormal(rng, 40_000, 0.9));
}

/** Share of staff traces entered on a later day (补录 happens honestly too). */
export const LATE_RECORDING_SHARE = 0.015;

/**
 * When the platform records a staff trace: usually seconds to minutes after it (lognormal,
 * median 8 s, capped at 30 min); 1.5 % are entered 1–5+ working days late, in office hours.
 */
export function staffRecordedAt(rng: Rng, calendar: WorkCalendar, occurredAt: number): number {
  if (rng.chance(LATE_RECORDING_SHARE)) {
    const lateDays = 1 + geometric(rng, 0.5);
    const day = calendar.workingDayOnOrAfter(localDayNumber(occurredAt) + lateDays);
    return Math.max(occurredAt + HOUR_MS, localMidnight(day) + staffSessionStart(rng));
  }
  return occurredAt + Math.round(Math.min(30 * MINUTE_MS, Math.max(200, lognormal(rng, 8_000, 1.3))));
}

/** Public apps record at once: 50 ms to a few seconds. */
export function publicRecordedAt(rng: Rng, occurredAt: number): number {
  return occurredAt + Math.round(Math.min(60_000, Math.max(50, lognormal(rng, 400, 1))));
}
