import { z } from 'zod';

/** How far ahead of the receiver's clock (or of the recording time) a claimed time may be. */
export const MAX_CLOCK_SKEW_MS = 5 * 60_000;
/** Timestamps outside this range are certainly wrong (and would not fit ClickHouse DateTime). */
export const MIN_INSTANT_MS = Date.UTC(2000, 0, 1);
export const MAX_INSTANT_MS = Date.UTC(2100, 0, 1);
/** Largest accepted message on any input topic, in bytes. */
export const MAX_MESSAGE_BYTES = 16 * 1024;

/** The smallest normal double: a number nearer to 0 (a subnormal) is stored as 0 by ClickHouse 18.16's parser. */
export const MIN_NORMAL_DOUBLE = 2.2250738585072014e-308;

/** 0, or a normal double (every number a store can hold as it is; subnormals it cannot). */
export const isStorableFloat = (x: number) => x === 0 || Math.abs(x) >= MIN_NORMAL_DOUBLE;

/** A finite number the store holds as sent: subnormals (0 < |x| < 2.2250738585072014e-308) are refused. */
export const storableFloat = () =>
  z
    .number()
    .finite()
    .refine(isStorableFloat, 'subnormal numbers (0 < |x| < 2.2250738585072014e-308) cannot be stored as sent');

/** Identifiers chosen by platforms: short, printable, no spaces or quotes. */
export const boundedId = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9._:-]+$/, 'ids may contain letters, digits and . _ : - only');

export const hashHex = (minLen: number, maxLen = minLen) =>
  z
    .string()
    .min(minLen)
    .max(maxLen)
    .regex(/^[0-9a-f]+$/, 'hashes are lower-case hex');

/** An instant as ISO 8601 with an explicit offset (Z or ±hh:mm), within a sane range. */
export const instant = z.iso.datetime({ offset: true }).refine((s) => {
  const ms = Date.parse(s);
  return ms >= MIN_INSTANT_MS && ms < MAX_INSTANT_MS;
}, 'timestamp outside 2000-01-01 .. 2100-01-01');

/** A calendar day, YYYY-MM-DD. */
export const calendarDay = z.iso.date();

/** The days a stored record may name (a Date column holds 1970..2149; the instants' range is narrower). */
export const MIN_STORED_DAY = '2000-01-01';
export const MAX_STORED_DAY = '2100-01-01';
/** A calendar day within MIN_STORED_DAY .. MAX_STORED_DAY (exclusive), e.g. a reported period's bounds. */
export const storedDay = calendarDay.refine(
  (d) => d >= MIN_STORED_DAY && d < MAX_STORED_DAY,
  'day outside 2000-01-01 .. 2100-01-01',
);
