/**
 * The CLI on hostile flags and files (issue 8, item 11, in part): per-command --help, usage
 * with exit 2 when called bare, a malformed --brokers refused at once, an endless line capped.
 */
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/harness.js';

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
});
