import type { Notice, NoticeAnswer } from '@tracewatch/schema';

/** A notice that asked for an answer, got none, and whose deadline passed before `asOfMs`. */
export function isOverdue(notice: Notice, answers: readonly NoticeAnswer[], asOfMs: number): boolean {
  if (notice.asked === 'none' || notice.answerDeadline === null) return false;
  return answers.length === 0 && Date.parse(notice.answerDeadline) < asOfMs;
}

/** Overdue notices that were not overdue at `sinceMs`: the ones to raise now (each once per process). */
export function newlyOverdue<T extends { notice: Notice; answers: readonly NoticeAnswer[] }>(
  views: readonly T[],
  sinceMs: number,
  asOfMs: number,
): T[] {
  return views.filter((v) => isOverdue(v.notice, v.answers, asOfMs) && !isOverdue(v.notice, v.answers, sinceMs));
}
