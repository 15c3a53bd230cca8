import { deadLetterMessage } from '@tracewatch/bus';
import type { KafkaMessage } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { deadLetterEntry, deadLetterReport, firstPerSource, inWrittenOrder, preview } from './dead-letters.js';

/** A message as the DLQ holds it: what ingest publishes, read back from Kafka. */
function deadLetter(value: Buffer | null, stage: string, reason: string, offset: string, nowMs: number): KafkaMessage {
  const m = deadLetterMessage(
    {
      topic: 'trace-events',
      partition: 2,
      message: { key: Buffer.from('org-1'), value, headers: {}, offset },
      stage,
      reason,
    },
    nowMs,
  );
  const headers = Object.fromEntries(Object.entries(m.headers ?? {}).map(([k, v]) => [k, Buffer.from(String(v))]));
  return {
    key: m.key as Buffer,
    value: m.value as Buffer | null,
    headers,
    offset: '0',
    timestamp: String(nowMs),
    attributes: 0,
  };
}

const T = Date.parse('2026-03-10T04:00:00Z');

describe('deadLetterEntry', () => {
  it('reads where the message came from, why it was refused, and the message', () => {
    const e = deadLetterEntry(deadLetter(Buffer.from('{not json'), 'json', 'not JSON: oops', '41', T));
    expect(e).toEqual({
      time: '2026-03-10T04:00:00.000Z',
      sourceTopic: 'trace-events',
      sourcePartition: 2,
      sourceOffset: '41',
      stage: 'json',
      reason: 'not JSON: oops',
      key: 'org-1',
      value: '{not json',
      valueEncoding: 'utf8',
    });
  });

  it('keeps bytes that are not UTF-8 as base64, and a null value as null', () => {
    const binary = deadLetterEntry(deadLetter(Buffer.from([0xff, 0xfe, 0x00]), 'json', 'not JSON', '1', T));
    expect(binary).toMatchObject({ value: '//4A', valueEncoding: 'base64' });
    expect(deadLetterEntry(deadLetter(null, 'json', 'empty message (null value)', '2', T)).value).toBeNull();
  });
});

describe('preview', () => {
  it('escapes control characters and cuts to the width', () => {
    expect(preview('a\tb\nc\u0000"q"', 100)).toBe('a\\tb\\nc\\u0000"q"');
    expect(preview('x'.repeat(10), 5)).toBe('xxxx…');
    expect(preview(null, 5)).toBe('(null)');
  });
});

describe('deadLetterReport', () => {
  const entries = inWrittenOrder(
    [
      deadLetter(Buffer.from('b'), 'schema', 'id: bad', '7', T + 1000),
      deadLetter(Buffer.from('a'), 'json', 'not JSON', '5', T),
      deadLetter(Buffer.from('c'), 'json', 'not JSON', '9', T + 2000),
    ].map(deadLetterEntry),
  );

  it('lists the latest in the order they were written, then counts by stage and reason', () => {
    expect(entries.map((e) => e.sourceOffset)).toEqual(['5', '7', '9']);
    const text = deadLetterReport(entries, 2, 'trace-events.dlq');
    expect(text).toContain('trace-events.dlq: 3 dead letter(s); the latest 2 of 3 below');
    expect(text).not.toContain('@5'); // the oldest is beyond the limit
    expect(text).toContain('trace-events[2]@9');
    expect(text).toContain('by stage: json 2, schema 1');
    expect(text).toMatch(/ {4}2 {2}not JSON\n/);
  });

  it('says so when there is nothing', () => {
    expect(deadLetterReport([], 50, 'trace-events.dlq')).toBe('trace-events.dlq: no dead letters\n');
  });
});

describe('firstPerSource', () => {
  it('passes each source record once, however often it was dead-lettered', () => {
    const once = firstPerSource();
    const copies = ['7', '8', '7', '7', '9', '8'].map((offset, i) =>
      deadLetterEntry(deadLetter(Buffer.from(`m${offset}`), 'json', 'not JSON', offset, T + i)),
    );
    expect(copies.filter(once).map((e) => e.sourceOffset)).toEqual(['7', '8', '9']);
  });

  it('passes entries that do not say where they came from', () => {
    const once = firstPerSource();
    const anonymous = { ...deadLetterEntry(deadLetter(null, 'json', 'empty', '1', T)), sourceOffset: null };
    expect([anonymous, anonymous].filter(once)).toHaveLength(2);
  });
});
