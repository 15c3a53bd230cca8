import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsageError } from '../args.js';
import type { QualityReport } from '../scoring.js';
import { captureIo } from '../testing/capture-io.js';
import { scoreCommand } from './score.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tracewatch-score-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const labels = [
  {
    id: 'L1',
    scenario: 'backfill',
    kind: 'fabrication',
    detectors: ['backfill'],
    scope: { kind: 'org', platformId: 'p1', orgId: 'o1' },
    period: { start: '2025-03-03', end: '2025-03-09' },
    description: 'back-dated',
  },
  {
    id: 'H1',
    scenario: 'holiday',
    kind: 'hard-negative',
    detectors: [],
    scope: { kind: 'org', platformId: 'p1', orgId: 'o2' },
    period: { start: '2025-04-04', end: '2025-04-06' },
    description: 'Qingming',
  },
];
const findings = [
  {
    fingerprint: 'f1',
    detector: 'backfill',
    rule: 'weekly',
    scope: { kind: 'org', platformId: 'p1', orgId: 'o1' },
    period: { start: '2025-03-03', end: '2025-03-09' },
  },
  {
    fingerprint: 'f2',
    detector: 'under-dispersion',
    rule: 'org',
    scope: { kind: 'org', platformId: 'p1', orgId: 'o2' },
    period: { start: '2025-04-01', end: '2025-04-30' },
  },
];

function event(id: string, orgId: string, occurredAt: string): string {
  return JSON.stringify({
    specversion: '1.0',
    id,
    source: 'p1',
    type: 'gov.trace.v1',
    time: occurredAt,
    data: { platformId: 'p1', orgId, actorId: 'a', actorRole: 'staff', action: 'login', occurredAt },
  });
}

describe('score command', () => {
  it('reads findings, labels and events and reports the numbers as JSON', async () => {
    const f = join(dir, 'findings.json');
    const l = join(dir, 'labels.jsonl');
    const e = join(dir, 'events.jsonl');
    await writeFile(f, JSON.stringify(findings));
    await writeFile(l, `${labels.map((x) => JSON.stringify(x)).join('\n')}\n`);
    // o1: March and April; o2: April. 2025-03-31T16:30Z is already April 1st in UTC+8.
    await writeFile(
      e,
      [
        event('e1', 'o1', '2025-03-05T02:00:00Z'),
        event('e2', 'o1', '2025-03-31T16:30:00Z'),
        event('e3', 'o2', '2025-04-02T02:00:00Z'),
      ].join('\n'),
    );
    const io = captureIo();
    expect(await scoreCommand([f, l, '--events', e, '--format', 'json'], io)).toBe(0);
    const r = JSON.parse(io.stdout) as QualityReport;
    expect(r).toMatchObject({ findings: 2, truePositives: 1, precision: 0.5, falseFindings: 1 });
    // Covered: o1 March, o1 April, o2 April = 3; o1 March is touched by L1 → 2 clean; 1 / 2 × 1000.
    expect(r.unitMonths).toEqual({ covered: 3, clean: 2, source: 'events' });
    expect(r.falsePer1000CleanUnitMonths).toBe(500);
    expect(r.hardNegatives).toEqual([
      { scenario: 'holiday', labels: 1, falseFindings: 1, byDetector: { 'under-dispersion': 1 }, fingerprints: ['f2'] },
    ]);

    const table = captureIo();
    expect(await scoreCommand([f, l], table)).toBe(0);
    expect(table.stderr).toMatch(/estimated from the labels/);
    expect(table.stdout).toMatch(/precision 0\.500/);
    expect(table.stdout).toMatch(/backfill\s+1\s+1\s+1\s+1\.000/);
  });

  it('names the line of a bad label and the index of a bad finding', async () => {
    const f = join(dir, 'f.json');
    const l = join(dir, 'bad-labels.jsonl');
    await writeFile(f, JSON.stringify(findings));
    await writeFile(l, `${JSON.stringify(labels[0])}\n${JSON.stringify({ ...labels[1], kind: 'maybe' })}\n`);
    await expect(scoreCommand([f, l], captureIo())).rejects.toThrow(`${l}:2: not a label: kind`);

    const good = join(dir, 'good-labels.jsonl');
    await writeFile(good, `${JSON.stringify(labels[0])}\n`);
    const badF = join(dir, 'bad-findings.json');
    await writeFile(
      badF,
      JSON.stringify([findings[0], { ...findings[1], period: { start: '2025-04-30', end: '2025-04-01' } }]),
    );
    await expect(scoreCommand([badF, good], captureIo())).rejects.toThrow(`${badF}: finding [1]: period.end`);

    const notArray = join(dir, 'obj.json');
    await writeFile(notArray, '{"findings": 3}');
    await expect(scoreCommand([notArray, good], captureIo())).rejects.toThrow(/an object with a findings array/);
    await expect(scoreCommand([join(dir, 'missing.json'), good], captureIo())).rejects.toThrow(UsageError);
    await expect(scoreCommand([f], captureIo())).rejects.toThrow(/missing/);
  });
});
