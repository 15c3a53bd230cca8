/**
 * What goes into which notice (pure: the time is an argument). Per owner: the alerts of its
 * platforms whose state differs from what the last notice to that owner said; critical ones in a
 * notice at once, the rest in a digest at the owner's next schedule slot.
 */
import {
  type Alert,
  type DigestSchedule,
  type NoticeItemChange,
  type RecipientConfigV1,
  zoneOffsetMs,
} from '@tracewatch/schema';
import type { NotifiedSnapshot, ReceivedAlert } from './repository.js';

/** An owner as the notifier sees it: the parts of its recipient configuration that decide notices. */
export type NoticeOwner = Pick<RecipientConfigV1, 'ownerId' | 'platformIds' | 'digest' | 'answerDays' | 'languages'>;

const OPEN_STATES: ReadonlySet<Alert['state']> = new Set(['open', 'acknowledged']);
const CLOSING: ReadonlySet<NoticeItemChange> = new Set(['dismissed', 'resolved', 'withdrawn']);

/**
 * What changed about `alert` since `last` (what the last notice to this owner said), or null
 * when there is nothing to tell: acknowledging is the operators' business, and an alert closed
 * before any notice mentioned it concerns no one. A silenced alert is not announced.
 */
export function classifyChange(last: NotifiedSnapshot | undefined, alert: Alert): NoticeItemChange | null {
  const { state } = alert;
  if (!last) {
    if (alert.silencedBy.length > 0) return null;
    if (OPEN_STATES.has(state)) return 'new';
    return state === 'confirmed' ? 'confirmed' : null;
  }
  if (alert.version <= last.alertVersion) return null;
  if (state !== last.alertState && !(OPEN_STATES.has(state) && OPEN_STATES.has(last.alertState))) {
    if (OPEN_STATES.has(state)) return 'reopened';
    return state as NoticeItemChange;
  }
  const { severity, period } = alert.finding;
  if (severity !== last.severity || period.start !== last.periodStart || period.end !== last.periodEnd)
    return 'updated';
  return null;
}

/** A change that cannot wait for the digest: a critical alert found, back, worse, or confirmed. */
export function isUrgent(alert: Alert, change: NoticeItemChange): boolean {
  return alert.finding.severity === 'critical' && !CLOSING.has(change);
}

const DAY_MS = 86_400_000;

/** Minutes east of UTC of an IANA zone at an instant. */
const zoneOffsetMinutes = (timeZone: string, ms: number) => Math.round(zoneOffsetMs(ms, timeZone) / 60_000);

/** The instant of a local wall time (a day as days since 1970-01-01, minutes into it) in a zone. */
function localToInstant(timeZone: string, day: number, minuteOfDay: number): number {
  const wall = day * DAY_MS + minuteOfDay * 60_000;
  const first = wall - zoneOffsetMinutes(timeZone, wall) * 60_000;
  return wall - zoneOffsetMinutes(timeZone, first) * 60_000; // again at the guess: DST edges
}

/**
 * The latest slot of the schedule at or before `nowMs`: daily at the local time of day, or
 * weekly on the weekday (1 = Monday .. 7) at it, in the schedule's time zone.
 */
export function digestSlot(schedule: DigestSchedule, nowMs: number): number {
  const [hh, mm] = schedule.timeOfDay.split(':').map(Number) as [number, number];
  const minuteOfDay = hh * 60 + mm;
  const today = Math.floor((nowMs + zoneOffsetMinutes(schedule.timeZone, nowMs) * 60_000) / DAY_MS);
  for (let day = today; day > today - 8; day--) {
    // 1970-01-01 was a Thursday (ISO weekday 4).
    const weekday = ((((day + 3) % 7) + 7) % 7) + 1;
    if (schedule.frequency === 'weekly' && weekday !== schedule.weekday) continue;
    const slot = localToInstant(schedule.timeZone, day, minuteOfDay);
    if (slot <= nowMs) return slot;
  }
  throw new Error('unreachable: a slot lies within the last eight days');
}

export interface PlannedEntry {
  alert: Alert;
  change: NoticeItemChange;
  changedAtMs: number;
}

export interface PlannedNotice {
  ownerId: string;
  kind: 'immediate' | 'digest';
  entries: PlannedEntry[];
  /** For a digest: the slot it stands for (stored so the next digest waits for the next slot). */
  slotMs: number | null;
}

const bySeverityThenScope = (a: PlannedEntry, b: PlannedEntry) =>
  (a.alert.finding.severity === b.alert.finding.severity ? 0 : a.alert.finding.severity === 'critical' ? -1 : 1) ||
  a.alert.finding.scope.platformId.localeCompare(b.alert.finding.scope.platformId) ||
  (a.alert.finding.scope.orgId ?? '').localeCompare(b.alert.finding.scope.orgId ?? '') ||
  a.alert.fingerprint.localeCompare(b.alert.fingerprint);

/**
 * The notices due for one owner at `nowMs`: one `immediate` with the urgent changes (if any),
 * and a `digest` with the others when the schedule's current slot is later than the last
 * digest's (`lastSlotMs`; undefined: no digest yet).
 */
export function planOwnerNotices(input: {
  owner: NoticeOwner;
  received: readonly ReceivedAlert[];
  notified: ReadonlyMap<string, NotifiedSnapshot>;
  lastSlotMs: number | undefined;
  nowMs: number;
}): PlannedNotice[] {
  const { owner } = input;
  const platforms = new Set(owner.platformIds);
  const urgent: PlannedEntry[] = [];
  const rest: PlannedEntry[] = [];
  for (const r of input.received) {
    if (!platforms.has(r.alert.finding.scope.platformId)) continue;
    const change = classifyChange(input.notified.get(r.alert.fingerprint), r.alert);
    if (change === null) continue;
    (isUrgent(r.alert, change) ? urgent : rest).push({ alert: r.alert, change, changedAtMs: r.changedAtMs });
  }
  const out: PlannedNotice[] = [];
  if (urgent.length > 0)
    out.push({ ownerId: owner.ownerId, kind: 'immediate', entries: urgent.sort(bySeverityThenScope), slotMs: null });
  const slot = digestSlot(owner.digest, input.nowMs);
  if (rest.length > 0 && (input.lastSlotMs === undefined || slot > input.lastSlotMs))
    out.push({ ownerId: owner.ownerId, kind: 'digest', entries: rest.sort(bySeverityThenScope), slotMs: slot });
  return out;
}

/** Splits a long list into notices of at most `max` items (a notice holds at most 1000). */
export function chunkEntries<T>(entries: readonly T[], max: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < entries.length; i += max) out.push(entries.slice(i, i + max));
  return out;
}
