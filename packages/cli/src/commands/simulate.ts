import { mkdir, open } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { TOPICS } from '@tracewatch/schema';
import {
  defaultLiveStart,
  liveRunEndsBefore,
  type SimulationOptions,
  simulateByDay,
  simulateToDirectory,
} from '@tracewatch/simulator';
import type { Message, Producer } from 'kafkajs';
import { intFlag, type ParsedArgs, parseArgs, rejectUnknownFlags, stringFlag, UsageError } from '../args.js';
import { type CommandIo, count, processIo } from '../command-io.js';
import { connectProducer, DECODERS, kafkaTarget, keyOf } from './produce.js';

export const SIMULATE_USAGE = `tracewatch simulate --seed S --units N --months M --out DIR [--start YYYY-MM-DD]
  Writes simulated platform traffic with labelled fabrication scenarios and hard negatives:
  DIR/events.jsonl, evaluations.jsonl, metrics.jsonl, labels.jsonl. The same options give
  the same files.
tracewatch simulate --live --seed S --units N --months M [--start YYYY-MM-DD] [--day-seconds 5]
    [--brokers host:port,...] [--topic-prefix P]
  Produces the same traffic straight to Kafka (trace-events, evaluations, reported-metrics; key
  = orgId, as \`tracewatch produce\`), paced in compressed time: one simulated day every
  --day-seconds, traces in recording order, the evaluation calendar first and each day's reports
  before its traces. --start defaults to the first day of the month M+1 months ago, so that no
  time lies in the future. Progress on stderr; stops at the end of the data, or cleanly on Ctrl-C
  (exit 130).`;

const DAY_MS = 86_400_000;
/** Real time between two sends within a simulated day: traffic flows, not in one lump a day. */
const SLICE_MS = 100;
/** At most this many messages per produce request. */
const SEND_CHUNK = 5_000;

function requiredInt(args: ParsedArgs, name: string, min: number): number {
  if (!args.flags.has(name)) throw new UsageError(`missing --${name}\n${SIMULATE_USAGE}`);
  return intFlag(args, name, 0, min);
}

function checkedDay(start: string | undefined): string | undefined {
  if (start !== undefined && !(/^\d{4}-\d{2}-\d{2}$/.test(start) && Number.isFinite(Date.parse(start))))
    throw new UsageError(`--start must be a day YYYY-MM-DD, got ${JSON.stringify(start)}`);
  return start;
}

export async function simulateCommand(argv: string[], io: CommandIo = processIo): Promise<number> {
  const args = parseArgs(argv, ['live']);
  const live = args.flags.get('live') === true;
  rejectUnknownFlags(
    args,
    live
      ? ['live', 'seed', 'units', 'months', 'start', 'day-seconds', 'brokers', 'topic-prefix']
      : ['seed', 'units', 'months', 'out', 'start'],
  );
  if (args.positional.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(args.positional[0])}`);
  const seed = requiredInt(args, 'seed', 0);
  const units = requiredInt(args, 'units', 1);
  const months = requiredInt(args, 'months', 1);
  const start = checkedDay(stringFlag(args, 'start'));
  if (live) return simulateLive(args, { seed, units, months }, start, io);

  const out = stringFlag(args, 'out');
  if (!out) throw new UsageError(`missing --out DIR\n${SIMULATE_USAGE}`);
  await checkWritable(out);
  io.err(`simulate: ${units} unit(s) × ${months} month(s), seed ${seed}, writing to ${out}/ …\n`);
  const started = performance.now();
  let lastReport = started;
  let counts: Awaited<ReturnType<typeof simulateToDirectory>>;
  try {
    counts = await simulateToDirectory({ seed, units, months, ...(start ? { start } : {}) }, out, (c) => {
      const now = performance.now();
      if (now - lastReport < 1_000) return;
      lastReport = now;
      io.err(`simulate: ${count(c.events)} events (${count(c.events / ((now - started) / 1000))} events/s)\n`);
    });
  } catch (err) {
    // The simulator refuses impossible options with a RangeError; the file system with a code.
    if (err instanceof RangeError) throw new UsageError(err.message);
    const code = (err as NodeJS.ErrnoException).code;
    if (code) throw new UsageError(`cannot write to ${out}: ${code}`);
    throw err;
  }
  const seconds = (performance.now() - started) / 1000;
  io.out(
    `wrote ${out}/: ${count(counts.events)} events, ${count(counts.evaluations)} evaluations, ` +
      `${count(counts.metrics)} reported metrics, ${count(counts.labels)} labels (${seconds.toFixed(1)} s)\n`,
  );
  return 0;
}

/** The files `simulate --out DIR` writes. */
const OUT_FILES = ['events.jsonl', 'evaluations.jsonl', 'metrics.jsonl', 'labels.jsonl'];

/**
 * Creates DIR and opens each output file for writing before any work, so that an unwritable
 * --out (read-only, not a directory, a directory where a file goes) is one line at once.
 */
async function checkWritable(out: string): Promise<void> {
  let path = out;
  try {
    await mkdir(out, { recursive: true });
    for (const file of OUT_FILES) {
      path = join(out, file);
      await (await open(path, 'w')).close();
    }
  } catch (err) {
    throw new UsageError(`cannot write to ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}

/** Sends records to one topic as `tracewatch produce` does: each checked by its schema, keyed by orgId. */
class TopicSender {
  sent = 0;
  refused = 0;

  constructor(
    private readonly producer: Producer,
    readonly topic: string,
    private readonly kind: keyof typeof DECODERS,
    private readonly io: CommandIo,
  ) {}

  async send(records: readonly unknown[]): Promise<void> {
    const decode = DECODERS[this.kind]!;
    const now = Date.now();
    let messages: Message[] = [];
    for (const record of records) {
      const value = JSON.stringify(record);
      const decoded = decode(value, { now });
      if (!decoded.ok) {
        if (++this.refused <= 20) this.io.err(`simulate --live: ${this.kind} not sent: ${decoded.reason}\n`);
        continue;
      }
      messages.push({ key: keyOf(decoded.value), value });
      if (messages.length >= SEND_CHUNK) {
        await this.flush(messages);
        messages = [];
      }
    }
    await this.flush(messages);
  }

  private async flush(messages: Message[]): Promise<void> {
    if (messages.length === 0) return;
    await this.producer.send({ topic: this.topic, messages, acks: -1 });
    this.sent += messages.length;
  }
}

/**
 * `simulate --live`: the simulation grouped by recording day (simulateByDay, one day in memory),
 * sent paced so that simulated time t after the first day's midnight goes out at real time
 * t0 + t / 1 day × day-seconds — never earlier (a slice of the day is sent once its end is due).
 */
async function simulateLive(
  args: ParsedArgs,
  base: Pick<SimulationOptions, 'seed' | 'units' | 'months'>,
  startFlag: string | undefined,
  io: CommandIo,
): Promise<number> {
  const daySecondsRaw = stringFlag(args, 'day-seconds', '5')!;
  const daySeconds = Number(daySecondsRaw);
  if (!(daySeconds > 0 && daySeconds <= 86_400))
    throw new UsageError(`--day-seconds must be a number of seconds > 0, got ${JSON.stringify(daySecondsRaw)}`);
  const now = Date.now();
  const start = startFlag ?? defaultLiveStart(base.months, now);
  if (!liveRunEndsBefore(start, base.months, now))
    throw new UsageError(
      `--start ${start}: the ${base.months} simulated month(s) and the month after them (late recordings, ` +
        `reports) must lie in the past; start on ${defaultLiveStart(base.months, now)} or earlier`,
    );
  let sim: ReturnType<typeof simulateByDay>;
  try {
    sim = simulateByDay({ ...base, start });
  } catch (err) {
    if (err instanceof RangeError) throw new UsageError(err.message);
    throw err;
  }
  const { brokers, topicPrefix } = kafkaTarget(args);
  const topics = {
    events: `${topicPrefix}${TOPICS.traceEvents}`,
    evaluations: `${topicPrefix}${TOPICS.evaluations}`,
    metrics: `${topicPrefix}${TOPICS.reportedMetrics}`,
  };
  const producer = await connectProducer(brokers, Object.values(topics));
  const events = new TopicSender(producer, topics.events, TOPICS.traceEvents, io);
  const evaluations = new TopicSender(producer, topics.evaluations, TOPICS.evaluations, io);
  const metrics = new TopicSender(producer, topics.metrics, TOPICS.reportedMetrics, io);

  const stop = new AbortController();
  const onSigint = () => stop.abort();
  process.once('SIGINT', onSigint);
  /** Waits until a real time (performance.now() scale); false when stopped meanwhile. */
  const waitUntil = async (due: number): Promise<boolean> => {
    const ms = due - performance.now();
    if (ms > 0) await sleep(ms, undefined, { signal: stop.signal }).catch(() => undefined);
    return !stop.signal.aborted;
  };
  const simulatedDays =
    Math.round((Date.parse(`${sim.lastDay}T00:00:00Z`) - Date.parse(`${sim.firstDay}T00:00:00Z`)) / DAY_MS) + 1;
  const slices = Math.max(1, Math.min(288, Math.round((daySeconds * 1000) / SLICE_MS)));
  const sliceMs = DAY_MS / slices;
  const started = performance.now();
  let sending = '';
  let behindWarned = false;
  try {
    io.err(`simulate --live: ${sim.firstDay} … ${sim.lastDay}, one simulated day every ${daySeconds} s\n`);
    await evaluations.send(sim.evaluations);
    const t0 = performance.now();
    const due = (simMs: number) => t0 + ((simMs - sim.startMs) / DAY_MS) * daySeconds * 1000;
    days: for (const day of sim.days) {
      if (!(await waitUntil(due(day.startMs)))) break;
      sending = day.day;
      if (!behindWarned && performance.now() - due(day.startMs) > daySeconds * 1000) {
        behindWarned = true;
        io.err(`simulate --live: Kafka is slower than the pace asked for; the days go out late\n`);
      }
      await metrics.send(day.metrics);
      let next = 0;
      for (let s = 1; s <= slices && next < day.events.length; s++) {
        const sliceEnd = s === slices ? Number.POSITIVE_INFINITY : day.startMs + s * sliceMs;
        const from = next;
        while (next < day.events.length && Date.parse(day.events[next]!.time) < sliceEnd) next++;
        if (next === from) continue;
        if (!(await waitUntil(due(Math.min(sliceEnd, day.startMs + DAY_MS))))) break days;
        await events.send(day.events.slice(from, next));
      }
      const index = Math.round((day.startMs - sim.startMs) / DAY_MS) + 1;
      const which = index <= simulatedDays ? `day ${index} of ${simulatedDays}` : 'after the last day';
      io.err(
        `simulate --live: ${day.day} (${which}): ${count(day.events.length)} events, ` +
          `${count(day.metrics.length)} reports; ${count(events.sent)} events sent\n`,
      );
    }
  } finally {
    process.removeListener('SIGINT', onSigint);
    await producer.disconnect();
  }
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  const refused = events.refused + evaluations.refused + metrics.refused;
  io.out(
    `${stop.signal.aborted ? `stopped on ${sending || 'the evaluations'}: ` : ''}sent ${count(events.sent)} events to ${topics.events}, ` +
      `${count(evaluations.sent)} evaluations to ${topics.evaluations}, ${count(metrics.sent)} reported metrics to ${topics.metrics} ` +
      `(${seconds} s)${refused ? `; ${refused} invalid record(s) not sent` : ''}\n`,
  );
  if (stop.signal.aborted) return 130;
  return refused > 0 ? 2 : 0;
}
