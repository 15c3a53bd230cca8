/**
 * The deployment's local-day setting: a fixed offset from UTC, given as '+08:00' / '-05:30' /
 * 'UTC' or as an IANA zone name whose offset is fixed (e.g. 'Asia/Shanghai', 'Asia/Kolkata').
 * Detectors count local days with a fixed offset (no Intl on the hot path), so a zone with
 * daylight saving is refused with a message that says which offset to give instead.
 */

const OFFSET_PATTERN = /^(?:UTC|GMT)?([+-])(\d{1,2})(?::?(\d{2}))?$/i;

/** Offset in minutes east of UTC of `zone` at `ms`, from Intl (throws RangeError for unknown zones). */
function zoneOffsetAt(zone: string, ms: number): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  }).formatToParts(new Date(ms));
  const get = (type: string) => Number(parts.find((p) => p.type === type)!.value);
  const local = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'));
  return Math.round((local - Math.floor(ms / 60_000) * 60_000) / 60_000);
}

/**
 * Minutes east of UTC for a setting ('+08:00', '-0530', 'UTC', 'Asia/Shanghai').
 *
 * @param years the zone must keep one offset over these years (January and July of each), so
 *   daylight saving is caught; default 2024–2027, the calendar's years.
 * @throws RangeError naming the setting: malformed, beyond ±14:00, an unknown zone, or a zone
 *   whose offset changes (then the message lists the offsets seen).
 */
export function parseUtcOffset(setting: string, years: readonly number[] = [2024, 2025, 2026, 2027]): number {
  const text = setting.trim();
  if (/^(UTC|GMT|Z)$/i.test(text)) return 0;
  const m = OFFSET_PATTERN.exec(text);
  if (m) {
    const minutes = (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3] ?? 0));
    if (Number(m[3] ?? 0) >= 60 || Math.abs(minutes) > 14 * 60)
      throw new RangeError(`UTC offset ${JSON.stringify(setting)} is out of range (−14:00 … +14:00)`);
    return minutes;
  }
  let offsets: Set<number>;
  try {
    offsets = new Set(
      years.flatMap((y) => [Date.UTC(y, 0, 15, 12), Date.UTC(y, 6, 15, 12)]).map((ms) => zoneOffsetAt(text, ms)),
    );
  } catch {
    throw new RangeError(
      `${JSON.stringify(setting)} is neither a UTC offset (like +08:00) nor a known time zone name (like Asia/Shanghai)`,
    );
  }
  if (offsets.size !== 1) {
    const seen = [...offsets].sort((a, b) => a - b).map(formatUtcOffset);
    throw new RangeError(
      `time zone ${JSON.stringify(setting)} changes its offset (${seen.join(', ')}); local days use one fixed ` +
        'offset: give the one that fits the working days (e.g. the standard time)',
    );
  }
  return [...offsets][0]!;
}

/** '+08:00' for 480, '-05:30' for −330. */
export function formatUtcOffset(minutes: number): string {
  const abs = Math.abs(minutes);
  return `${minutes < 0 ? '-' : '+'}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}
