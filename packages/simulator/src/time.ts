/**
 * Local-day arithmetic for the simulated zone, Asia/Shanghai (fixed UTC+8 since 1991, so a
 * fixed offset is exact). Days are numbered from 1970-01-01 so that they index arrays.
 */
export const UTC_OFFSET_MS = 8 * 3_600_000;
export const DAY_MS = 86_400_000;
export const HOUR_MS = 3_600_000;
export const MINUTE_MS = 60_000;

/** Local day number of an instant (epoch ms). */
export function localDayNumber(ms: number): number {
  return Math.floor((ms + UTC_OFFSET_MS) / DAY_MS);
}

/** Epoch ms of local midnight starting a day. */
export function localMidnight(day: number): number {
  return day * DAY_MS - UTC_OFFSET_MS;
}

/** YYYY-MM-DD of a day number. */
export function dayToIso(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** Day number of YYYY-MM-DD; throws on anything else. */
export function isoToDay(iso: string): number {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(iso)) throw new Error(`not a YYYY-MM-DD day: ${iso}`);
  const ms = Date.parse(`${iso}T00:00:00Z`);
  if (Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== iso)
    throw new Error(`not a calendar day: ${iso}`);
  return ms / DAY_MS;
}

/** ISO weekday of a day number: 1 = Monday … 7 = Sunday. */
export function isoWeekday(day: number): number {
  return ((((day + 3) % 7) + 7) % 7) + 1;
}

/** Months since year 0 (year·12 + month0) of a day: a key for monthly series. */
export function monthKey(day: number): number {
  const d = new Date(day * DAY_MS);
  return d.getUTCFullYear() * 12 + d.getUTCMonth();
}

/** First day number of a month key. */
export function monthStartDay(key: number): number {
  return Date.UTC(Math.floor(key / 12), key % 12, 1) / DAY_MS;
}

/** Last day number of a month key. */
export function monthEndDay(key: number): number {
  return monthStartDay(key + 1) - 1;
}

/** The first day number `months` months after a day (same day of month, clamped to the month's end). */
export function addMonths(day: number, months: number): number {
  const d = new Date(day * DAY_MS);
  const key = d.getUTCFullYear() * 12 + d.getUTCMonth() + months;
  return Math.min(monthStartDay(key) + d.getUTCDate() - 1, monthEndDay(key));
}

/** ISO 8601 (UTC, milliseconds) of an instant. */
export function isoInstant(ms: number): string {
  return new Date(ms).toISOString();
}
