/**
 * Notice numbers: `YYYY-NNNNNN`, the local year of the notice's creation and a sequence that
 * starts at 1 each year. Unique and gap-free because one writer (the notifier's composer) takes
 * the year's highest stored sequence + 1 and stores the notice before taking the next: a crash
 * before the store leaves the number free for the next composition, one after it leaves the
 * number taken (see packages/notices/README.md).
 */
import { noticeNumberSchema } from '@tracewatch/schema';

export const MAX_SEQUENCE = 999_999;

/** The year of an instant in local time (minutes east of UTC). */
export function noticeYear(ms: number, utcOffsetMinutes: number): number {
  return new Date(ms + utcOffsetMinutes * 60_000).getUTCFullYear();
}

export function formatNoticeNumber(year: number, sequence: number): string {
  if (!Number.isInteger(sequence) || sequence < 1 || sequence > MAX_SEQUENCE)
    throw new RangeError(`notice sequence out of range 1..${MAX_SEQUENCE}: ${sequence}`);
  return noticeNumberSchema.parse(`${year}-${String(sequence).padStart(6, '0')}`);
}

export function parseNoticeNumber(number: string): { year: number; sequence: number } {
  const n = noticeNumberSchema.parse(number);
  return { year: Number(n.slice(0, 4)), sequence: Number(n.slice(5)) };
}

/** The number after the year's highest stored sequence (0 when the year has none). */
export function nextNoticeNumber(year: number, highestStoredSequence: number): string {
  return formatNoticeNumber(year, highestStoredSequence + 1);
}
