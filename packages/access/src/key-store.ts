import { type Store, selectRows, sqlString } from '@tracewatch/store';
import { z } from 'zod';
import { generateKey, parseToken, secretMatches } from './keys.js';
import { type KeySpec, type Role, roleSchema } from './roles.js';

const keyRowSchema = z.object({
  key_id: z.string(),
  name: z.string(),
  role: roleSchema,
  platform_ids: z.array(z.string()),
  salt: z.string(),
  secret_hash: z.string(),
  created_at: z.coerce.number(),
  revoked_at: z.coerce.number().nullable(),
  version: z.coerce.number(),
});
type KeyRow = z.infer<typeof keyRowSchema>;

/** A key as listed: never its secret or hash. */
export interface KeyInfo {
  keyId: string;
  name: string;
  role: Role;
  platformIds: string[];
  createdAt: string;
  revokedAt: string | null;
}

/** Who is asking: the verified key behind a request. */
export interface Principal {
  keyId: string;
  name: string;
  role: Role;
  platformIds: string[];
}

const iso = (seconds: number) => new Date(seconds * 1000).toISOString();

const COLUMNS =
  'key_id, name, role, platform_ids, salt, secret_hash, toUnixTimestamp(created_at) AS created_at, toUnixTimestamp(revoked_at) AS revoked_at, version';

async function readKeys(store: Store, where: string): Promise<KeyRow[]> {
  const rows = await selectRows<unknown>(
    store,
    `SELECT ${COLUMNS} FROM ${store.database}.api_keys FINAL WHERE ${where} ORDER BY created_at, key_id`,
  );
  return rows.map((r) => keyRowSchema.parse(r));
}

async function writeKey(store: Store, row: KeyRow): Promise<void> {
  await store.client.insert({ table: `${store.database}.api_keys`, values: [row], format: 'JSONEachRow' });
}

/** Stores a new key and returns its token: the only time the secret exists outside the caller. */
export async function createKey(
  store: Store,
  spec: KeySpec,
  now = Date.now(),
): Promise<{ keyId: string; token: string }> {
  const key = generateKey();
  await writeKey(store, {
    key_id: key.keyId,
    name: spec.name,
    role: spec.role,
    platform_ids: [...spec.platformIds],
    salt: key.salt,
    secret_hash: key.secretHash,
    created_at: Math.floor(now / 1000),
    revoked_at: null,
    version: now,
  });
  return { keyId: key.keyId, token: key.token };
}

export async function listKeys(store: Store): Promise<KeyInfo[]> {
  return (await readKeys(store, '1')).map((r) => ({
    keyId: r.key_id,
    name: r.name,
    role: r.role,
    platformIds: r.platform_ids,
    createdAt: iso(r.created_at),
    revokedAt: r.revoked_at === null ? null : iso(r.revoked_at),
  }));
}

/** Revokes a key; 'unknown' when no such key exists, 'already' when it was revoked before. */
export async function revokeKey(
  store: Store,
  keyId: string,
  now = Date.now(),
): Promise<'revoked' | 'already' | 'unknown'> {
  const [row] = await readKeys(store, `key_id = ${sqlString(keyId)}`);
  if (!row) return 'unknown';
  if (row.revoked_at !== null) return 'already';
  await writeKey(store, { ...row, revoked_at: Math.floor(now / 1000), version: Math.max(now, row.version + 1) });
  return 'revoked';
}

/** The principal behind a bearer token, or undefined for a malformed, unknown, wrong or revoked key. */
export async function authenticate(store: Store, token: string): Promise<Principal | undefined> {
  const parsed = parseToken(token);
  if (!parsed) return undefined;
  const [row] = await readKeys(store, `key_id = ${sqlString(parsed.keyId)}`);
  if (!row || row.revoked_at !== null) return undefined;
  if (!secretMatches(parsed.secret, row.salt, row.secret_hash)) return undefined;
  return { keyId: row.key_id, name: row.name, role: row.role, platformIds: row.platform_ids };
}
