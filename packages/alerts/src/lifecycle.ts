/**
 * The lifecycle of an alert: one command in, at most one change out. Pure (no I/O, time is an
 * argument), so the keeper and the tests run the very same rules.
 *
 * States (operators move them; `withdrawn` is the system's):
 *   open → acknowledged | resolved | dismissed | confirmed
 *   acknowledged → resolved | dismissed | confirmed
 *   resolved | dismissed | confirmed → open (re-open, a note required)
 *   dismissed (a false alarm) needs a note giving the reason.
 * The system (finding / withdraw commands):
 *   - a finding for a new fingerprint creates the alert, open;
 *   - a recurring finding updates the alert but is published only when something material
 *     changed (statistics, p, q, score, severity, evidence, explanation, corroboration, the
 *     silences that match) or lastSeenAt moved ≥ `republishAfterMs` of stream time: the
 *     detector re-sends the same findings every evaluation and that must not churn the topic;
 *   - a resolved alert keeps the finding it was resolved with; a finding that comes back
 *     stronger than that one (lower p; higher score for rules without p) re-opens it; a weaker
 *     one only advances lastSeenAt;
 *   - withdraw (the finding no longer holds) moves open/acknowledged to withdrawn; a finding
 *     from a later evaluation (asOf after lastSeenAt) re-opens it: the system takes back its
 *     own withdrawal (a stronger finding is a case of that);
 *   - dismissed and confirmed are operators' verdicts: a recurring finding updates their data,
 *     never their state;
 *   - a finding older (asOf) than the alert's lastSeenAt is stale (a replay, or an instance that
 *     lost its partition) and changes nothing.
 * Severity does not flap: once critical, an alert stays critical until `criticalHold`
 * consecutive findings, each from a later evaluation (asOf) than the one before, say warning;
 * any critical finding in between starts the count again. A re-opened alert starts from the
 * finding that re-opened it.
 * Idempotency: a command id the alert already applied is a no-op (`duplicate`).
 */
import { createHash } from 'node:crypto';
import {
  ALERT_SCHEMA_VERSION,
  type Alert,
  type AlertChange,
  type AlertCommand,
  type AlertState,
  type FindingV1,
  type OPERATOR_STATES,
  type Silence,
} from '@tracewatch/schema';
import { matchingSilences } from './silences.js';

export type OperatorState = (typeof OPERATOR_STATES)[number];
export type LifecycleErrorCode = 'conflict' | 'invalid-transition' | 'unknown-alert' | 'invalid';

export interface LifecycleError {
  code: LifecycleErrorCode;
  message: string;
}

export interface LifecycleOptions {
  /** Warning findings in a row (from later evaluations) that lower a critical alert. @default 3 */
  criticalHold?: number;
  /** Stream time after which an unchanged recurring finding is published again. @default 1 day */
  republishAfterMs?: number;
  /** Command ids remembered per alert for idempotency. @default 32 */
  rememberCommands?: number;
}

export const LIFECYCLE_DEFAULTS: Required<LifecycleOptions> = {
  criticalHold: 3,
  republishAfterMs: 86_400_000,
  rememberCommands: 32,
};

/**
 * What the lifecycle remembers of an alert beyond the alert itself. Kept by the keeper in
 * memory; the command ids are rebuilt from alert_history on start, the warning count is not
 * (after a restart a critical alert waits for `criticalHold` fresh warnings again).
 */
export interface AlertMemo {
  /** Warning findings in a row while the alert is held at critical. */
  warningStreak: number;
  /** The asOf of the last finding counted in `warningStreak`. */
  streakAsOf: string | null;
  /** The latest command ids applied to this alert, newest last. */
  recentCommandIds: string[];
}

export const emptyMemo = (): AlertMemo => ({ warningStreak: 0, streakAsOf: null, recentCommandIds: [] });

export type ApplyResult =
  | { change: AlertChange | null; memo: AlertMemo; duplicate: boolean }
  | { error: LifecycleError };

/** Where an operator may move an alert from each state. */
export const OPERATOR_MOVES: Record<AlertState, readonly OperatorState[]> = {
  open: ['acknowledged', 'resolved', 'dismissed', 'confirmed'],
  acknowledged: ['resolved', 'dismissed', 'confirmed'],
  resolved: ['open'],
  dismissed: ['open'],
  confirmed: ['open'],
  withdrawn: [],
};

/** States in which the alert asks for attention. */
export const ACTIVE_STATES: readonly AlertState[] = ['open', 'acknowledged'];

/** State names for people, in both languages (the CLI and messages use them). */
export const STATE_LABELS: Record<AlertState, { 'zh-CN': string; en: string }> = {
  open: { 'zh-CN': '待处理', en: 'open' },
  acknowledged: { 'zh-CN': '已确认收到', en: 'acknowledged' },
  resolved: { 'zh-CN': '已解决', en: 'resolved' },
  dismissed: { 'zh-CN': '已驳回(误报)', en: 'dismissed' },
  confirmed: { 'zh-CN': '已认定(造假属实)', en: 'confirmed' },
  withdrawn: { 'zh-CN': '已撤回', en: 'withdrawn' },
};

/** A change id derived from the command id: one command, one change, the same on a replay. */
export function changeIdOf(commandId: string): string {
  return `chg-${createHash('sha256').update(commandId).digest('hex').slice(0, 32)}`;
}

/** The alert a command is about. */
export const commandFingerprint = (command: AlertCommand): string =>
  command.kind === 'finding' ? command.finding.fingerprint : command.fingerprint;

/** JSON with object keys sorted, so that equal values compare equal whatever their key order. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)))
      : v,
  );
}

/** The parts of a finding whose change is worth publishing (lastSeenAt aside). */
function materialPart(f: FindingV1): string {
  return canonical([
    f.statistics,
    f.pValue,
    f.qValue,
    f.score,
    f.severity,
    f.evidence,
    f.explanation,
    [...f.corroboratedBy].sort(),
  ]);
}

/** Stronger evidence: a lower p-value, or for rules without one (scores) a higher score. */
export function strongerThan(next: FindingV1, reference: FindingV1): boolean {
  if (next.pValue !== null && reference.pValue !== null) return next.pValue < reference.pValue;
  return next.score > reference.score;
}

function strength(f: FindingV1): string {
  return f.pValue !== null ? `p ${f.pValue.toPrecision(2)}` : `score ${f.score.toPrecision(3)}`;
}

/** Detector, rule, scope and period: what the fingerprint stands for. */
const identity = (f: FindingV1) => canonical([f.detector, f.rule, f.scope, f.period]);

function remember(memo: AlertMemo, commandId: string, keep: number): string[] {
  return [...memo.recentCommandIds, commandId].slice(-keep);
}

/** The severity the alert shows after `finding`, with the warning count (see the header). */
function heldSeverity(
  current: Alert,
  finding: FindingV1,
  asOf: string,
  memo: AlertMemo,
  hold: number,
): { severity: FindingV1['severity']; warningStreak: number; streakAsOf: string | null } {
  if (current.finding.severity !== 'critical' || finding.severity !== 'warning')
    return { severity: finding.severity, warningStreak: 0, streakAsOf: null };
  const later = memo.streakAsOf === null || Date.parse(asOf) > Date.parse(memo.streakAsOf);
  const streak = later ? memo.warningStreak + 1 : memo.warningStreak;
  if (streak >= hold) return { severity: 'warning', warningStreak: 0, streakAsOf: null };
  return { severity: 'critical', warningStreak: streak, streakAsOf: later ? asOf : memo.streakAsOf };
}

const err = (code: LifecycleErrorCode, message: string): ApplyResult => ({ error: { code, message } });

/**
 * Applies one command to the current state of its alert (undefined: no alert yet).
 * `activeSilences` may hold expired ones: matching checks expiry at `now` (wall clock), which is
 * also the time of the change. Returns the change (null: nothing to publish) and the memo to
 * keep, or an error naming what was wrong.
 */
export function applyCommand(
  current: Alert | undefined,
  command: AlertCommand,
  activeSilences: readonly Silence[],
  now: Date,
  context: { memo?: AlertMemo; options?: LifecycleOptions } = {},
): ApplyResult {
  const options = { ...LIFECYCLE_DEFAULTS, ...context.options };
  const memo = context.memo ?? emptyMemo();
  const fingerprint = commandFingerprint(command);
  if (current && current.fingerprint !== fingerprint)
    return err('invalid', `command for ${fingerprint} applied to alert ${current.fingerprint}`);
  if (memo.recentCommandIds.includes(command.commandId)) return { change: null, memo, duplicate: true };

  const at = now.toISOString();
  const accepted = (
    next: Omit<Alert, 'version' | 'updatedAt' | 'updatedBy' | 'schemaVersion' | 'fingerprint' | 'silencedBy'>,
    kind: AlertChange['kind'],
    note: string,
    memoNext: Omit<AlertMemo, 'recentCommandIds'>,
  ): ApplyResult => {
    const alert: Alert = {
      schemaVersion: ALERT_SCHEMA_VERSION,
      fingerprint,
      ...next,
      version: (current?.version ?? 0) + 1,
      updatedAt: at,
      updatedBy: command.by,
      silencedBy: matchingSilences(activeSilences, next.finding, now),
    };
    const change: AlertChange = {
      schemaVersion: ALERT_SCHEMA_VERSION,
      changeId: changeIdOf(command.commandId),
      commandId: command.commandId,
      fingerprint,
      version: alert.version,
      kind,
      from: current?.state ?? null,
      to: alert.state,
      at,
      by: command.by,
      note,
      alert,
    };
    return {
      change,
      memo: { ...memoNext, recentCommandIds: remember(memo, command.commandId, options.rememberCommands) },
      duplicate: false,
    };
  };
  /** Applied, nothing to publish (the command id is still remembered). */
  const unchanged = (memoNext: Omit<AlertMemo, 'recentCommandIds'> = memo): ApplyResult => ({
    change: null,
    memo: { ...memoNext, recentCommandIds: remember(memo, command.commandId, options.rememberCommands) },
    duplicate: false,
  });

  switch (command.kind) {
    case 'finding': {
      const { finding, asOf } = command;
      if (!current)
        return accepted({ state: 'open', finding, firstSeenAt: asOf, lastSeenAt: asOf }, 'created', '', {
          warningStreak: 0,
          streakAsOf: null,
        });
      if (identity(finding) !== identity(current.finding))
        return err(
          'invalid',
          `finding ${fingerprint} names ${finding.detector}/${finding.rule} on another scope or period than its alert (${current.finding.detector}/${current.finding.rule}): a fingerprint collision`,
        );
      if (Date.parse(asOf) < Date.parse(current.lastSeenAt)) return unchanged();
      const seen = { firstSeenAt: current.firstSeenAt, lastSeenAt: asOf };
      const reopen = (note: string) =>
        accepted({ state: 'open', finding, ...seen }, 'transition', note, { warningStreak: 0, streakAsOf: null });
      if (current.state === 'withdrawn') {
        // Only a later evaluation than the last that saw it: the same one re-sent is no news.
        if (Date.parse(asOf) <= Date.parse(current.lastSeenAt)) return unchanged();
        return reopen(`发现再次成立，重新打开 / the finding holds again (${strength(finding)}): re-opened`);
      }
      if (current.state === 'resolved' && strongerThan(finding, current.finding))
        return reopen(
          `已解决的告警再次出现且更强，重新打开 / came back stronger than when resolved (${strength(finding)} vs ${strength(current.finding)}): re-opened`,
        );
      // Resolved (and not stronger): the finding it was resolved with stays, as the reference.
      const held =
        current.state === 'resolved'
          ? { severity: current.finding.severity, warningStreak: 0, streakAsOf: null }
          : heldSeverity(current, finding, asOf, memo, options.criticalHold);
      const nextFinding: FindingV1 =
        current.state === 'resolved' ? current.finding : { ...finding, severity: held.severity };
      const streak = { warningStreak: held.warningStreak, streakAsOf: held.streakAsOf };
      const material =
        materialPart(nextFinding) !== materialPart(current.finding) ||
        canonical(matchingSilences(activeSilences, nextFinding, now)) !== canonical(current.silencedBy);
      const aged = Date.parse(asOf) - Date.parse(current.lastSeenAt) >= options.republishAfterMs;
      if (!material && !aged) return unchanged(streak);
      return accepted({ state: current.state, finding: nextFinding, ...seen }, 'updated', '', streak);
    }
    case 'withdraw': {
      if (!current) return err('unknown-alert', `no alert ${fingerprint} to withdraw`);
      if (!ACTIVE_STATES.includes(current.state)) return unchanged();
      return accepted(
        {
          state: 'withdrawn',
          finding: current.finding,
          firstSeenAt: current.firstSeenAt,
          lastSeenAt: current.lastSeenAt,
        },
        'transition',
        command.reason,
        { warningStreak: 0, streakAsOf: null },
      );
    }
    case 'transition': {
      if (!current) return err('unknown-alert', `no alert ${fingerprint}`);
      if (command.expectedVersion !== current.version)
        return err(
          'conflict',
          `alert ${fingerprint} changed since version ${command.expectedVersion}: it is at version ${current.version}, ${current.state}, changed by ${current.updatedBy} at ${current.updatedAt}; look at it again and retry`,
        );
      if (!OPERATOR_MOVES[current.state].includes(command.to)) {
        const allowed = OPERATOR_MOVES[current.state];
        return err(
          'invalid-transition',
          `alert ${fingerprint} is ${current.state} (${STATE_LABELS[current.state]['zh-CN']}): it cannot become ${command.to}; ${
            allowed.length > 0
              ? `from ${current.state} it may become ${allowed.join(' or ')}`
              : 'it re-opens by itself when its finding holds again'
          }`,
        );
      }
      if ((command.to === 'dismissed' || command.to === 'open') && command.note.trim() === '')
        return err(
          'invalid',
          command.to === 'dismissed'
            ? `dismissing alert ${fingerprint} needs a note giving the reason it is a false alarm`
            : `re-opening alert ${fingerprint} needs a note saying why`,
        );
      return accepted(
        {
          state: command.to,
          finding: current.finding,
          firstSeenAt: current.firstSeenAt,
          lastSeenAt: current.lastSeenAt,
        },
        'transition',
        command.note,
        // Re-opened by an operator: the severity rule starts again from the finding.
        command.to === 'open' ? { warningStreak: 0, streakAsOf: null } : memo,
      );
    }
  }
}
