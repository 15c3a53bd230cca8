import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  EVALUATION_COLUMNS,
  evaluationToRow,
  evaluationTsv,
  REPORTED_METRIC_COLUMNS,
  reportedMetricToRow,
  reportedMetricTsv,
  TRACE_EVENT_COLUMNS,
  traceEventToRow,
  traceEventTsv,
} from './rows.js';
import { validEvaluationArb, validReportedMetricArb, validTraceEventArb } from './testing/arbitraries.js';
import { toTsv } from './tsv.js';

/** Column names of one CREATE TABLE in the store's migrations, in order. */
function migrationColumns(file: string, table: string): string[] {
  const sql = readFileSync(new URL(`../../store/migrations/${file}`, import.meta.url), 'utf8');
  const start = sql.indexOf(`{db}.${table} (`);
  const body = sql.slice(sql.indexOf('(', start) + 1, sql.indexOf(') ENGINE', start));
  return body
    .split('\n')
    .map((line) => line.trim().split(/\s+/)[0]!)
    .filter(Boolean);
}

/** Ingest times as Date.now() gives them, and a few odd ones. */
const ingestedArb = fc.oneof(
  fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2099, 0, 1) }),
  fc.double({ min: 0, max: 4e12, noNaN: true }),
  fc.constantFrom(0, -1, -0.5, 1e12 + 0.999),
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

describe('direct TSV lines equal toTsv of the row', () => {
  it('trace events (hostile sources, every optional field present or absent)', () => {
    fc.assert(
      fc.property(validTraceEventArb, ingestedArb, (e, t) => {
        expect(traceEventTsv(e, t)).toBe(toTsv([traceEventToRow(e, t)], TRACE_EVENT_COLUMNS));
      }),
      { numRuns: 20_000 },
    );
  });

  it('evaluations', () => {
    fc.assert(
      fc.property(validEvaluationArb, ingestedArb, (e, t) => {
        expect(evaluationTsv(e, t)).toBe(toTsv([evaluationToRow(e, t)], EVALUATION_COLUMNS));
      }),
      { numRuns: 10_000 },
    );
  });

  it('reported metrics', () => {
    fc.assert(
      fc.property(validReportedMetricArb, ingestedArb, (m, t) => {
        expect(reportedMetricTsv(m, t)).toBe(toTsv([reportedMetricToRow(m, t)], REPORTED_METRIC_COLUMNS));
      }),
      { numRuns: 10_000 },
    );
  });

  it('by hand: escapes, nulls, offsets and fractions', () => {
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
    const line = traceEventTsv(e, Date.UTC(2026, 2, 10, 4));
    expect(line).toBe(toTsv([traceEventToRow(e, Date.UTC(2026, 2, 10, 4))], TRACE_EVENT_COLUMNS));
    expect(line.split('\t').slice(0, 2)).toEqual(['evt-1', 'a\\tb\\nc\\\\d\\0中😀']);
    expect(line.split('\t').slice(7, 17)).toEqual([
      '1773115080',
      '0',
      '1773115140',
      '250',
      '',
      '\\N',
      '\\N',
      '0',
      '\\N',
      '1500',
    ]);
    expect(line.endsWith('\t1773115200\n')).toBe(true);
  });

  it('refuse a non-finite ingest time as toTsv does', () => {
    fc.assert(
      fc.property(validEvaluationArb, (e) => {
        expect(() => evaluationTsv(e, Number.NaN)).toThrow(RangeError);
        expect(() => toTsv([evaluationToRow(e, Number.NaN)], EVALUATION_COLUMNS)).toThrow(RangeError);
      }),
      { numRuns: 20 },
    );
  });
});
