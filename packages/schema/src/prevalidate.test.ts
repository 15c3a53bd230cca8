import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { regexes } from 'zod/v4/core';
import { MAX_CLOCK_SKEW_MS } from './common.js';
import { evaluationSchema } from './evaluation.js';
import {
  DATE_PATTERN,
  DATETIME_PATTERN,
  isEvaluationFast,
  isReportedMetricFast,
  isTraceEventFast,
} from './prevalidate.js';
import { reportedMetricSchema } from './reported-metric.js';
import {
  actionLikeArb,
  dateLikeArb,
  datetimeLikeArb,
  formatInstant,
  hexLikeArb,
  idLikeArb,
  metricLikeArb,
  mutationArb,
  numberLikeArb,
  textLikeArb,
  validEvaluationArb,
  validReportedMetricArb,
  validTraceEventArb,
  wrongTypeArb,
} from './testing/arbitraries.js';
import { propertyRuns, propertyTimeout } from './testing/property-sizing.js';
import { sampleTraceEvent } from './testing/samples.js';
import { ACTOR_ROLES, traceEventSchema } from './trace-event.js';

// Measured cost: ~0.1 ms per run on a quiet 2-core machine (20,000 runs of the slowest property
// took 1.9 s), taken as 0.25 ms on a loaded one.
const RUNS = propertyRuns(2_000, 20_000);
const TIMEOUT_MS = propertyTimeout(RUNS, 0.25);

const TRACE_POOLS = {
  specversion: fc.constantFrom('1.0', '1.1', '', '1.0 ', 1),
  id: idLikeArb(128),
  source: textLikeArb(1, 256),
  type: fc.constantFrom('gov.trace.v1', 'gov.trace.v2', 'GOV.TRACE.V1', ''),
  time: datetimeLikeArb,
  datacontenttype: fc.constantFrom('application/json', 'text/plain', 'application/json; charset=utf-8'),
  subject: textLikeArb(0, 256),
  data: wrongTypeArb,
  'data.platformId': idLikeArb(64),
  'data.orgId': idLikeArb(64),
  'data.actorId': idLikeArb(64),
  'data.actorRole': fc.constantFrom(...ACTOR_ROLES, 'admin', 'Staff', '', 'staff '),
  'data.action': actionLikeArb,
  'data.occurredAt': datetimeLikeArb,
  'data.taskId': idLikeArb(64),
  'data.assignedAt': datetimeLikeArb,
  'data.deadline': datetimeLikeArb,
  'data.value': numberLikeArb,
  'data.valueDenominator': numberLikeArb,
  'data.durationMs': numberLikeArb,
  'data.contentHash': hexLikeArb(64, 64),
  'data.simhash': hexLikeArb(16, 16),
  'data.sessionHash': hexLikeArb(16, 64),
  'data.deviceHash': hexLikeArb(16, 64),
};

const EVALUATION_POOLS = {
  id: idLikeArb(64),
  name: textLikeArb(1, 200),
  kind: fc.constantFrom('assessment', 'inspection', 'audit', 'ranking', 'review', 'Audit', ''),
  platformId: idLikeArb(64),
  orgId: idLikeArb(64),
  start: datetimeLikeArb,
  end: datetimeLikeArb,
  announcedAt: datetimeLikeArb,
};

const METRIC_POOLS = {
  id: idLikeArb(64),
  platformId: idLikeArb(64),
  orgId: idLikeArb(64),
  metric: metricLikeArb,
  periodStart: dateLikeArb,
  periodEnd: dateLikeArb,
  value: numberLikeArb,
  reportedAt: datetimeLikeArb,
};

/** The cross-field rules at their edges: equal instants written differently, ±1 ms, ±1 s. */
const edgeDelta = fc.constantFrom(-1000, -1, 0, 1, 1000);
const edgeOffset = fc.constantFrom(0, 480, -300);
const traceEdgesArb = fc
  .tuple(validTraceEventArb, edgeDelta, edgeOffset, edgeOffset, fc.boolean(), fc.boolean())
  .map(([e, delta, off1, off2, withTask, skew]) => {
    const base = Date.parse(e.time);
    const data: Record<string, unknown> = { ...e.data };
    if (skew) {
      data.occurredAt = formatInstant(base + MAX_CLOCK_SKEW_MS + delta, off1, 3);
    } else {
      data.assignedAt = formatInstant(base, off1, 3);
      data.deadline = formatInstant(base + delta, off2, 3);
      if (withTask) data.taskId ??= 't-1';
      else delete data.taskId;
    }
    return { ...e, data };
  });
const evaluationEdgesArb = fc
  .tuple(validEvaluationArb, edgeDelta, edgeOffset, edgeOffset)
  .map(([e, delta, off1, off2]) => ({
    ...e,
    end: formatInstant(Date.parse(e.start) + delta, off1, 3),
    start: formatInstant(Date.parse(e.start), off2, 3),
  }));
const metricEdgesArb = fc.tuple(validReportedMetricArb, fc.constantFrom(-1, 0, 1)).map(([m, delta]) => ({
  ...m,
  periodEnd: new Date(Date.parse(m.periodStart) + delta * 86_400_000).toISOString().slice(0, 10),
}));

const cases = [
  {
    name: 'isTraceEventFast',
    fast: isTraceEventFast,
    schema: traceEventSchema,
    valid: validTraceEventArb,
    mutated: fc.oneof(mutationArb(validTraceEventArb, TRACE_POOLS, ['', 'data']), traceEdgesArb),
    keys: Object.keys(TRACE_POOLS).filter((k) => !k.startsWith('data.')),
  },
  {
    name: 'isEvaluationFast',
    fast: isEvaluationFast,
    schema: evaluationSchema,
    valid: validEvaluationArb,
    mutated: fc.oneof(mutationArb(validEvaluationArb, EVALUATION_POOLS, ['']), evaluationEdgesArb),
    keys: Object.keys(EVALUATION_POOLS),
  },
  {
    name: 'isReportedMetricFast',
    fast: isReportedMetricFast,
    schema: reportedMetricSchema,
    valid: validReportedMetricArb,
    mutated: fc.oneof(mutationArb(validReportedMetricArb, METRIC_POOLS, ['']), metricEdgesArb),
    keys: Object.keys(METRIC_POOLS),
  },
] as const;

describe.each(cases)('$name', { timeout: TIMEOUT_MS }, ({ fast, schema, valid, mutated, keys }) => {
  const zodAccepts = (v: unknown) => (schema as { safeParse(v: unknown): { success: boolean } }).safeParse(v).success;

  it('accepts every generated valid record (which zod accepts too)', () => {
    fc.assert(
      fc.property(valid, (v) => {
        expect(zodAccepts(v)).toBe(true);
        expect(fast(v)).toBe(true);
        expect(fast(JSON.parse(JSON.stringify(v)))).toBe(true);
      }),
      { numRuns: RUNS },
    );
  });

  it('is sound on records mutated one or two fields at a time, and in fact exact', () => {
    let accepted = 0;
    fc.assert(
      fc.property(mutated, (v) => {
        const z = zodAccepts(v);
        const f = fast(v);
        if (f) accepted++;
        // the hard rule
        if (f) expect(z).toBe(true);
        // completeness: nothing among these mutations is left to zod
        expect(f).toBe(z);
      }),
      { numRuns: RUNS },
    );
    // the mutations are not all refusals (some land on valid values)
    expect(accepted).toBeGreaterThan(RUNS / 20);
  });

  it('is sound on the same mutations after a JSON round trip (NaN and Infinity become null)', () => {
    fc.assert(
      fc.property(mutated, (v) => {
        const json = JSON.parse(JSON.stringify(v)) as unknown;
        if (fast(json)) expect(zodAccepts(json)).toBe(true);
      }),
      { numRuns: RUNS / 4 },
    );
  });

  it('is sound on arbitrary values and on objects with the right keys and arbitrary values', () => {
    const shaped = fc.dictionary(fc.constantFrom(...keys), fc.oneof(wrongTypeArb, fc.string()), {
      maxKeys: keys.length,
    });
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue(), fc.anything({ withNullPrototype: true }), shaped), (v) => {
        if (fast(v)) expect(zodAccepts(v)).toBe(true);
      }),
      { numRuns: RUNS },
    );
  });
});

describe('fast checks, by hand', () => {
  const event = sampleTraceEvent();

  it('use the very datetime and date patterns zod tests', () => {
    expect(DATETIME_PATTERN.source).toBe(regexes.datetime({ offset: true, local: false, precision: null }).source);
    expect(DATE_PATTERN.source).toBe(regexes.date.source);
  });

  it('refuse what zod refuses, including values parsed from 1e400 and an own __proto__ key', () => {
    expect(isTraceEventFast(event)).toBe(true);
    const inf = JSON.parse(JSON.stringify(event).replace('"actorRole"', '"value":1e400,"actorRole"'));
    expect(inf.data.value).toBe(Number.POSITIVE_INFINITY);
    expect(isTraceEventFast(inf)).toBe(false);
    expect(isTraceEventFast(JSON.parse(JSON.stringify(event).replace('{', '{"__proto__":{},')))).toBe(false);
    expect(isTraceEventFast({ ...event, time: '2026-03-10T11:59:00.250z' })).toBe(false);
    expect(isTraceEventFast({ ...event, data: { ...event.data, occurredAt: '2026-03-10T12:04:00.251+08:00' } })).toBe(
      false,
    );
    expect(isTraceEventFast({ ...event, data: { ...event.data, occurredAt: '2026-03-10T12:04:00.250+08:00' } })).toBe(
      true,
    );
    expect(isTraceEventFast([event])).toBe(false);
  });

  it('take an optional key holding undefined as absent, as zod does', () => {
    const v = { ...event, subject: undefined, data: { ...event.data, taskId: undefined } };
    expect(traceEventSchema.safeParse(v).success).toBe(true);
    expect(isTraceEventFast(v)).toBe(true);
  });

  it('measure free strings in code points, as zod does', () => {
    const fits = { ...event, source: '😀'.repeat(256) }; // 512 units, 256 code points
    expect(traceEventSchema.safeParse(fits).success).toBe(true);
    expect(isTraceEventFast(fits)).toBe(true);
    const over = { ...event, source: `${'😀'.repeat(256)}x` };
    expect(traceEventSchema.safeParse(over).success).toBe(false);
    expect(isTraceEventFast(over)).toBe(false);
  });
});
