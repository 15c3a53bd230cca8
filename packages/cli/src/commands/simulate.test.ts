import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CommandIo } from '../command-io.js';
import { simulateCommand } from './simulate.js';

const silent: CommandIo = { out: () => {}, err: () => {} };

describe('simulate command', () => {
  it('writes the four files and prints their counts', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tracewatch-simcmd-'));
    try {
      let printed = '';
      const io: CommandIo = { out: (t) => (printed += t), err: () => {} };
      expect(
        await simulateCommand(
          ['--seed', '5', '--units', '2', '--months', '1', '--start', '2026-03-01', '--out', dir],
          io,
        ),
      ).toBe(0);
      const lines = async (name: string) =>
        (await readFile(join(dir, name), 'utf8')).split('\n').filter(Boolean).length;
      const events = await lines('events.jsonl');
      expect(events).toBeGreaterThan(0);
      expect(printed).toContain(`${events.toLocaleString('en-US')} events`);
      expect(printed).toContain(`${(await lines('labels.jsonl')).toLocaleString('en-US')} labels`);
      const first = JSON.parse((await readFile(join(dir, 'events.jsonl'), 'utf8')).split('\n')[0]!);
      // 2026-03-01 00:00 in UTC+8 is 2026-02-28T16:00Z: the first trace is not before that.
      expect(Date.parse(first.data.occurredAt)).toBeGreaterThanOrEqual(Date.parse('2026-02-28T16:00:00Z'));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it.each([
    [['--units', '2', '--months', '1', '--out', 'x'], /missing --seed/],
    [['--seed', '1', '--units', '0', '--months', '1', '--out', 'x'], /--units must be a whole number ≥ 1/],
    [['--seed', '1', '--units', '2', '--months', '1'], /missing --out/],
    [['--seed', '1', '--units', '2', '--months', '1', '--out', 'x', '--start', '1 March'], /--start must be a day/],
    [['--seed', '1', '--units', '2', '--months', '1', '--out', 'x', '--colour', 'red'], /unknown option --colour/],
  ])('refuses %j', async (argv, message) => {
    await expect(simulateCommand(argv, silent)).rejects.toThrow(message);
  });
});
