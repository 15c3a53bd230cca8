/** `tracewatch produce` against the real Kafka: keys, refused lines, --raw. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { ensureTopics } from '@tracewatch/bus';
import { describe, expect, it } from 'vitest';
import { makeEvent } from './support/events.js';
import { readTopic, runCli, testKafka, uniqueScope } from './support/harness.js';

const kafka = testKafka();
const cli = runCli;

describe('tracewatch produce', () => {
  const dir = mkdtempSync(`${tmpdir()}/tw-produce-`);
  const file = `${dir}/events.jsonl`;
  const lines = [
    JSON.stringify(makeEvent(1)),
    '{broken',
    JSON.stringify(makeEvent(2)),
    '',
    JSON.stringify({ ...makeEvent(3), type: 'other' }),
  ];
  writeFileSync(file, `${lines.join('\n')}\n`);

  it('sends the valid lines keyed by orgId and names the invalid ones by line number', async () => {
    const scope = uniqueScope('produce');
    const topic = `${scope.topicPrefix}trace-events`;
    await ensureTopics(kafka, [{ topic, numPartitions: 3 }]);
    const r = cli(['produce', file, '--topic-prefix', scope.topicPrefix]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/events\.jsonl:2: not sent: not JSON/);
    expect(r.stderr).toMatch(/events\.jsonl:5: not sent: .*type/);
    expect(r.stderr).toMatch(/sent 2 message/);
    const got = await readTopic(kafka, topic, 2);
    expect(got.map((m) => m.key?.toString()).sort()).toEqual([makeEvent(1).data.orgId, makeEvent(2).data.orgId].sort());
  });

  it('sends every line as it is with --raw', async () => {
    const scope = uniqueScope('produceraw');
    const topic = `${scope.topicPrefix}trace-events`;
    await ensureTopics(kafka, [{ topic, numPartitions: 1 }]);
    const r = cli(['produce', file, '--topic-prefix', scope.topicPrefix, '--raw']);
    expect(r.status).toBe(0);
    const got = await readTopic(kafka, topic, 4);
    expect(got.map((m) => m.value?.toString())).toEqual(lines.filter((l) => l !== ''));
  });

  it('explains a missing file or a bad option without a stack trace', () => {
    const missing = cli(['produce', `${dir}/nope.jsonl`]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/cannot read .*nope\.jsonl: no such file/);
    expect(missing.stderr).not.toMatch(/\n\s+at /);
    const bad = cli(['produce', file, '--topic', 'nope']);
    expect(bad.stderr).toMatch(/--topic must be one of/);
  });

  it('says a topic does not exist instead of waiting for it (produce and dlq)', () => {
    const produce = cli(['produce', file, '--topic-prefix', 'no_such_prefix.']);
    expect(produce.status).toBe(2);
    expect(produce.stderr).toMatch(/topic no_such_prefix\.trace-events does not exist/);
    const dlq = cli(['dlq', '--topic-prefix', 'no_such_prefix.']);
    expect(dlq.status).toBe(2);
    expect(dlq.stderr).toMatch(/topic no_such_prefix\.trace-events\.dlq does not exist/);
  });

  it('says Kafka cannot be reached, without a stack trace', () => {
    for (const command of [['produce', file], ['dlq']]) {
      const r = cli([...command, '--brokers', '127.0.0.1:1']);
      expect(r.status).toBe(1);
      expect(r.stderr).toMatch(/^tracewatch: Kafka: .*ECONNREFUSED 127\.0\.0\.1:1.*stack:up/);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });
});
