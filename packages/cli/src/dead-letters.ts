/**
 * What `tracewatch dlq` shows of the dead-letter topic: one entry per refused message (where
 * it came from, which check refused it and why, and the message itself), and counts by stage
 * and by reason, so an operator sees at a glance whether one platform sends one kind of bad
 * data or something new broke.
 */
import { isUtf8 } from 'node:buffer';
import { readDeadLetterHeaders } from '@tracewatch/bus';
import type { KafkaMessage } from 'kafkajs';
import { renderTable } from './text-table.js';

export interface DeadLetterEntry {
  /** When it was dead-lettered (ISO). */
  time: string | null;
  sourceTopic: string | null;
  sourcePartition: number | null;
  sourceOffset: string | null;
  stage: string | null;
  reason: string | null;
  key: string | null;
  /** The original value as text when it is UTF-8, else base64 (see valueEncoding); null for none. */
  value: string | null;
  valueEncoding: 'utf8' | 'base64';
}

/**
 * Bytes as text when they are UTF-8, else base64; with `maxBytes`, only their first bytes
 * (a preview: a large dead letter is never turned into one long string).
 */
function text(
  bytes: Buffer | null | undefined,
  maxBytes = Number.POSITIVE_INFINITY,
): { value: string | null; encoding: 'utf8' | 'base64' } {
  if (bytes === null || bytes === undefined) return { value: null, encoding: 'utf8' };
  const head = bytes.length > maxBytes ? bytes.subarray(0, maxBytes) : bytes;
  return isUtf8(bytes)
    ? { value: head.toString('utf8'), encoding: 'utf8' }
    : { value: head.toString('base64'), encoding: 'base64' };
}

/** A dead letter as shown; with `maxValueBytes`, its value (and key) cut to their first bytes. */
export function deadLetterEntry(message: KafkaMessage, maxValueBytes?: number): DeadLetterEntry {
  const h = readDeadLetterHeaders(message);
  const value = text(message.value, maxValueBytes);
  const partition = h.sourcePartition === undefined ? Number.NaN : Number(h.sourcePartition);
  return {
    time: h.time ?? null,
    sourceTopic: h.sourceTopic ?? null,
    sourcePartition: Number.isInteger(partition) ? partition : null,
    sourceOffset: h.sourceOffset ?? null,
    stage: h.stage ?? null,
    reason: h.reason ?? null,
    key: text(message.key, maxValueBytes).value,
    value: value.value,
    valueEncoding: value.encoding,
  };
}

/** Sorts by the time of dead-lettering, then by where the message came from. */
function writtenOrder(a: DeadLetterEntry, b: DeadLetterEntry): number {
  const text = (s: string | null) => s ?? '';
  return (
    text(a.time).localeCompare(text(b.time)) ||
    text(a.sourceTopic).localeCompare(text(b.sourceTopic)) ||
    (a.sourcePartition ?? -1) - (b.sourcePartition ?? -1) ||
    Number(a.sourceOffset ?? -1) - Number(b.sourceOffset ?? -1)
  );
}

/**
 * Dead-lettering is at least once: a batch re-read after a rebalance is dead-lettered again.
 * The source coordinates name the refused message, so a filter that passes each source record
 * once (the first copy) shows every refused message once. Entries without coordinates all pass.
 */
export function firstPerSource(): (entry: DeadLetterEntry) => boolean {
  const seen = new Set<string>();
  return (e) => {
    if (e.sourceTopic === null || e.sourcePartition === null || e.sourceOffset === null) return true;
    const source = `${e.sourcePartition}@${e.sourceOffset}@${e.sourceTopic}`;
    if (seen.has(source)) return false;
    seen.add(source);
    return true;
  };
}

/**
 * Partitions are read in no particular order: sort by the time of dead-lettering, then by
 * where the message came from, so two runs print the same.
 */
export function inWrittenOrder(entries: DeadLetterEntry[]): DeadLetterEntry[] {
  return entries.sort(writtenOrder);
}

/** A cell-sized, one-line view: control characters escaped (\n, \u0000), cut to `max` characters. */
export function preview(s: string | null, max: number): string {
  if (s === null) return '(null)';
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
  const oneLine = s.replace(/[\u0000-\u001f\u007f\u2028\u2029]/g, (c) => JSON.stringify(c).slice(1, -1));
  return oneLine.length <= max ? oneLine : `${oneLine.slice(0, max - 1)}…`;
}

/** Reasons counted one by one; beyond this many distinct ones the rest share one line. */
const MAX_DISTINCT_REASONS = 10_000;
const OTHER_REASONS = '(other reasons)';
/** Bytes of each kept entry's value: what the table shows of it, and a margin. */
export const PREVIEW_BYTES = 256;

/**
 * What the table report needs of a dead-letter topic of any size, in bounded memory: the
 * latest `limit` entries (in written order), counts by stage, and counts by reason.
 */
export class DeadLetterSummary {
  total = 0;
  /** The latest entries seen, oldest first, at most `limit`. */
  private readonly latest: DeadLetterEntry[] = [];
  private readonly stages = new Map<string, number>();
  private readonly reasons = new Map<string, number>();

  constructor(private readonly limit: number) {}

  add(e: DeadLetterEntry): void {
    this.total++;
    bump(this.stages, e.stage ?? '?');
    const reason = e.reason ?? '?';
    bump(this.reasons, this.reasons.has(reason) || this.reasons.size < MAX_DISTINCT_REASONS ? reason : OTHER_REASONS);
    if (this.latest.length === this.limit && writtenOrder(e, this.latest[0]!) <= 0) return;
    // Sorted insert: the list is short (the limit), and mostly appended to.
    let at = this.latest.length;
    while (at > 0 && writtenOrder(this.latest[at - 1]!, e) > 0) at--;
    this.latest.splice(at, 0, e);
    if (this.latest.length > this.limit) this.latest.shift();
  }

  /** The report: the latest entries, then counts by stage and the most common reasons. */
  report(topic: string): string {
    if (this.total === 0) return `${topic}: no dead letters\n`;
    const table = renderTable(
      [
        { header: 'dead-lettered' },
        { header: 'from' },
        { header: 'stage' },
        { header: 'reason' },
        { header: 'message' },
      ],
      this.latest.map((e) => [
        e.time ?? '?',
        `${e.sourceTopic ?? '?'}[${e.sourcePartition ?? '?'}]@${e.sourceOffset ?? '?'}`,
        e.stage ?? '?',
        preview(e.reason, 80),
        e.valueEncoding === 'base64' ? `(binary) ${preview(e.value, 40)}` : preview(e.value, 60),
      ]),
    );
    const stages = mostFrequent(this.stages)
      .map(([stage, n]) => `${stage} ${n}`)
      .join(', ');
    const reasons = renderTable(
      [{ header: 'count', align: 'right' }, { header: 'reason (most common)' }],
      mostFrequent(this.reasons)
        .slice(0, 10)
        .map(([reason, n]) => [String(n), preview(reason, 100)]),
    );
    const shown =
      this.latest.length < this.total ? `the latest ${this.latest.length} of ${this.total}` : `all ${this.total}`;
    return `${topic}: ${this.total} dead letter(s); ${shown} below\n\n${table}\n\nby stage: ${stages}\n\n${reasons}\n`;
  }
}

function bump(counts: Map<string, number>, key: string): void {
  counts.set(key, (counts.get(key) ?? 0) + 1);
}

/** Counts, most frequent first (ties by key, so the output is stable). */
function mostFrequent(counts: Map<string, number>): [string, number][] {
  return [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

/** The report of a list of entries (see DeadLetterSummary). */
export function deadLetterReport(entries: readonly DeadLetterEntry[], limit: number, topic: string): string {
  const summary = new DeadLetterSummary(limit);
  for (const e of entries) summary.add(e);
  return summary.report(topic);
}
