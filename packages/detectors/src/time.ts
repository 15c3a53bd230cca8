/**
 * Local days without Intl (too slow for the hot path). The default zone, Asia/Shanghai, has
 * had a fixed UTC+8 offset since 1991, so a fixed offset in minutes is exact for it.
 */
export const DEFAULT_UTC_OFFSET_MINUTES = 480;
export const DAY_MS = 86_400_000;

/** Days since 1970-01-01 in local time. */
export function localDayNumber(ms: number, offsetMinutes = DEFAULT_UTC_OFFSET_MINUTES): number {
  return Math.floor((ms + offsetMinutes * 60_000) / DAY_MS);
}

/**
 * A per-day memo of a pure function of the day number. Detectors ask for the same few hundred
 * days millions of times (one call per record), and formatting a date costs ~0.3 µs; the
 * table is cleared when it reaches `limit` days, so a long-running stream stays bounded.
 */
function memoByDay<T>(compute: (day: number) => T, limit = 8192): (day: number) => T {
  const memo = new Map<number, T>();
  return (day: number) => {
    let value = memo.get(day);
    if (value === undefined) {
      if (memo.size >= limit) memo.clear();
      value = compute(day);
      memo.set(day, value);
    }
    return value;
  };
}

/** YYYY-MM-DD of a local day number (memoised: the same string object for the same day). */
export const dayNumberToIso: (day: number) => string = memoByDay((day) =>
  new Date(day * DAY_MS).toISOString().slice(0, 10),
);

/** YYYY-MM of a local day number (memoised like dayNumberToIso). */
export const dayNumberToMonth: (day: number) => string = memoByDay((day) => dayNumberToIso(day).slice(0, 7));

export function isoToDayNumber(iso: string): number {
  return Math.floor(Date.parse(`${iso.slice(0, 10)}T00:00:00Z`) / DAY_MS);
}

/** Local calendar day (YYYY-MM-DD) of an instant. */
export function localDay(ms: number, offsetMinutes = DEFAULT_UTC_OFFSET_MINUTES): string {
  return dayNumberToIso(localDayNumber(ms, offsetMinutes));
}

/** ISO day of week of a local day number: 1 = Monday … 7 = Sunday. */
export function isoWeekday(day: number): number {
  return ((((day + 3) % 7) + 7) % 7) + 1;
}
