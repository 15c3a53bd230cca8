import type { Notice, NoticeAnswer } from '@tracewatch/schema';

/** A notice that asked for an answer, got none, and whose deadline passed before `asOfMs`. */
export function isOverdue(notice: Notice, answers: readonly NoticeAnswer[], asOfMs: number): boolean {
  if (notice.asked === 'none' || notice.answerDeadline === null) return false;
  return answers.length === 0 && Date.parse(notice.answerDeadline) < asOfMs;
}
