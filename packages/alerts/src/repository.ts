/**
 * The alert tables in ClickHouse (migration 010): what the keeper writes from the `alerts`
 * topic, what the CLI and the API read. Every value reaches SQL through the store's escaping
 * helpers; rows come back through the zod schemas (a row that fails them is an error, not a
 * silently wrong alert).
 */
import { randomBytes } from 'node:crypto';
import {
  ALERT_SCHEMA_VERSION,
  type Alert,
  type AlertChange,
  type AlertState,
  alertSchema,
  type SEVERITIES,
  type Silence,
  silenceSchema,
} from '@tracewatch/schema';
import {
  type Store,
  selectRows,
  sqlDateTime,
  sqlIdentifier,
  sqlNumber,
  sqlString,
  sqlStringList,
} from '@tracewatch/store';

export const ALERT_TABLES = {
  alerts: 'alerts',
  history: 'alert_history',
  silences: 'silences',
  commandResults: 'alert_command_results',
  progress: 'alert_keeper_progress',
} as const;

/** Reads of ReplacingMergeTree tables with FINAL: no condition may run before the merge. */
const FINAL_SETTINGS = { optimize_move_to_prewhere: 0 };

const table = (store: Store, name: (typeof ALERT_TABLES)[keyof typeof ALERT_TABLES]) =>
  `${sqlIdentifier(store.database)}.${sqlIdentifier(name)}`;

const seconds = (iso: string) => Math.floor(Date.parse(iso) / 1000);

async function insertRows(store: Store, name: (typeof ALERT_TABLES)[keyof typeof ALERT_TABLES], rows: object[]) {
  if (rows.length === 0) return;
  await store.client.insert({ table: table(store, name), values: rows, format: 'JSONEachRow' });
}

/** The `alerts` row of an alert (filter columns + the alert as JSON). */
export function alertRow(alert: Alert, topicPartition: number) {
  const { finding } = alert;
  return {
    fingerprint: alert.fingerprint,
    topic_partition: topicPartition,
    state: alert.state,
    severity: finding.severity,
    detector: finding.detector,
    rule: finding.rule,
    platform_id: finding.scope.platformId,
    org_id: finding.scope.orgId ?? '',
    actor_id: finding.scope.actorId ?? '',
    period_start: finding.period.start,
    period_end: finding.period.end,
    first_seen_at: seconds(alert.firstSeenAt),
    last_seen_at: seconds(alert.lastSeenAt),
    updated_at: seconds(alert.updatedAt),
    updated_by: alert.updatedBy,
    silenced: alert.silencedBy.length > 0 ? 1 : 0,
    version: alert.version,
    alert: JSON.stringify(alert),
  };
}

/** An alert read back from its row's JSON, through the schema. */
export function alertFromRow(row: { alert: string }): Alert {
  const parsed = alertSchema.safeParse(JSON.parse(row.alert));
  if (!parsed.success) throw new Error(`an alerts row fails the alert schema: ${parsed.error.message}`);
  return parsed.data;
}

/** A change as it sits on the alerts topic, with where it sits. */
export interface PlacedChange {
  change: AlertChange;
  partition: number;
  offset: string;
}

/** Writes changes (history rows, and each alert's latest state). Idempotent. */
export async function writeChanges(store: Store, changes: readonly PlacedChange[]): Promise<void> {
  if (changes.length === 0) return;
  const latest = new Map<string, PlacedChange>();
  for (const c of changes) {
    const prev = latest.get(c.change.fingerprint);
    if (!prev || prev.change.version < c.change.version) latest.set(c.change.fingerprint, c);
  }
  await insertRows(
    store,
    ALERT_TABLES.history,
    changes.map(({ change, partition, offset }) => ({
      fingerprint: change.fingerprint,
      version: change.version,
      change_id: change.changeId,
      command_id: change.commandId,
      kind: change.kind,
      from_state: change.from ?? '',
      to_state: change.to,
      at: seconds(change.at),
      by: change.by,
      note: change.note,
      topic_partition: partition,
      topic_offset: Number(offset),
    })),
  );
  await insertRows(
    store,
    ALERT_TABLES.alerts,
    [...latest.values()].map(({ change, partition }) => alertRow(change.alert, partition)),
  );
}

export type CommandOutcome = 'accepted' | 'conflict' | 'invalid' | 'unknown-alert';

export interface CommandResult {
  commandId: string;
  fingerprint: string;
  kind: string;
  outcome: CommandOutcome;
  message: string;
  /** The alert's version after the command (0: there is no alert). */
  version: number;
  /** The change it caused ('' when none was needed). */
  changeId: string;
}

export async function writeCommandResults(store: Store, results: readonly CommandResult[]): Promise<void> {
  const now = Date.now();
  await insertRows(
    store,
    ALERT_TABLES.commandResults,
    results.map((r) => ({
      command_id: r.commandId,
      fingerprint: r.fingerprint,
      kind: r.kind,
      outcome: r.outcome,
      message: r.message,
      version: r.version,
      change_id: r.changeId,
      recorded_ms: now,
    })),
  );
}

export async function getCommandResult(store: Store, commandId: string): Promise<CommandResult | undefined> {
  const rows = await selectRows<{
    fingerprint: string;
    kind: string;
    outcome: CommandOutcome;
    message: string;
    version: number;
    change_id: string;
  }>(
    store,
    `SELECT fingerprint, kind, outcome, message, version, change_id FROM ${table(store, ALERT_TABLES.commandResults)} FINAL
     WHERE command_id = ${sqlString(commandId)}`,
    FINAL_SETTINGS,
  );
  const r = rows[0];
  return r && { commandId, ...r, version: Number(r.version), changeId: r.change_id };
}

export class CommandTimeoutError extends Error {
  override name = 'CommandTimeoutError';
}

/**
 * Waits for the keeper's answer to a command (polling ClickHouse). Throws CommandTimeoutError
 * when none came within `timeoutMs`: the keeper is not running, or is behind.
 */
export async function awaitCommandResult(
  store: Store,
  commandId: string,
  opts: { timeoutMs: number; pollMs?: number },
): Promise<CommandResult> {
  const until = Date.now() + opts.timeoutMs;
  for (;;) {
    const result = await getCommandResult(store, commandId);
    if (result) return result;
    if (Date.now() >= until)
      throw new CommandTimeoutError(
        `the alert keeper did not answer command ${commandId} within ${opts.timeoutMs} ms (is the detector service running?)`,
      );
    await new Promise((r) => setTimeout(r, opts.pollMs ?? 200));
  }
}

/** Per alerts-topic partition: the offset after the last change written to ClickHouse. */
export async function readProgress(store: Store, topic: string): Promise<Map<number, bigint>> {
  const rows = await selectRows<{ topic_partition: number; next_offset: number | string }>(
    store,
    `SELECT topic_partition, next_offset FROM ${table(store, ALERT_TABLES.progress)} FINAL WHERE topic = ${sqlString(topic)}`,
    FINAL_SETTINGS,
  );
  return new Map(rows.map((r) => [Number(r.topic_partition), BigInt(r.next_offset)]));
}

export async function writeProgress(store: Store, topic: string, partition: number, nextOffset: bigint): Promise<void> {
  await insertRows(store, ALERT_TABLES.progress, [
    {
      topic,
      topic_partition: partition,
      next_offset: Number(nextOffset),
      updated_at: Math.floor(Date.now() / 1000),
    },
  ]);
}

export interface AlertFilter {
  state?: AlertState | undefined;
  detector?: string | undefined;
  severity?: (typeof SEVERITIES)[number] | undefined;
  platformId?: string | undefined;
  orgId?: string | undefined;
  /** Only alerts of these platforms (a caller's scope; empty: none). Absent: every platform. */
  platformIds?: readonly string[] | undefined;
  /** Alerts whose period ends on or after this day (YYYY-MM-DD)... */
  from?: string | undefined;
  /** ...and starts on or before this one. */
  to?: string | undefined;
  limit: number;
  offset?: number | undefined;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** The WHERE clause of a filter (values escaped; days checked, they go into toDate). */
export function alertFilterSql(filter: Omit<AlertFilter, 'limit' | 'offset'>): string {
  const where = ['1'];
  if (filter.state) where.push(`state = ${sqlString(filter.state)}`);
  if (filter.detector) where.push(`detector = ${sqlString(filter.detector)}`);
  if (filter.severity) where.push(`severity = ${sqlString(filter.severity)}`);
  if (filter.platformId) where.push(`platform_id = ${sqlString(filter.platformId)}`);
  if (filter.orgId) where.push(`org_id = ${sqlString(filter.orgId)}`);
  if (filter.platformIds)
    where.push(filter.platformIds.length > 0 ? `platform_id IN ${sqlStringList(filter.platformIds)}` : '0');
  for (const [day, cond] of [
    [filter.from, 'period_end >='],
    [filter.to, 'period_start <='],
  ] as const) {
    if (day === undefined) continue;
    if (!DAY.test(day)) throw new RangeError(`not a day (YYYY-MM-DD): ${JSON.stringify(day)}`);
    where.push(`${cond} toDate(${sqlString(day)})`);
  }
  return where.join(' AND ');
}

/** Current alerts, newest change first. */
export async function listAlerts(store: Store, filter: AlertFilter): Promise<Alert[]> {
  const rows = await selectRows<{ alert: string }>(
    store,
    `SELECT alert FROM ${table(store, ALERT_TABLES.alerts)} FINAL WHERE ${alertFilterSql(filter)}
     ORDER BY updated_at DESC, fingerprint LIMIT ${sqlNumber(filter.offset ?? 0)}, ${sqlNumber(filter.limit)}`,
    FINAL_SETTINGS,
  );
  return rows.map(alertFromRow);
}

/** How many current alerts match (for paging). */
export async function countAlerts(store: Store, filter: Omit<AlertFilter, 'limit' | 'offset'>): Promise<number> {
  const rows = await selectRows<{ n: number | string }>(
    store,
    `SELECT count() AS n FROM ${table(store, ALERT_TABLES.alerts)} FINAL WHERE ${alertFilterSql(filter)}`,
    FINAL_SETTINGS,
  );
  return Number(rows[0]?.n ?? 0);
}

/**
 * The same filter as `alertFilterSql`, on an alert in memory (the live stream uses it). For a
 * change, pass the state it came from as `previousState`: it matches a state filter when either
 * end does, so a reader watching "open" alerts also sees one leave.
 */
export function alertMatches(
  alert: Alert,
  filter: Omit<AlertFilter, 'limit' | 'offset'>,
  previousState?: AlertState | null,
): boolean {
  const { finding } = alert;
  if (filter.state && alert.state !== filter.state && previousState !== filter.state) return false;
  if (filter.detector && finding.detector !== filter.detector) return false;
  if (filter.severity && finding.severity !== filter.severity) return false;
  if (filter.platformId && finding.scope.platformId !== filter.platformId) return false;
  if (filter.orgId && (finding.scope.orgId ?? '') !== filter.orgId) return false;
  if (filter.platformIds && !filter.platformIds.includes(finding.scope.platformId)) return false;
  if (filter.from !== undefined && finding.period.end < filter.from) return false;
  if (filter.to !== undefined && finding.period.start > filter.to) return false;
  return true;
}

export async function getAlert(store: Store, fingerprint: string): Promise<Alert | undefined> {
  const rows = await selectRows<{ alert: string }>(
    store,
    `SELECT alert FROM ${table(store, ALERT_TABLES.alerts)} FINAL WHERE fingerprint = ${sqlString(fingerprint)}`,
    FINAL_SETTINGS,
  );
  return rows[0] && alertFromRow(rows[0]);
}

/** The alerts that ask for attention (open, acknowledged), e.g. for a forwarder's start. */
export async function loadActiveAlerts(store: Store): Promise<Alert[]> {
  const rows = await selectRows<{ alert: string }>(
    store,
    `SELECT alert FROM ${table(store, ALERT_TABLES.alerts)} FINAL WHERE state IN ${sqlStringList(['open', 'acknowledged'])}`,
    FINAL_SETTINGS,
  );
  return rows.map(alertFromRow);
}

/** Every alert whose changes go to the given alerts-topic partitions (the keeper's load). */
export async function loadPartitionAlerts(
  store: Store,
  partitions: readonly number[],
): Promise<Array<{ alert: Alert; partition: number }>> {
  if (partitions.length === 0) return [];
  const rows = await selectRows<{ alert: string; topic_partition: number }>(
    store,
    `SELECT alert, topic_partition FROM ${table(store, ALERT_TABLES.alerts)} FINAL
     WHERE topic_partition IN (${partitions.map(sqlNumber).join(', ')})`,
    FINAL_SETTINGS,
  );
  return rows.map((r) => ({ alert: alertFromRow(r), partition: Number(r.topic_partition) }));
}

export interface HistoryEntry {
  fingerprint: string;
  version: number;
  changeId: string;
  commandId: string;
  kind: AlertChange['kind'];
  from: AlertState | null;
  to: AlertState;
  /** Seconds precision (the alert JSON keeps milliseconds). */
  at: string;
  by: string;
  note: string;
}

/** Every change of an alert, oldest first. */
export async function alertHistory(store: Store, fingerprint: string): Promise<HistoryEntry[]> {
  const rows = await selectRows<{
    version: number;
    change_id: string;
    command_id: string;
    kind: AlertChange['kind'];
    from_state: string;
    to_state: AlertState;
    at: number;
    by: string;
    note: string;
  }>(
    store,
    `SELECT version, change_id, command_id, kind, from_state, to_state, toUnixTimestamp(at) AS at, by, note
     FROM ${table(store, ALERT_TABLES.history)} FINAL WHERE fingerprint = ${sqlString(fingerprint)} ORDER BY version`,
    FINAL_SETTINGS,
  );
  return rows.map((r) => ({
    fingerprint,
    version: Number(r.version),
    changeId: r.change_id,
    commandId: r.command_id,
    kind: r.kind,
    from: r.from_state === '' ? null : (r.from_state as AlertState),
    to: r.to_state,
    at: new Date(Number(r.at) * 1000).toISOString(),
    by: r.by,
    note: r.note,
  }));
}

/** The latest `perAlert` command ids of each alert of the given partitions (idempotency). */
export async function loadRecentCommandIds(
  store: Store,
  partitions: readonly number[],
  perAlert: number,
): Promise<Map<string, string[]>> {
  if (partitions.length === 0) return new Map();
  const rows = await selectRows<{ fingerprint: string; command_id: string }>(
    store,
    `SELECT fingerprint, command_id FROM ${table(store, ALERT_TABLES.history)} FINAL
     WHERE topic_partition IN (${partitions.map(sqlNumber).join(', ')})
     ORDER BY fingerprint, version DESC LIMIT ${sqlNumber(perAlert)} BY fingerprint`,
    FINAL_SETTINGS,
  );
  const out = new Map<string, string[]>();
  for (const r of rows) {
    const ids = out.get(r.fingerprint) ?? [];
    ids.unshift(r.command_id); // newest last, as the lifecycle keeps them
    out.set(r.fingerprint, ids);
  }
  return out;
}

export interface NewSilence {
  detector?: string | null | undefined;
  platformId?: string | null | undefined;
  orgId?: string | null | undefined;
  actorId?: string | null | undefined;
  createdBy: string;
  reason: string;
  expiresAt: string;
  /** @default now */
  createdAt?: string | undefined;
  /** @default a new random id */
  id?: string | undefined;
}

function silenceRow(silence: Silence, expiredBy: string) {
  return {
    id: silence.id,
    detector: silence.detector,
    platform_id: silence.platformId,
    org_id: silence.orgId,
    actor_id: silence.actorId,
    created_by: silence.createdBy,
    reason: silence.reason,
    created_at: seconds(silence.createdAt),
    expires_at: seconds(silence.expiresAt),
    expired_by: expiredBy,
    updated_ms: Date.now(),
    silence: JSON.stringify(silence),
  };
}

/** Validates (the schema: a detector or a platform, a reason, an expiry after now) and stores. */
export async function createSilence(store: Store, input: NewSilence): Promise<Silence> {
  const silence = silenceSchema.parse({
    schemaVersion: ALERT_SCHEMA_VERSION,
    id: input.id ?? `sil-${randomBytes(6).toString('hex')}`,
    detector: input.detector ?? null,
    platformId: input.platformId ?? null,
    orgId: input.orgId ?? null,
    actorId: input.actorId ?? null,
    createdBy: input.createdBy,
    reason: input.reason,
    createdAt: input.createdAt ?? new Date().toISOString(),
    expiresAt: input.expiresAt,
  });
  await insertRows(store, ALERT_TABLES.silences, [silenceRow(silence, '')]);
  return silence;
}

export interface StoredSilence {
  silence: Silence;
  /** Who expired it early ('' when it runs to its own expiry). */
  expiredBy: string;
}

const silenceFromJson = (json: string): Silence => {
  const parsed = silenceSchema.safeParse(JSON.parse(json));
  if (!parsed.success) throw new Error(`a silences row fails the silence schema: ${parsed.error.message}`);
  return parsed.data;
};

/** Silences, newest first; only those not yet expired at `now` unless `includeExpired`. */
export async function listSilences(
  store: Store,
  opts: { includeExpired?: boolean; now?: Date } = {},
): Promise<StoredSilence[]> {
  const now = opts.now ?? new Date();
  // Seconds in the table; the exact expiry (milliseconds) is checked on the JSON below.
  const where = opts.includeExpired ? '1' : `expires_at >= ${sqlDateTime(now.getTime())}`;
  const rows = await selectRows<{ silence: string; expired_by: string }>(
    store,
    `SELECT silence, expired_by FROM ${table(store, ALERT_TABLES.silences)} FINAL WHERE ${where} ORDER BY created_at DESC, id`,
    FINAL_SETTINGS,
  );
  return rows
    .map((r) => ({ silence: silenceFromJson(r.silence), expiredBy: r.expired_by }))
    .filter((s) => opts.includeExpired || Date.parse(s.silence.expiresAt) > now.getTime());
}

/** Changes whenever a silence is added or expired (a cheap query to poll for changes). */
export async function silencesStamp(store: Store): Promise<string> {
  const rows = await selectRows<{ n: number | string; last: number | string }>(
    store,
    `SELECT count() AS n, max(updated_ms) AS last FROM ${table(store, ALERT_TABLES.silences)}`,
  );
  return `${rows[0]?.n ?? 0}:${rows[0]?.last ?? 0}`;
}

/** The silences in force at `now` (what the keeper matches alerts against). */
export async function loadActiveSilences(store: Store, now = new Date()): Promise<Silence[]> {
  return (await listSilences(store, { now })).map((s) => s.silence);
}

/**
 * Ends a silence now (a new row of the same id, expiresAt = now). Returns it, or undefined when
 * there is no such silence; one already expired is returned unchanged.
 */
export async function expireSilence(
  store: Store,
  id: string,
  by: string,
  now = new Date(),
): Promise<Silence | undefined> {
  const rows = await selectRows<{ silence: string }>(
    store,
    `SELECT silence FROM ${table(store, ALERT_TABLES.silences)} FINAL WHERE id = ${sqlString(id)}`,
    FINAL_SETTINGS,
  );
  if (!rows[0]) return undefined;
  const current = silenceFromJson(rows[0].silence);
  if (Date.parse(current.expiresAt) <= now.getTime()) return current;
  // expiresAt must stay after createdAt (the schema): a silence expired in its first
  // millisecond ends one millisecond after it began.
  const expiresAt = new Date(Math.max(now.getTime(), Date.parse(current.createdAt) + 1)).toISOString();
  const expired = silenceSchema.parse({ ...current, expiresAt });
  await insertRows(store, ALERT_TABLES.silences, [silenceRow(expired, by)]);
  return expired;
}
