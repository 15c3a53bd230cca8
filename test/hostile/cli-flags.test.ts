/**
 * The CLI on hostile flags and files (issue 8, item 11): per-command --help, usage with exit 2
 * when called bare, a malformed --brokers refused at once, an endless line capped (analyze and
 * produce), an unwritable --out refused at once, simulate's progress from the start, and dlq
 * streaming a topic of large dead letters in bounded memory.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deadLetterMessage } from '@tracewatch/bus';
import { DLQ_MAX_MESSAGE_BYTES, TOPICS } from '@tracewatch/schema';
import { Partitioners } from 'kafkajs';
import { afterAll, describe, expect, it } from 'vitest';
import type { CommandIo } from '../../packages/cli/src/command-io.js';
import { simulateCommand } from '../../packages/cli/src/commands/simulate.js';
import { brokers, runCli, testKafka, uniqueScope } from '../support/harness.js';
import { REPO_ROOT } from '../support/servers.js';

describe('hostile CLI flags', () => {
  it('prints a command\'s own usage for "<command> --help", exit 0', () => {
    for (const command of ['produce', 'dlq', 'analyze', 'simulate', 'score']) {
      const r = runCli([command, '--help']);
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout).toMatch(new RegExp(`^tracewatch ${command}`));
    }
  });

  it('prints the usage and exits 2 when called with no command', () => {
    const r = runCli([]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^usage: tracewatch <command>/);
  });

  it('refuses a malformed --brokers at once with one line, exit 2 (not kafkajs after its retries)', () => {
    for (const brokers of ['localhost', 'a:b', 'host:99999', 'h:1,,h:2', ' : ']) {
      const r = runCli(['dlq', '--brokers', brokers]);
      expect(r.status, brokers).toBe(2);
      expect(r.stderr.trim().split('\n')).toEqual([
        `tracewatch: --brokers must be host:port[,host:port...], got ${JSON.stringify(brokers)}`,
      ]);
    }
  });

  it('analyze on /dev/zero stops with the line number instead of growing without bound', () => {
    const r = runCli(['analyze', '/dev/zero']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/\/dev\/zero: line 1 is longer than \d+ characters/);
  });

  it('produce on /dev/zero stops with the line number too', async () => {
    const scope = uniqueScope('cliproduce');
    const topic = `${scope.topicPrefix}${TOPICS.traceEvents}`;
    const admin = testKafka().admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
    await admin.disconnect();
    const r = runCli(['produce', '/dev/zero', '--topic-prefix', scope.topicPrefix]);
    expect(r.status, r.stderr).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/^tracewatch: \/dev\/zero: line 1 is longer than \d+ characters/),
    ]);
  });

  describe('simulate --out', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tw-cli-out-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    const simulate = (out: string) =>
      runCli(['simulate', '--seed', '1', '--units', '2', '--months', '1', '--start', '2026-01-01', '--out', out]);

    it('refuses a path under a file at once: one line, exit 2', () => {
      writeFileSync(join(dir, 'a-file'), '');
      const r = simulate(join(dir, 'a-file', 'sub'));
      expect(r.status, r.stderr).toBe(2);
      expect(r.stderr.trim().split('\n')).toEqual([
        `tracewatch: cannot write to ${join(dir, 'a-file', 'sub')}: ENOTDIR`,
      ]);
    });

    it('refuses a directory where an output file goes (mkdir works, the file cannot be written)', () => {
      const out = join(dir, 'taken');
      mkdirSync(join(out, 'events.jsonl'), { recursive: true });
      const r = simulate(out);
      expect(r.status, r.stderr).toBe(2);
      expect(r.stderr.trim().split('\n')).toEqual([`tracewatch: cannot write to ${join(out, 'events.jsonl')}: EISDIR`]);
    });

    it('says what it does before the first event is written', async () => {
      const out = join(dir, 'progress');
      const said: Array<{ text: string; eventBytes: number }> = [];
      const io: CommandIo = {
        out: () => {},
        err: (text) => said.push({ text, eventBytes: statSync(join(out, 'events.jsonl')).size }),
      };
      const argv = ['--seed', '1', '--units', '2', '--months', '1', '--start', '2026-01-01', '--out', out];
      expect(await simulateCommand(argv, io)).toBe(0);
      expect(said[0]).toEqual({
        text: `simulate: 2 unit(s) × 1 month(s), seed 1, writing to ${out}/ …\n`,
        eventBytes: 0,
      });
    });
  });

  it('dlq --limit 3 streams a topic of large dead letters: its peak memory stays far below the topic size', async () => {
    const scope = uniqueScope('clidlq');
    const topic = `${scope.topicPrefix}${TOPICS.traceEventsDlq}`;
    const kafka = testKafka();
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({
      topics: [
        {
          topic,
          numPartitions: 3,
          configEntries: [{ name: 'max.message.bytes', value: String(DLQ_MAX_MESSAGE_BYTES) }],
        },
      ],
      waitForLeaders: true,
    });
    await admin.disconnect();
    // 300 dead letters of ~1 MB each (text, not compressible): a 300 MB topic.
    const LETTERS = 300;
    const producer = kafka.producer({
      allowAutoTopicCreation: false,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    await producer.connect();
    for (let i = 0; i < LETTERS; i += 10) {
      const messages = Array.from({ length: 10 }, (_, k) =>
        deadLetterMessage(
          {
            topic: 'trace-events',
            partition: 0,
            message: {
              key: Buffer.from(`org-${i + k}`),
              value: Buffer.from(randomBytes(750_000).toString('base64')),
              headers: {},
              offset: String(i + k),
            },
            stage: i + k < 200 ? 'size' : 'json',
            reason: i + k < 200 ? 'message is 1000000 bytes, the limit is 16384' : 'not JSON: Unexpected token',
          },
          Date.UTC(2026, 0, 1) + (i + k) * 1000,
        ),
      );
      await producer.send({ topic, messages, acks: -1 });
    }
    await producer.disconnect();
    const topicBytes = LETTERS * 1_000_000;

    // GNU time reports the peak RSS of the CLI process ("Maximum resident set size (kbytes)").
    const r = spawnSync(
      '/usr/bin/time',
      [
        '-v',
        process.execPath,
        `${REPO_ROOT}packages/cli/dist/main.js`,
        'dlq',
        '--limit',
        '3',
        '--topic-prefix',
        scope.topicPrefix,
        '--timeout-ms',
        '600000',
      ],
      { encoding: 'utf8', timeout: 900_000, env: { ...process.env, KAFKA_BROKERS: brokers().join(',') } },
    );
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain(`${topic}: ${LETTERS} dead letter(s); the latest 3 of ${LETTERS} below`);
    expect(r.stdout).toContain('by stage: size 200, json 100');
    expect(r.stdout).toContain('trace-events[0]@299');
    expect(r.stdout).not.toContain('trace-events[0]@296');
    const peakKb = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr)?.[1]);
    // Holding the topic took more than its size (2.6 GB for 1 GB); streaming holds a few fetches.
    expect(peakKb * 1024).toBeLessThan(topicBytes * 0.6);
  });
});
