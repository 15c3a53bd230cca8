import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { type Store, withDatabase } from './client.js';

/** The migrations shipped with this package (same path from src/ and dist/). */
export const MIGRATIONS_DIR = fileURLToPath(new URL('../migrations/', import.meta.url));

export interface Migration {
  version: number;
  name: string;
  statements: string[];
  checksum: string;
}

/** Splits a migration file into statements: comments dropped, `;` at a line end ends one. */
export function splitStatements(sql: string): string[] {
  const body = sql
    .split('\n')
    .filter((l) => !l.trim().startsWith('--'))
    .join('\n');
  return body
    .split(/;\s*(?:\n|$)/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

export async function loadMigrations(dir = MIGRATIONS_DIR): Promise<Migration[]> {
  const files = (await readdir(dir)).filter((f) => /^\d{3}_[a-z0-9_]+\.sql$/.test(f)).sort();
  const out: Migration[] = [];
  for (const file of files) {
    const text = await readFile(`${dir}${file}`, 'utf8');
    out.push({
      version: Number(file.slice(0, 3)),
      name: file.slice(4, -4),
      statements: splitStatements(text),
      checksum: createHash('sha256').update(text).digest('hex').slice(0, 16),
    });
  }
  return out;
}

/**
 * Creates the database and applies, in order, the migrations not yet recorded in
 * `schema_migrations`. Statements are idempotent (IF NOT EXISTS), so two services starting
 * at once cannot break each other. Returns the versions applied now.
 */
export async function migrate(store: Store, migrations?: Migration[]): Promise<number[]> {
  const db = store.database;
  const all = migrations ?? (await loadMigrations());
  await store.client.command({ query: withDatabase('CREATE DATABASE IF NOT EXISTS {db}', db) });
  await store.client.command({
    query: withDatabase(
      `CREATE TABLE IF NOT EXISTS {db}.schema_migrations (version UInt32, name String, checksum String, applied_at DateTime('UTC'))
       ENGINE = ReplacingMergeTree(applied_at) ORDER BY version`,
      db,
    ),
  });
  const rs = await store.client.query({
    query: withDatabase('SELECT version FROM {db}.schema_migrations FINAL', db),
    format: 'JSONEachRow',
  });
  const done = new Set((await rs.json<{ version: number }>()).map((r) => Number(r.version)));
  const applied: number[] = [];
  for (const m of all) {
    if (done.has(m.version)) continue;
    for (const statement of m.statements) await store.client.command({ query: withDatabase(statement, db) });
    await store.client.insert({
      table: `${db}.schema_migrations`,
      values: [{ version: m.version, name: m.name, checksum: m.checksum, applied_at: Math.floor(Date.now() / 1000) }],
      format: 'JSONEachRow',
    });
    applied.push(m.version);
  }
  return applied;
}
