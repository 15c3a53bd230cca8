/**
 * Epoch milliseconds of an ISO 8601 timestamp, as Date.parse gives them, but two to three times
 * faster for the forms exports use: `YYYY-MM-DDTHH:MM:SS[.sss](Z|±HH:MM)` (measured: 60 ns
 * against 130–175 ns), and an event has two to four timestamps.
 */

const DIGIT_0 = 48;

/** The decimal value of `count` digits at `at`, or −1 when one is not a digit. */
function digits(text: string, at: number, count: number): number {
  let value = 0;
  for (let i = at; i < at + count; i++) {
    const d = text.charCodeAt(i) - DIGIT_0;
    if (d < 0 || d > 9) return -1;
    value = value * 10 + d;
  }
  return value;
}

function daysInMonth(year: number, month: number): number {
  if (month !== 2) return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
}

/**
 * Parses a timestamp.
 *
 * @param text any string (a non-string, from unchecked JSON, goes to Date.parse as well).
 * @returns what Date.parse(text) returns: the fast path reads only well-formed timestamps of the
 *   form above with years 0100–9999 and fields in range (whose value is then unambiguous), and
 *   hands every other string to Date.parse itself; NaN when it cannot be parsed.
 */
export function parseInstant(text: string): number {
  if (typeof text !== 'string') return Date.parse(text);
  const n = text.length;
  if (n < 20 || n > 29) return Date.parse(text);
  if (
    text.charCodeAt(4) !== 45 || // -
    text.charCodeAt(7) !== 45 ||
    text.charCodeAt(10) !== 84 || // T
    text.charCodeAt(13) !== 58 || // :
    text.charCodeAt(16) !== 58
  )
    return Date.parse(text);
  const year = digits(text, 0, 4);
  const month = digits(text, 5, 2);
  const day = digits(text, 8, 2);
  const hour = digits(text, 11, 2);
  const minute = digits(text, 14, 2);
  const second = digits(text, 17, 2);
  if (year < 100 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return Date.parse(text);
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) return Date.parse(text);
  let at = 19;
  let ms = 0;
  if (text.charCodeAt(at) === 46) {
    // exactly three fraction digits (other lengths: Date.parse decides)
    ms = digits(text, 20, 3);
    if (ms < 0) return Date.parse(text);
    at = 23;
  }
  let offsetMinutes = 0;
  const zone = text.charCodeAt(at);
  if (zone === 90 && n === at + 1) {
    // Z
  } else if ((zone === 43 || zone === 45) && n === at + 6 && text.charCodeAt(at + 3) === 58) {
    const oh = digits(text, at + 1, 2);
    const om = digits(text, at + 4, 2);
    if (oh < 0 || oh > 23 || om < 0 || om > 59) return Date.parse(text);
    offsetMinutes = (zone === 43 ? 1 : -1) * (oh * 60 + om);
  } else return Date.parse(text);
  return Date.UTC(year, month - 1, day, hour, minute, second, ms) - offsetMinutes * 60_000;
}
