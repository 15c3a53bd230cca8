import { randomBytes } from 'node:crypto';
import {
  alertHistory,
  alertTopics,
  CommandTimeoutError,
  createCommandProducer,
  getAlert,
  listAlerts,
  parseAlertChangedEvent,
  requestTransition,
  STATE_LABELS,
  sendAlertCommands,
  type TransitionOutcome,
} from '@tracewatch/alerts';
import { missingTopics, withAdmin } from '@tracewatch/bus';
import { ALERT_STATES, type AlertCommand, type AlertState, fingerprintSchema, SEVERITIES } from '@tracewatch/schema';
import type { Kafka } from 'kafkajs';
import { alertSummary, alertsTable, changeLine, parseLang } from '../alerts-format.js';
import { intFlag, type ParsedArgs, parseArgs, rejectUnknownFlags, stringFlag, UsageError } from '../args.js';
import { type CommandIo, processIo } from '../command-io.js';
import {
  OPERATOR_FLAGS,
  type OperatorEnv,
  operatorEnv,
  operatorKafka,
  UnavailableError,
  withStore,
} from '../operator-env.js';

export const ALERTS_USAGE = `tracewatch alerts list [--state S] [--detector D] [--severity warning|critical]
    [--platform P] [--org O] [--limit N] [--format table|json] [--lang zh-CN|en]
tracewatch alerts show <fingerprint> [--format table|json]
tracewatch alerts tail [--from-beginning] [--limit N] [--format table|json] [--lang zh-CN|en]
tracewatch alerts ack|resolve|dismiss|confirm|reopen <fingerprint> --by NAME [--note TEXT]
    [--timeout-ms N]
  list: the current alerts from ClickHouse (json: an array of alerts). show: one alert and its
  history. tail: follows the alerts topic (committed changes only), one line per change.
  ack|resolve|dismiss|confirm|reopen: reads the alert's version, asks the alert keeper for the
  change and waits for its answer. dismiss and reopen need --note (the reason).
  Exit: 0 done; 1 a server or the keeper did not answer; 2 a mistake (bad option, unknown
  alert, a change the lifecycle does not allow); 3 a conflict (someone changed the alert
  meanwhile: look again and retry).
  Env: KAFKA_BROKERS, TOPIC_PREFIX, CLICKHOUSE_URL, CLICKHOUSE_DATABASE.`;

/** Exit code of a conflict: not a mistake, a race another operator won. */
export const EXIT_CONFLICT = 3;

const TRANSITIONS: Record<string, 'acknowledged' | 'resolved' | 'dismissed' | 'confirmed' | 'open'> = {
  ack: 'acknowledged',
  resolve: 'resolved',
  dismiss: 'dismissed',
  confirm: 'confirmed',
  reopen: 'open',
};

function formatFlag(args: ParsedArgs): 'table' | 'json' {
  const format = stringFlag(args, 'format', 'table');
  if (format !== 'table' && format !== 'json') throw new UsageError('--format must be table or json');
  return format;
}

function fingerprintArg(args: ParsedArgs, usage: string): string {
  const raw = args.positional[0];
  if (!raw) throw new UsageError(`missing <fingerprint>\n${usage}`);
  if (args.positional.length > 1) throw new UsageError(`unexpected argument ${args.positional[1]}`);
  if (!fingerprintSchema.safeParse(raw).success)
    throw new UsageError(`not a fingerprint: ${JSON.stringify(raw)} (32 lower-case hex digits, as alerts list shows)`);
  return raw;
}

async function requireTopics(kafka: Kafka, topics: string[]): Promise<void> {
  const missing = await withAdmin(kafka, (admin) => missingTopics(admin, topics));
  if (missing.length > 0)
    throw new UsageError(`topic ${missing.join(', ')} does not exist (TOPIC_PREFIX? the detector service creates it)`);
}

async function listCommand(args: ParsedArgs, env: OperatorEnv, io: CommandIo): Promise<number> {
  rejectUnknownFlags(args, [
    ...OPERATOR_FLAGS,
    'state',
    'detector',
    'severity',
    'platform',
    'org',
    'limit',
    'format',
    'lang',
  ]);
  if (args.positional.length > 0) throw new UsageError(`unexpected argument ${args.positional[0]}`);
  const state = stringFlag(args, 'state');
  if (state !== undefined && !(ALERT_STATES as readonly string[]).includes(state))
    throw new UsageError(`--state must be one of ${ALERT_STATES.join(', ')}, got ${JSON.stringify(state)}`);
  const severity = stringFlag(args, 'severity');
  if (severity !== undefined && !(SEVERITIES as readonly string[]).includes(severity))
    throw new UsageError(`--severity must be one of ${SEVERITIES.join(', ')}, got ${JSON.stringify(severity)}`);
  const format = formatFlag(args);
  const lang = parseLang(stringFlag(args, 'lang'));
  const alerts = await withStore(env, (store) =>
    listAlerts(store, {
      state: state as AlertState | undefined,
      detector: stringFlag(args, 'detector'),
      severity: severity as (typeof SEVERITIES)[number] | undefined,
      platformId: stringFlag(args, 'platform'),
      orgId: stringFlag(args, 'org'),
      limit: intFlag(args, 'limit', 200, 1),
    }),
  );
  io.out(format === 'json' ? `${JSON.stringify(alerts.map(alertSummary), null, 2)}\n` : alertsTable(alerts, lang));
  return 0;
}

async function showCommand(args: ParsedArgs, env: OperatorEnv, io: CommandIo): Promise<number> {
  rejectUnknownFlags(args, [...OPERATOR_FLAGS, 'format', 'lang']);
  const fingerprint = fingerprintArg(args, ALERTS_USAGE);
  const format = formatFlag(args);
  const lang = parseLang(stringFlag(args, 'lang'));
  const { alert, history } = await withStore(env, async (store) => ({
    alert: await getAlert(store, fingerprint),
    history: await alertHistory(store, fingerprint),
  }));
  if (!alert) throw new UsageError(`no alert ${fingerprint} in database ${env.database}`);
  if (format === 'json') io.out(`${JSON.stringify({ alert, history }, null, 2)}\n`);
  else {
    io.out(alertsTable([alert], lang));
    io.out(`\n${alert.finding.explanation[lang]}\n\n`);
    for (const h of history)
      io.out(
        `v${h.version}  ${h.at}  ${h.from ? `${STATE_LABELS[h.from][lang]} → ` : ''}${STATE_LABELS[h.to][lang]}  ${h.by}${h.note ? `  — ${h.note}` : ''}\n`,
      );
  }
  return 0;
}

async function tailCommand(args: ParsedArgs, env: OperatorEnv, io: CommandIo): Promise<number> {
  rejectUnknownFlags(args, [...OPERATOR_FLAGS, 'from-beginning', 'limit', 'format', 'lang']);
  if (args.positional.length > 0) throw new UsageError(`unexpected argument ${args.positional[0]}`);
  const format = formatFlag(args);
  const lang = parseLang(stringFlag(args, 'lang'));
  const limit = intFlag(args, 'limit', 0, 0); // 0: follow until interrupted
  const topic = alertTopics(env.topicPrefix).alerts;
  const kafka = operatorKafka(env);
  await requireTopics(kafka, [topic]);
  const groupId = `tracewatch-cli-tail-${randomBytes(4).toString('hex')}`;
  const consumer = kafka.consumer({ groupId, readUncommitted: false, allowAutoTopicCreation: false });
  let shown = 0;
  let finish: () => void = () => undefined;
  const finished = new Promise<void>((resolve) => {
    finish = resolve;
  });
  const onSignal = () => finish();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: args.flags.get('from-beginning') === true });
    await consumer.run({
      autoCommit: false,
      eachMessage: async ({ message }) => {
        if (limit > 0 && shown >= limit) return;
        try {
          const change = parseAlertChangedEvent(message.value).data;
          io.out(format === 'json' ? `${JSON.stringify(change)}\n` : `${changeLine(change, lang)}\n`);
        } catch (err) {
          io.err(`tracewatch: skipped a message at offset ${message.offset}: ${(err as Error).message}\n`);
        }
        shown++;
        if (limit > 0 && shown >= limit) finish();
      },
    });
    await finished;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await consumer.disconnect();
    await withAdmin(kafka, (admin) => admin.deleteGroups([groupId])).catch(() => undefined);
  }
  return 0;
}

async function transitionCommand(verb: string, args: ParsedArgs, env: OperatorEnv, io: CommandIo): Promise<number> {
  rejectUnknownFlags(args, [...OPERATOR_FLAGS, 'by', 'note', 'timeout-ms']);
  const to = TRANSITIONS[verb]!;
  const fingerprint = fingerprintArg(args, ALERTS_USAGE);
  const by = stringFlag(args, 'by');
  if (!by) throw new UsageError(`alerts ${verb} needs --by NAME (who decides)`);
  const note = stringFlag(args, 'note') ?? '';
  const timeoutMs = intFlag(args, 'timeout-ms', 30_000, 100);
  const topics = alertTopics(env.topicPrefix);

  return withStore(env, async (store) => {
    const kafka = operatorKafka(env);
    const send = async (command: AlertCommand) => {
      await requireTopics(kafka, [topics.commands]);
      const producer = createCommandProducer(kafka);
      await producer.connect();
      try {
        await sendAlertCommands(producer, env.topicPrefix, [command]);
      } finally {
        await producer.disconnect();
      }
    };
    let result: TransitionOutcome;
    try {
      result = await requestTransition(store, send, { fingerprint, to, by, note, timeoutMs, origin: 'cli' });
    } catch (err) {
      if (err instanceof CommandTimeoutError)
        throw new UnavailableError(
          `sent, but the alert keeper did not answer within ${timeoutMs} ms (is the detector service running?); the change may still be applied later: check with alerts show ${fingerprint}`,
        );
      throw err;
    }
    if (result.outcome === 'accepted') {
      const from = result.before.state;
      io.out(
        `${fingerprint}: ${STATE_LABELS[from].en} → ${STATE_LABELS[to].en} / ${STATE_LABELS[from]['zh-CN']} → ${STATE_LABELS[to]['zh-CN']} (version ${result.version})\n`,
      );
      return 0;
    }
    // Refused before sending: the user's mistake, said at once.
    if (!result.sent) {
      if (result.outcome === 'unknown-alert')
        throw new UsageError(`no alert ${fingerprint} in database ${env.database}`);
      throw new UsageError(result.outcome === 'invalid' ? `--by or --note: ${result.message}` : result.message);
    }
    io.err(`tracewatch: ${result.outcome}: ${result.message}\n`);
    return result.outcome === 'conflict' ? EXIT_CONFLICT : 2;
  });
}

export async function alertsCommand(argv: string[], io: CommandIo = processIo): Promise<number> {
  const [sub, ...rest] = argv;
  const args = parseArgs(rest, ['from-beginning']);
  const env = operatorEnv(args);
  if (sub === 'list') return listCommand(args, env, io);
  if (sub === 'show') return showCommand(args, env, io);
  if (sub === 'tail') return tailCommand(args, env, io);
  if (sub && sub in TRANSITIONS) return transitionCommand(sub, args, env, io);
  throw new UsageError(
    `${sub ? `unknown alerts command ${JSON.stringify(sub)}` : 'missing alerts command'}\n${ALERTS_USAGE}`,
  );
}
