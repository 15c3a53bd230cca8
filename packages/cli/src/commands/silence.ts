import { createSilence, expireSilence, listSilences } from '@tracewatch/alerts';
import { parseExpires, parseLang, silencesTable } from '../alerts-format.js';
import { type ParsedArgs, parseArgs, rejectUnknownFlags, stringFlag, UsageError } from '../args.js';
import { type CommandIo, processIo } from '../command-io.js';
import { OPERATOR_FLAGS, type OperatorEnv, operatorEnv, withStore } from '../operator-env.js';

export const SILENCE_USAGE = `tracewatch silence add --by NAME --reason TEXT (--detector D | --platform P) [--org O]
    [--actor A] --expires DURATION|INSTANT
tracewatch silence list [--all] [--format table|json] [--lang zh-CN|en]
tracewatch silence expire <id> --by NAME
  A silence marks the alerts it matches (a detector, or any; the scope narrowed as far as
  given) as silenced until it expires; they are still stored and listed. DURATION: 30m, 4h,
  7d, 2w; INSTANT: 2026-12-31T18:00:00+08:00. The keeper picks changes up within 10 s.
  list shows the silences in force (--all: expired ones too).`;

function required(args: ParsedArgs, name: string, what: string): string {
  const v = stringFlag(args, name);
  if (v === undefined || v.trim() === '') throw new UsageError(`silence ${what} needs --${name}`);
  return v;
}

/** The schema's complaint as one line (which field, what is wrong). */
function schemaMessage(err: unknown): string {
  const issues = (err as { issues?: Array<{ path: PropertyKey[]; message: string }> }).issues;
  if (!issues) throw err;
  return issues.map((i) => `${i.path.join('.') || 'silence'}: ${i.message}`).join('; ');
}

async function add(args: ParsedArgs, env: OperatorEnv, io: CommandIo): Promise<number> {
  rejectUnknownFlags(args, [...OPERATOR_FLAGS, 'by', 'reason', 'detector', 'platform', 'org', 'actor', 'expires']);
  if (args.positional.length > 0) throw new UsageError(`unexpected argument ${args.positional[0]}`);
  const createdBy = required(args, 'by', 'add');
  const reason = required(args, 'reason', 'add');
  const detector = stringFlag(args, 'detector') ?? null;
  const platformId = stringFlag(args, 'platform') ?? null;
  if (detector === null && platformId === null)
    throw new UsageError('silence add needs --detector or --platform (a silence of everything is refused)');
  const now = new Date();
  const expiresAt = parseExpires(required(args, 'expires', 'add'), now);
  const silence = await withStore(env, async (store) => {
    try {
      return await createSilence(store, {
        detector,
        platformId,
        orgId: stringFlag(args, 'org') ?? null,
        actorId: stringFlag(args, 'actor') ?? null,
        createdBy,
        reason,
        createdAt: now.toISOString(),
        expiresAt,
      });
    } catch (err) {
      if ((err as Error).name === 'ZodError') throw new UsageError(schemaMessage(err));
      throw err;
    }
  });
  io.out(`${silence.id}\n`);
  io.err(
    `silence ${silence.id} in force until ${silence.expiresAt} / 静默规则 ${silence.id} 生效至 ${silence.expiresAt}\n`,
  );
  return 0;
}

async function list(args: ParsedArgs, env: OperatorEnv, io: CommandIo): Promise<number> {
  rejectUnknownFlags(args, [...OPERATOR_FLAGS, 'all', 'format', 'lang']);
  const format = stringFlag(args, 'format', 'table');
  if (format !== 'table' && format !== 'json') throw new UsageError('--format must be table or json');
  const lang = parseLang(stringFlag(args, 'lang'));
  const now = new Date();
  const silences = await withStore(env, (store) =>
    listSilences(store, { includeExpired: args.flags.get('all') === true, now }),
  );
  io.out(
    format === 'json'
      ? `${JSON.stringify(
          silences.map((s) => ({ ...s.silence, expiredBy: s.expiredBy || null })),
          null,
          2,
        )}\n`
      : silencesTable(silences, now, lang),
  );
  return 0;
}

async function expire(args: ParsedArgs, env: OperatorEnv, io: CommandIo): Promise<number> {
  rejectUnknownFlags(args, [...OPERATOR_FLAGS, 'by']);
  const id = args.positional[0];
  if (!id) throw new UsageError(`missing <id>\n${SILENCE_USAGE}`);
  if (args.positional.length > 1) throw new UsageError(`unexpected argument ${args.positional[1]}`);
  const by = required(args, 'by', 'expire');
  const now = new Date();
  const silence = await withStore(env, (store) => expireSilence(store, id, by, now));
  if (!silence) throw new UsageError(`no silence ${JSON.stringify(id)} in database ${env.database}`);
  io.out(
    Date.parse(silence.expiresAt) < now.getTime()
      ? `silence ${id} had already expired at ${silence.expiresAt} / 静默规则已于 ${silence.expiresAt} 过期\n`
      : `silence ${id} expired / 静默规则 ${id} 已结束\n`,
  );
  return 0;
}

export async function silenceCommand(argv: string[], io: CommandIo = processIo): Promise<number> {
  const [sub, ...rest] = argv;
  const args = parseArgs(rest, ['all']);
  const env = operatorEnv(args);
  if (sub === 'add') return add(args, env, io);
  if (sub === 'list') return list(args, env, io);
  if (sub === 'expire') return expire(args, env, io);
  throw new UsageError(
    `${sub ? `unknown silence command ${JSON.stringify(sub)}` : 'missing silence command'}\n${SILENCE_USAGE}`,
  );
}
