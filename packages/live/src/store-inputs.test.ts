import type { TraceRecord } from '@tracewatch/detectors';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { traceChunkToRecords, unescapeTsv } from './store-inputs.js';

/** The plain reading of one line, field by field (the oracle): split, unescape, map NULL and ''. */
function oracle(line: string): TraceRecord {
  const r = line.split('\t');
  const nullable = (f: string) => (f === '\\N' ? undefined : Number(f));
  const optional = (f: string) => (f === '' ? undefined : unescapeTsv(f));
  const seconds = (f: string) => (f === '\\N' ? undefined : Number(f) * 1000);
  return {
    id: unescapeTsv(r[0]!),
    platformId: unescapeTsv(r[1]!),
    orgId: unescapeTsv(r[2]!),
    actorId: unescapeTsv(r[3]!),
    actorRole: r[4] as TraceRecord['actorRole'],
    action: unescapeTsv(r[5]!),
    occurredAt: Number(r[6]),
    recordedAt: Number(r[7]),
    taskId: optional(r[8]!),
    assignedAt: seconds(r[9]!),
    deadline: seconds(r[10]!),
    value: nullable(r[11]!),
    valueDenominator: nullable(r[12]!),
    durationMs: nullable(r[13]!),
    contentHash: optional(r[14]!),
    simhash: optional(r[15]!),
  };
}

const chunk = (lines: string[]) => new TextEncoder().encode(lines.map((l) => `${l}\n`).join(''));

/** ClickHouse's TabSeparated escaping of a String. */
const escapeTsv = (s: string) =>
  s.replace(
    /[\\\t\n\r\0\b\f']/g,
    (c) =>
      `\\${({ '\t': 't', '\n': 'n', '\r': 'r', '\0': '0', '\b': 'b', '\f': 'f' } as Record<string, string>)[c] ?? c}`,
  );

describe('traceChunkToRecords', () => {
  it('reads a line with every field, NULLs, empties and escapes', () => {
    const lines = [
      'e-1\tplat-01\torg-0001\torg-0001-s01\tstaff\tform.submit\t1735689600123\t1735689601456\ttask-9\t1735000000\t1736000000\t42.5\t100\t1200\tabc123\t00ff00ff00ff00ff',
      'e\\t2\tplat-01\t单位\\\\甲\tp\\n1\tpublic\tview\t1735689600000\t1735689600000\t\t\\N\t\\N\t\\N\t\\N\t\\N\t\t',
      'e-3\tp\to\ta\tsystem\tsync\t0\t1\t\t\\N\t\\N\t-0.001\t1e-7\t0\t\t',
    ];
    const records = traceChunkToRecords(chunk(lines));
    expect(records).toEqual(lines.map(oracle));
    expect(records[1]).toMatchObject({ id: 'e\t2', orgId: '单位\\甲', actorId: 'p\n1', taskId: undefined });
    expect(records[1]!.value).toBeUndefined();
    expect(records[0]).toMatchObject({ assignedAt: 1735000000000, value: 42.5, simhash: '00ff00ff00ff00ff' });
  });

  it('equals the field-by-field reading on generated lines', () => {
    const text = fc.string({
      unit: fc.constantFrom('a', 'Z', '9', '-', '\\', '\t', '\n', "'", '单', '😀'),
      maxLength: 12,
    });
    const num = fc.oneof(fc.constant('\\N'), fc.double({ noNaN: true, noDefaultInfinity: true }).map(String));
    const int = fc.nat({ max: 2 ** 45 }).map(String);
    const line = fc
      .tuple(text, text, text, text, fc.constantFrom('staff', 'public', 'system'), text, int, int, text)
      .chain((head) =>
        fc
          .tuple(fc.oneof(fc.constant('\\N'), int), fc.oneof(fc.constant('\\N'), int), num, num, num, text, text)
          .map((tail) => [
            ...head.slice(0, 4).map((s) => escapeTsv(s as string)),
            head[4],
            escapeTsv(head[5]),
            head[6],
            head[7],
            escapeTsv(head[8]),
            tail[0],
            tail[1],
            tail[2],
            tail[3],
            tail[4],
            escapeTsv(tail[5]),
            escapeTsv(tail[6]),
          ]),
      )
      .map((fields) => fields.join('\t'));
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 20 }), (lines) => {
        expect(traceChunkToRecords(chunk(lines))).toEqual(lines.map(oracle));
      }),
      { numRuns: 100 },
    );
  }, 120_000);

  it('refuses a line with a field missing, naming it, and a chunk cut inside a line', () => {
    expect(() => traceChunkToRecords(chunk(['e-1\tp\to\ta\tstaff\tx\t1\t2']))).toThrow(
      /has 8 fields, 16 expected: e-1/,
    );
    expect(() => traceChunkToRecords(new TextEncoder().encode('e-1\tp'))).toThrow(/ends inside a line/);
  });
});
