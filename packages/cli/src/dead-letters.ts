/**
 * What `tracewatch dlq` shows of the dead-letter topic: one entry per refused message (where
 * it came from, which check refused it and why, and the message itself), and counts by stage
 * and by reason, so an operator sees at a glance whether one platform sends one kind of bad
 * data or something new broke.
 */
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

const utf8 = new TextDecoder('utf-8', { fatal: true });

function text(bytes: Buffer | null | undefined): { value: string | null; encoding: 'utf8' | 'base64' } {
  if (bytes === null || bytes === undefined) return { value: null, encoding: 'utf8' };
  try {
    return { value: utf8.decode(bytes), encoding: 'utf8' };
  } catch {
    return { value: bytes.toString('base64'), encoding: 'base64' };
  }
}

export function deadLetterEntry(message: KafkaMessage): DeadLetterEntry {
  const h = readDeadLetterHeaders(message);
  const value = text(message.value);
  const partition = h.sourcePartition === undefined ? Number.NaN : Number(h.sourcePartition);
  return {
    time: h.time ?? null,
    sourceTopic: h.sourceTopic ?? null,
    sourcePartition: Number.isInteger(partition) ? partition : null,
    sourceOffset: h.sourceOffset ?? null,
    stage: h.stage ?? null,
    reason: h.reason ?? null,
    key: text(message.key).value,
    value: value.value,
    valueEncoding: value.encoding,
  };
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
  const text = (s: string | null) => s ?? '';
  return entries.sort(
    (a, b) =>
      text(a.time).localeCompare(text(b.time)) ||
      text(a.sourceTopic).localeCompare(text(b.sourceTopic)) ||
      (a.sourcePartition ?? -1) - (b.sourcePartition ?? -1) ||
      Number(a.sourceOffset ?? -1) - Number(b.sourceOffset ?? -1),
  );
}

/** A cell-sized, one-line view: control characters escaped (\n, \u0000), cut to `max` characters. */
export function preview(s: string | null, max: number): string {
  if (s === null) return '(null)';
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
  const oneLine = s.replace(/[\u0000-\u001f\u007f\u2028\u2029]/g, (c) => JSON.stringify(c).slice(1, -1));
  return oneLine.length <= max ? oneLine : `${oneLine.slice(0, max - 1)}…`;
}

/** Counts by key, most frequent first (ties by key, so the output is stable). */
function countBy(entries: readonly DeadLetterEntry[], key: (e: DeadLetterEntry) => string): [string, number][] {
  const counts = new Map<string, number>();
  for (const e of entries) counts.set(key(e), (counts.get(key(e)) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

/** The report: the latest `limit` entries, then counts by stage and the most common reasons. */
export function deadLetterReport(entries: readonly DeadLetterEntry[], limit: number, topic: string): string {
  if (entries.length === 0) return `${topic}: no dead letters\n`;
  const latest = entries.slice(-limit);
  const table = renderTable(
    [{ header: 'dead-lettered' }, { header: 'from' }, { header: 'stage' }, { header: 'reason' }, { header: 'message' }],
    latest.map((e) => [
      e.time ?? '?',
      `${e.sourceTopic ?? '?'}[${e.sourcePartition ?? '?'}]@${e.sourceOffset ?? '?'}`,
      e.stage ?? '?',
      preview(e.reason, 80),
      e.valueEncoding === 'base64' ? `(binary) ${preview(e.value, 40)}` : preview(e.value, 60),
    ]),
  );
  const stages = countBy(entries, (e) => e.stage ?? '?')
    .map(([stage, n]) => `${stage} ${n}`)
    .join(', ');
  const reasons = renderTable(
    [{ header: 'count', align: 'right' }, { header: 'reason (most common)' }],
    countBy(entries, (e) => e.reason ?? '?')
      .slice(0, 10)
      .map(([reason, n]) => [String(n), preview(reason, 100)]),
  );
  const shown =
    latest.length < entries.length ? `the latest ${latest.length} of ${entries.length}` : `all ${entries.length}`;
  return `${topic}: ${entries.length} dead letter(s); ${shown} below\n\n${table}\n\nby stage: ${stages}\n\n${reasons}\n`;
}
