/**
 * Milliseconds of an ISO instant by arithmetic instead of Date.parse (about 10× cheaper).
 *
 * Only for strings that already match zod's datetime grammar with offsets
 * (`YYYY-MM-DDTHH:MM:SS[.f+](Z|±HH:MM)`, see `z.iso.datetime({ offset: true })`): for every
 * such string it returns exactly what V8's Date.parse returns (iso-time.test.ts checks the
 * whole grammar, every day of 1999..2101, every offset, fractions of 0..40 digits). Up to 9
 * fraction digits V8 truncates to milliseconds, as done here. Beyond 9 it keeps 9
 * significant digits after skipping leading zeros, so ".0008000000" reads as 8 ms, not 0;
 * the schemas (Date.parse in zod's refine) take V8's reading, so such rare strings go to
 * Date.parse itself. Anything outside the grammar gives an unspecified number: check the
 * grammar first.
 */
export function isoInstantMs(s: string): number {
  const year = digits4(s, 0);
  const month = digits2(s, 5);
  const day = digits2(s, 8);
  const hour = digits2(s, 11);
  const minute = digits2(s, 14);
  const second = digits2(s, 17);
  let ms = 0;
  let i = 19;
  if (s.charCodeAt(i) === 46 /* . */) {
    i++;
    let scale = 100;
    for (let c = s.charCodeAt(i); c >= 48 && c <= 57; c = s.charCodeAt(++i)) {
      ms += (c - 48) * scale;
      scale = (scale / 10) | 0; // 100, 10, 1, then 0: digits past milliseconds are dropped
    }
    if (i > 29) return Date.parse(s); // more than 9 fraction digits: V8's own reading
  }
  const sign = s.charCodeAt(i);
  let offsetMin = 0;
  if (sign === 43 /* + */ || sign === 45 /* - */) {
    offsetMin = digits2(s, i + 1) * 60 + digits2(s, i + 4);
    if (sign === 43) offsetMin = -offsetMin; // +08:00 is ahead of UTC: subtract it
  }
  return (
    daysFromCivil(year, month, day) * 86_400_000 + hour * 3_600_000 + (minute + offsetMin) * 60_000 + second * 1000 + ms
  );
}

const digits2 = (s: string, i: number) => (s.charCodeAt(i) - 48) * 10 + (s.charCodeAt(i + 1) - 48);
const digits4 = (s: string, i: number) => digits2(s, i) * 100 + digits2(s, i + 2);

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
export function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}
