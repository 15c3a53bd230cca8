import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type RowBinaryType, RowBinaryWriter, toRowBinary, UnstorableValueError } from './rowbinary.js';
import {
  EVALUATION_COLUMNS,
  EVALUATION_TYPES,
  evaluationRowBinary,
  evaluationToRow,
  REPORTED_METRIC_COLUMNS,
  REPORTED_METRIC_TYPES,
  reportedMetricRowBinary,
  reportedMetricToRow,
  TRACE_EVENT_COLUMNS,
  TRACE_EVENT_TYPES,
  traceEventRowBinary,
  traceEventToRow,
} from './rows.js';
import { validEvaluationArb, validReportedMetricArb, validTraceEventArb } from './testing/arbitraries.js';

/** The column definitions (name, type) of one CREATE TABLE in the store's migrations, in order. */
function migrationDefinitions(file: string, table: string): Array<[string, string]> {
  const sql = readFileSync(new URL(`../../store/migrations/${file}`, import.meta.url), 'utf8');
  const start = sql.indexOf(`{db}.${table} (`);
  const body = sql.slice(sql.indexOf('(', start) + 1, sql.indexOf(') ENGINE', start));
  return body
    .split('\n')
    .map((line) => line.trim().replace(/,$/, ''))
    .filter(Boolean)
    .map((line) => [line.split(/\s+/)[0]!, line.slice(line.indexOf(' ') + 1)]);
}
const migrationColumns = (file: string, table: string) => migrationDefinitions(file, table).map(([name]) => name);
/** Types as RowBinary sees them: DateTime('UTC') is a DateTime. */
const migrationTypes = (file: string, table: string) =>
  migrationDefinitions(file, table).map(([, type]) => type.replace("DateTime('UTC')", 'DateTime'));

/** Ingest times as Date.now() gives them, and a few odd ones (a DateTime holds none before 1970). */
const ingestedArb = fc.oneof(
  fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2099, 0, 1) }),
  fc.double({ min: 0, max: 4e12, noNaN: true }),
  fc.constantFrom(0, 0.5, 999.999, 1e12 + 0.999),
);

describe('column lists', () => {
  it.each([
    ['001_trace_events.sql', 'trace_events', TRACE_EVENT_COLUMNS],
    ['002_evaluations_and_metrics.sql', 'evaluations', EVALUATION_COLUMNS],
    ['002_evaluations_and_metrics.sql', 'reported_metrics', REPORTED_METRIC_COLUMNS],
  ])('%s %s: the table columns in order', (file, table, columns) => {
    expect([...columns]).toEqual(migrationColumns(file, table));
  });

  it('are the keys of the row objects', () => {
    fc.assert(
      fc.property(validTraceEventArb, validEvaluationArb, validReportedMetricArb, (e, ev, m) => {
        expect(Object.keys(traceEventToRow(e, 0)).sort()).toEqual([...TRACE_EVENT_COLUMNS].sort());
        expect(Object.keys(evaluationToRow(ev, 0)).sort()).toEqual([...EVALUATION_COLUMNS].sort());
        expect(Object.keys(reportedMetricToRow(m, 0)).sort()).toEqual([...REPORTED_METRIC_COLUMNS].sort());
      }),
      { numRuns: 100 },
    );
  });
});

/** One row by a direct encoder, as bytes. */
function direct<T>(encode: (w: RowBinaryWriter, v: T, ms: number) => void, v: T, ms: number): Buffer {
  const w = new RowBinaryWriter(16);
  encode(w, v, ms);
  w.endRow();
  return Buffer.from(w.finish().data);
}
/** As hex: a string compares far faster than a deep equality over bytes, and shows where. */
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const reference = (row: object, columns: readonly string[], types: readonly RowBinaryType[]) =>
  hex(toRowBinary([row], columns, types).data);

describe('direct RowBinary rows equal toRowBinary of the row', () => {
  it('trace events (hostile sources, every optional field present or absent)', () => {
    fc.assert(
      fc.property(validTraceEventArb, ingestedArb, (e, t) => {
        expect(hex(direct(traceEventRowBinary, e, t))).toBe(
          reference(traceEventToRow(e, t), TRACE_EVENT_COLUMNS, TRACE_EVENT_TYPES),
        );
      }),
      { numRuns: 20_000 },
    );
  });

  it('evaluations', () => {
    fc.assert(
      fc.property(validEvaluationArb, ingestedArb, (e, t) => {
        expect(hex(direct(evaluationRowBinary, e, t))).toBe(
          reference(evaluationToRow(e, t), EVALUATION_COLUMNS, EVALUATION_TYPES),
        );
      }),
      { numRuns: 10_000 },
    );
  });

  it('reported metrics', () => {
    fc.assert(
      fc.property(validReportedMetricArb, ingestedArb, (m, t) => {
        expect(hex(direct(reportedMetricRowBinary, m, t))).toBe(
          reference(reportedMetricToRow(m, t), REPORTED_METRIC_COLUMNS, REPORTED_METRIC_TYPES),
        );
      }),
      { numRuns: 10_000 },
    );
  });

  it('by hand: UTF-8 strings, nulls, offsets, fractions and -0 kept bit for bit', () => {
    const e = {
      specversion: '1.0' as const,
      id: 'evt-1',
      source: 'a\tb\nc\\d\0中😀',
      type: 'gov.trace.v1' as const,
      time: '2026-03-10T11:59:00.2509+08:00',
      data: {
        platformId: 'zwfw',
        orgId: 'org-001',
        actorId: 'a-17',
        actorRole: 'staff' as const,
        action: 'form.submit',
        occurredAt: '2026-03-10T03:58:00Z',
        value: -0,
        durationMs: 1500,
      },
    };
    const row = direct(traceEventRowBinary, e, Date.UTC(2026, 2, 10, 4));
    const source = Buffer.from(e.source);
    const expected = Buffer.concat([Buffer.from([5]), Buffer.from('evt-1'), Buffer.from([source.length]), source]);
    expect(row.subarray(0, expected.length)).toEqual(expected);
    // ... platform, org, actor, role, action, then occurred_at, its ms, recorded_at, its ms:
    let at = expected.length;
    for (const s of ['zwfw', 'org-001', 'a-17', 'staff', 'form.submit']) {
      expect(row[at]).toBe(s.length);
      at += 1 + s.length;
    }
    expect([
      row.readUInt32LE(at),
      row.readUInt16LE(at + 4),
      row.readUInt32LE(at + 6),
      row.readUInt16LE(at + 10),
    ]).toEqual([1773115080, 0, 1773115140, 250]);
    at += 12;
    expect([...row.subarray(at, at + 3)]).toEqual([0, 1, 1]); // task_id '', assigned_at and deadline NULL
    at += 3;
    expect(row[at]).toBe(0);
    expect(row.readBigUInt64LE(at + 1)).toBe(0x8000_0000_0000_0000n); // -0, not 0
    at += 9;
    expect(row[at]).toBe(1); // value_denominator NULL
    expect([row[at + 1], row.readUInt32LE(at + 2)]).toEqual([0, 1500]);
    expect(row.readUInt32LE(row.length - 4)).toBe(1773115200);
  });

  it('refuse what a column cannot hold, as toRowBinary does', () => {
    fc.assert(
      fc.property(validEvaluationArb, fc.constantFrom(Number.NaN, -1000, 2 ** 32 * 1000), (e, t) => {
        expect(() => direct(evaluationRowBinary, e, t)).toThrow(UnstorableValueError);
        expect(() => toRowBinary([evaluationToRow(e, t)], EVALUATION_COLUMNS, EVALUATION_TYPES)).toThrow(
          UnstorableValueError,
        );
      }),
      { numRuns: 20 },
    );
    const m = {
      id: 'm',
      platformId: 'p',
      orgId: 'o',
      metric: 'x',
      periodStart: '1969-12-31',
      periodEnd: '2026-01-01',
      value: 1,
      reportedAt: '2026-01-02T00:00:00Z',
    };
    expect(() => direct(reportedMetricRowBinary, m, 0)).toThrow(/period_start 1969-12-31 is outside/);
  });
});

describe('column types', () => {
  it.each([
    ['001_trace_events.sql', 'trace_events', TRACE_EVENT_TYPES],
    ['002_evaluations_and_metrics.sql', 'evaluations', EVALUATION_TYPES],
    ['002_evaluations_and_metrics.sql', 'reported_metrics', REPORTED_METRIC_TYPES],
  ])("%s %s: the tables' types in order (time zones aside)", (file, table, types) => {
    expect([...types]).toEqual(migrationTypes(file, table));
  });
});
