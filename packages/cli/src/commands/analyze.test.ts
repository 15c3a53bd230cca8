import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Finding } from '@tracewatch/detectors';
import type { Label } from '@tracewatch/simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsageError } from '../args.js';
import { findingMatchesLabel } from '../scoring.js';
import { captureIo } from '../testing/capture-io.js';
import { analyzeCommand } from './analyze.js';
import { simulateCommand } from './simulate.js';

/** Simulating and analysing 12 units × 2 months takes 3–5 s on a quiet 2-core machine: 12× headroom. */
const SIMULATE_AND_ANALYZE_TIMEOUT_MS = 60_000;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tracewatch-cli-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A valid event line; `patch` changes data fields. */
function eventLine(id: string, patch: Record<string, unknown> = {}): string {
  return JSON.stringify({
    specversion: '1.0',
    id,
    source: 'platform/p1',
    type: 'gov.trace.v1',
    time: '2025-03-03T02:00:05Z',
    data: {
      platformId: 'p1',
      orgId: 'o1',
      actorId: 'a1',
      actorRole: 'staff',
      action: 'form.submit',
      occurredAt: '2025-03-03T02:00:00Z',
      ...patch,
    },
  });
}

describe('analyze on simulated data, end to end through the command functions', () => {
  it(
    'simulates a few units over 2 months, finds an injected scenario and writes valid JSON',
    async () => {
      const sim = join(dir, 'sim');
      const simIo = captureIo();
      expect(await simulateCommand(['--seed', '3', '--units', '12', '--months', '2', '--out', sim], simIo)).toBe(0);
      expect(simIo.stdout).toMatch(/events/);

      const out = join(dir, 'findings.json');
      const io = captureIo();
      const code = await analyzeCommand(
        [
          join(sim, 'events.jsonl'),
          '--evaluations',
          join(sim, 'evaluations.jsonl'),
          '--metrics',
          join(sim, 'metrics.jsonl'),
          '--format',
          'json',
          '--out',
          out,
        ],
        io,
      );
      expect(code).toBe(0);
      expect(io.stderr).toMatch(/analyzed [\d,]+ events \(validated\).* events\/s/);
      const written = JSON.parse(await readFile(out, 'utf8')) as { findings: Finding[]; utcOffset: string };
      expect(written.utcOffset).toBe('+08:00');
      const findings = written.findings;
      expect(Array.isArray(findings)).toBe(true);
      expect(findings.length).toBeGreaterThan(0);
      for (const f of findings) {
        expect(typeof f.fingerprint).toBe('string');
        expect(f.explanation.en.length).toBeGreaterThan(0);
        expect(f.explanation['zh-CN'].length).toBeGreaterThan(0);
      }
      const labels = (await readFile(join(sim, 'labels.jsonl'), 'utf8'))
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as Label);
      const fabrications = labels.filter((l) => l.kind === 'fabrication');
      const found = fabrications.filter((l) =>
        findings.some((f) => l.detectors.includes(f.detector) && findingMatchesLabel(f, l)),
      );
      expect(found.length).toBeGreaterThan(0);
    },
    SIMULATE_AND_ANALYZE_TIMEOUT_MS,
  );
});

describe('analyze says what it could not judge yet, in local days of the zone given', () => {
  /** 60 form values by one actor on 2025-03-03 … 03-05 (local), 100 each: a digit-preference window. */
  async function marchFile(name: string): Promise<string> {
    const file = join(dir, name);
    const lines = Array.from({ length: 60 }, (_, i) => {
      const at = Date.parse('2025-03-03T02:00:00Z') + i * 3_600_000;
      const event = JSON.parse(eventLine(`m${i}`, { value: 100 + i, occurredAt: new Date(at).toISOString() }));
      return JSON.stringify({ ...event, time: new Date(at + 5_000).toISOString() });
    });
    await writeFile(file, `${lines.join('\n')}\n`);
    return file;
  }

  it('a month not ended by asOf: counted and named in the summary and in the JSON', async () => {
    const file = await marchFile('march.jsonl');
    const out = join(dir, 'march.json');
    const io = captureIo();
    expect(await analyzeCommand([file, '--format', 'json', '--out', out], io)).toBe(0);
    expect(io.stderr).toMatch(
      /not judged: \d+ window\(s\) with data had not ended by asOf — .*digit-preference 1 \(latest 2025-03-01\.\.2025-03-31\)/,
    );
    const written = JSON.parse(await readFile(out, 'utf8'));
    expect(written.findings).toEqual([]);
    expect(written.notJudged.reason).toBe('window-not-ended');
    const digits = written.notJudged.byDetector.find((d: { detector: string }) => d.detector === 'digit-preference');
    expect(digits).toEqual({
      detector: 'digit-preference',
      windows: 1,
      periods: [{ start: '2025-03-01', end: '2025-03-31', windows: 1 }],
    });
    // judged once the month is over: nothing left unjudged by digit-preference
    const after = captureIo();
    expect(
      await analyzeCommand([file, '--format', 'json', '--out', out, '--as-of', '2025-04-02T00:00:00Z'], after),
    ).toBe(0);
    const later = JSON.parse(await readFile(out, 'utf8'));
    expect(later.notJudged.byDetector.some((d: { detector: string }) => d.detector === 'digit-preference')).toBe(false);
  });

  it('--utc-offset sets the local days: the month ends at local midnight of that zone', async () => {
    const file = await marchFile('march-zone.jsonl');
    const out = join(dir, 'march-zone.json');
    // 2025-04-01T03:00Z is past midnight at UTC+8 (11:00) but not at UTC−5 (22:00 on 03-31)
    const asOf = '2025-04-01T03:00:00Z';
    const pendingDigits = async (offset: string) => {
      const io = captureIo();
      expect(
        await analyzeCommand([file, '--format', 'json', '--out', out, '--as-of', asOf, '--utc-offset', offset], io),
      ).toBe(0);
      const written = JSON.parse(await readFile(out, 'utf8'));
      return {
        utcOffset: written.utcOffset,
        pending: written.notJudged.byDetector.some((d: { detector: string }) => d.detector === 'digit-preference'),
        stderr: io.stderr,
      };
    };
    expect(await pendingDigits('Asia/Shanghai')).toMatchObject({ utcOffset: '+08:00', pending: false });
    const west = await pendingDigits('-05:00');
    expect(west).toMatchObject({ utcOffset: '-05:00', pending: true });
    expect(west.stderr).toContain('local days UTC-05:00');
  });

  it('without --utc-offset, the deployment setting TRACEWATCH_UTC_OFFSET the services read', async () => {
    const file = await marchFile('march-zone-env.jsonl');
    const out = join(dir, 'march-zone-env.json');
    const run = async (argv: string[], env: NodeJS.ProcessEnv) => {
      expect(await analyzeCommand([file, '--format', 'json', '--out', out, ...argv], captureIo(), env)).toBe(0);
      return JSON.parse(await readFile(out, 'utf8')).utcOffset;
    };
    expect(await run([], { TRACEWATCH_UTC_OFFSET: '-05:00' })).toBe('-05:00');
    expect(await run(['--utc-offset', '+03:00'], { TRACEWATCH_UTC_OFFSET: '-05:00' })).toBe('+03:00');
    expect(await run([], {})).toBe('+08:00');
    await expect(analyzeCommand([file], captureIo(), { TRACEWATCH_UTC_OFFSET: 'Europe/Paris' })).rejects.toThrow(
      /TRACEWATCH_UTC_OFFSET: time zone "Europe\/Paris" changes its offset/,
    );
  });
});

describe('analyze on bad input', () => {
  it('a missing file is a UsageError naming the file', async () => {
    const missing = join(dir, 'nope.jsonl');
    await expect(analyzeCommand([missing], captureIo())).rejects.toThrow(UsageError);
    await expect(analyzeCommand([missing], captureIo())).rejects.toThrow(`cannot read ${missing}`);
  });

  it('a missing evaluations file too', async () => {
    const events = join(dir, 'one.jsonl');
    await writeFile(events, `${eventLine('e1')}\n`);
    await expect(analyzeCommand([events, '--evaluations', join(dir, 'none.jsonl')], captureIo())).rejects.toThrow(
      UsageError,
    );
  });

  it('a line that is not JSON: file:line on stderr, exit 2, nothing judged', async () => {
    const file = join(dir, 'not-json.jsonl');
    await writeFile(file, `${eventLine('e1')}\n{"specversion": "1.0", oops\n${eventLine('e3')}\n`);
    const io = captureIo();
    expect(await analyzeCommand([file, '--format', 'json'], io)).toBe(2);
    expect(io.stderr).toContain(`${file}:2: not JSON`);
    expect(io.stderr).toMatch(/nothing was judged/);
    expect(io.stdout).toBe('');
  });

  it('an invalid event names the line and the field, in both modes', async () => {
    const file = join(dir, 'invalid.jsonl');
    await writeFile(file, `${eventLine('e1')}\n\n${eventLine('e3', { actorRole: 'robot' })}\n`);
    for (const mode of [[], ['--trusted']]) {
      const io = captureIo();
      expect(await analyzeCommand([file, ...mode], io)).toBe(2);
      // Line 3: the blank line 2 is counted but not judged.
      expect(io.stderr).toMatch(new RegExp(`${file.replaceAll('.', '\\.')}:3: .*actorRole`));
    }
  });

  it('the schema catches what the trusted path lets through (an id with a space)', async () => {
    const file = join(dir, 'bad-id.jsonl');
    await writeFile(file, `${eventLine('e 1')}\n`);
    expect(await analyzeCommand([file], captureIo())).toBe(2);
    expect(await analyzeCommand([file, '--trusted'], captureIo())).toBe(0);
  });

  it('--skip-invalid counts and skips bad lines and still judges the rest', async () => {
    const file = join(dir, 'mixed.jsonl');
    await writeFile(
      file,
      `${eventLine('e1')}\nnot json\n${eventLine('e3', { occurredAt: 'yesterday' })}\n${eventLine('e4')}\n`,
    );
    const io = captureIo();
    const out = join(dir, 'mixed.json');
    expect(await analyzeCommand([file, '--skip-invalid', '--format', 'json', '--out', out], io)).toBe(0);
    expect(io.stderr).toContain(`${file}:2:`);
    expect(io.stderr).toContain(`${file}:3:`);
    expect(io.stderr).toMatch(/analyzed 2 events \(validated, 2 invalid line\(s\) skipped\)/);
    expect(JSON.parse(await readFile(out, 'utf8')).findings).toEqual([]);
  });

  it('bad options are UsageErrors', async () => {
    const file = join(dir, 'one.jsonl');
    await expect(analyzeCommand([file, '--format', 'xml'], captureIo())).rejects.toThrow(/--format/);
    await expect(analyzeCommand([file, '--detectors', 'astrology'], captureIo())).rejects.toThrow(/unknown detector/);
    await expect(analyzeCommand([file, '--as-of', 'soon'], captureIo())).rejects.toThrow(/--as-of/);
    await expect(analyzeCommand([file, '--utc-offset', 'Europe/Paris'], captureIo())).rejects.toThrow(
      /--utc-offset: time zone "Europe\/Paris" changes its offset/,
    );
    await expect(analyzeCommand([], captureIo())).rejects.toThrow(/missing <events.jsonl>/);
  });
});
