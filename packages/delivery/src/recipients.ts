/**
 * Owners' recipient configurations in ClickHouse (table notice_recipients, migration 032).
 * Reads validate each stored configuration on its own: one that no longer parses is returned
 * as a problem for its owner and never hides the others.
 */
import { type RecipientConfigV1, recipientConfigSchema } from '@tracewatch/schema';
import { type Store, selectRows, sqlString } from '@tracewatch/store';
import { z } from 'zod';

const recipientRowSchema = z.object({
  owner_id: z.string(),
  config: z.string(),
  deleted: z.coerce.number(),
  version: z.coerce.number(),
});

export interface RecipientProblem {
  ownerId: string;
  error: string;
}

export interface LoadedRecipients {
  recipients: RecipientConfigV1[];
  /** Stored configurations that do not parse: deliveries to these owners cannot be made. */
  problems: RecipientProblem[];
}

function parseStored(ownerId: string, json: string): RecipientConfigV1 | RecipientProblem {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (err) {
    return { ownerId, error: `stored configuration is not JSON: ${(err as Error).message}` };
  }
  const parsed = recipientConfigSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  return {
    ownerId,
    error: parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; '),
  };
}

async function readRows(store: Store, where: string) {
  const rows = await selectRows<unknown>(
    store,
    `SELECT owner_id, config, deleted, version FROM ${store.database}.notice_recipients FINAL
     WHERE ${where} ORDER BY owner_id`,
  );
  return rows.map((r) => recipientRowSchema.parse(r)).filter((r) => r.deleted === 0);
}

/** Every owner's configuration (optionally only those bound to `platformId`). */
export async function loadRecipients(store: Store, options: { platformId?: string } = {}): Promise<LoadedRecipients> {
  const where = options.platformId === undefined ? '1' : `has(platform_ids, ${sqlString(options.platformId)})`;
  const out: LoadedRecipients = { recipients: [], problems: [] };
  for (const row of await readRows(store, where)) {
    const parsed = parseStored(row.owner_id, row.config);
    if ('schemaVersion' in parsed) out.recipients.push(parsed);
    else out.problems.push(parsed);
  }
  return out;
}

/** One owner's configuration; undefined when there is none (or it was deleted). */
export async function loadRecipient(
  store: Store,
  ownerId: string,
): Promise<RecipientConfigV1 | RecipientProblem | undefined> {
  const [row] = await readRows(store, `owner_id = ${sqlString(ownerId)}`);
  return row ? parseStored(row.owner_id, row.config) : undefined;
}

/**
 * Versions grow with the clock, and past the stored one: two saves in one millisecond, or a
 * clock set back, still leave the later save in force.
 */
async function nextVersion(store: Store, ownerId: string, nowMs: number): Promise<number> {
  const rows = await selectRows<{ v: number | string }>(
    store,
    `SELECT max(version) AS v FROM ${store.database}.notice_recipients WHERE owner_id = ${sqlString(ownerId)}`,
  );
  return Math.max(nowMs, Number(rows[0]?.v ?? 0) + 1);
}

/** Stores (creates or replaces) a configuration, validated first. */
export async function saveRecipient(store: Store, config: RecipientConfigV1): Promise<void> {
  const c = recipientConfigSchema.parse(config);
  const nowMs = Date.parse(c.updatedAt);
  await store.client.insert({
    table: `${store.database}.notice_recipients`,
    values: [
      {
        owner_id: c.ownerId,
        config: JSON.stringify(c),
        platform_ids: c.platformIds,
        deleted: 0,
        updated_at: Math.floor(nowMs / 1000),
        updated_by: c.updatedBy,
        version: await nextVersion(store, c.ownerId, nowMs),
      },
    ],
    format: 'JSONEachRow',
  });
}

/** Deletes an owner's configuration; false when there was none. */
export async function deleteRecipient(store: Store, ownerId: string, by: string, nowMs = Date.now()): Promise<boolean> {
  const [row] = await readRows(store, `owner_id = ${sqlString(ownerId)}`);
  if (!row) return false;
  await store.client.insert({
    table: `${store.database}.notice_recipients`,
    values: [
      {
        owner_id: ownerId,
        config: '',
        platform_ids: [],
        deleted: 1,
        updated_at: Math.floor(nowMs / 1000),
        updated_by: by,
        version: await nextVersion(store, ownerId, nowMs),
      },
    ],
    format: 'JSONEachRow',
  });
  return true;
}
