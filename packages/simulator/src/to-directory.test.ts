import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { traceEventSchema } from '@tracewatch/schema';
import { afterAll, describe, expect, it } from 'vitest';
import { simulate } from './simulate.js';
import { simulateToDirectory } from './to-directory.js';
import type { SimulationCounts, SimulationOptions } from './types.js';

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

const lines = async (path: string) => (await readFile(path, 'utf8')).split('\n').filter((l) => l.length > 0);

describe('simulateToDirectory', () => {
  it('writes the four JSON Lines files with what simulate yields', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tracewatch-sim-'));
    dirs.push(dir);
    const options: SimulationOptions = { seed: 9, units: 4, months: 1, scenarioRate: 0.5 };
    const progress: SimulationCounts[] = [];
    const counts = await simulateToDirectory(options, join(dir, 'out'), (c) => progress.push(c));

    const events = await lines(join(dir, 'out', 'events.jsonl'));
    expect(events).toHaveLength(counts.events);
    expect((await lines(join(dir, 'out', 'evaluations.jsonl'))).length).toBe(counts.evaluations);
    expect((await lines(join(dir, 'out', 'metrics.jsonl'))).length).toBe(counts.metrics);
    expect((await lines(join(dir, 'out', 'labels.jsonl'))).length).toBe(counts.labels);
    expect(progress.at(-1)).toEqual(counts);

    const expected = [...simulate(options)].flatMap((r) => (r.kind === 'event' ? [JSON.stringify(r.event)] : []));
    expect(events).toEqual(expected);
    expect(traceEventSchema.safeParse(JSON.parse(events[0]!)).success).toBe(true);
    expect(counts.metrics).toBe(4 * 3);
  });
});
