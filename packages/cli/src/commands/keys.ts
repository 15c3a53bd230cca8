import { createKey, keySpecSchema, listKeys, revokeKey } from '@tracewatch/access';
import { createStore, migrate, type Store } from '@tracewatch/store';
import { parseArgs, rejectUnknownFlags, stringFlag, UsageError } from '../args.js';
import { renderTable } from '../text-table.js';

export const KEYS_USAGE = `tracewatch keys create --role ops|inspector|owner|admin [--platform ID ...] --name N
tracewatch keys list [--format table|json]
tracewatch keys revoke KEY_ID
    [--clickhouse-url URL] [--database DB]   (default CLICKHOUSE_URL / CLICKHOUSE_DATABASE, else local)
  API keys of the api service. create prints the new key alone on stdout, once: it is stored
  only as a salted hash and cannot be shown again. An owner key is bound to the platforms given
  (at least one). list shows every key without its secret; revoke refuses a key at once.`;

const CONNECTION_FLAGS = ['clickhouse-url', 'database'];

function connect(args: ReturnType<typeof parseArgs>): Store {
  const database = stringFlag(args, 'database') ?? process.env.CLICKHOUSE_DATABASE ?? 'tracewatch';
  if (!/^[a-z_][a-z0-9_]*$/.test(database)) throw new UsageError(`--database must be lower-case letters, digits and _`);
  return createStore({
    url: stringFlag(args, 'clickhouse-url') ?? process.env.CLICKHOUSE_URL ?? 'http://127.0.0.1:8123',
    database,
    username: process.env.CLICKHOUSE_USER ?? 'default',
    password: process.env.CLICKHOUSE_PASSWORD ?? '',
  });
}

async function withStore<T>(args: ReturnType<typeof parseArgs>, run: (store: Store) => Promise<T>): Promise<T> {
  const store = connect(args);
  try {
    await migrate(store); // the api_keys table may not exist yet on a fresh database
    return await run(store);
  } finally {
    await store.close();
  }
}

export async function keysCommand(argv: string[]): Promise<number> {
  const [action, ...rest] = argv;
  const args = parseArgs(rest, [], ['platform']);
  switch (action) {
    case 'create': {
      rejectUnknownFlags(args, ['role', 'platform', 'name', ...CONNECTION_FLAGS]);
      if (args.positional.length > 0) throw new UsageError(`unexpected argument ${args.positional[0]}\n${KEYS_USAGE}`);
      const spec = keySpecSchema.safeParse({
        name: stringFlag(args, 'name'),
        role: stringFlag(args, 'role'),
        platformIds: args.lists.get('platform') ?? [],
      });
      if (!spec.success) {
        const flag = (path: PropertyKey[]) => (path[0] === 'platformIds' ? '--platform' : `--${String(path[0])}`);
        throw new UsageError(spec.error.issues.map((i) => `${flag(i.path)}: ${i.message}`).join('; '));
      }
      const { token } = await withStore(args, (store) => createKey(store, spec.data));
      process.stdout.write(`${token}\n`);
      return 0;
    }
    case 'list': {
      rejectUnknownFlags(args, ['format', ...CONNECTION_FLAGS]);
      const format = stringFlag(args, 'format', 'table');
      if (format !== 'table' && format !== 'json') throw new UsageError('--format must be table or json');
      const keys = await withStore(args, listKeys);
      if (format === 'json') for (const k of keys) process.stdout.write(`${JSON.stringify(k)}\n`);
      else
        process.stdout.write(
          renderTable(
            ['key id', 'name', 'role', 'platforms', 'created', 'revoked'].map((header) => ({ header })),
            keys.map((k) => [k.keyId, k.name, k.role, k.platformIds.join(' ') || '-', k.createdAt, k.revokedAt ?? '-']),
          ),
        );
      return 0;
    }
    case 'revoke': {
      rejectUnknownFlags(args, CONNECTION_FLAGS);
      const [keyId, extra] = args.positional;
      if (!keyId || extra !== undefined) throw new UsageError(`keys revoke takes one KEY_ID\n${KEYS_USAGE}`);
      if (!/^[0-9a-f]{16}$/.test(keyId))
        throw new UsageError(`KEY_ID is 16 lower-case hex digits (see keys list), got ${JSON.stringify(keyId)}`);
      const outcome = await withStore(args, (store) => revokeKey(store, keyId));
      if (outcome === 'unknown') {
        process.stderr.write(`tracewatch: no key ${keyId}\n`);
        return 1;
      }
      process.stderr.write(outcome === 'already' ? `key ${keyId} was revoked already\n` : `key ${keyId} revoked\n`);
      return 0;
    }
    default:
      throw new UsageError(`keys needs create, list or revoke\n${KEYS_USAGE}`);
  }
}
