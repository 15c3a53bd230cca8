import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_CLOCK_SKEW_MS } from './common.js';
import {
  decodeEvaluation,
  decodeEvaluationStrict,
  decodeReportedMetric,
  decodeReportedMetricStrict,
  decodeTraceEvent,
  decodeTraceEventStrict,
} from './decode.js';
import { traceEventToRow } from './rows.js';
import {
  datetimeLikeArb,
  instantArb,
  numberLikeArb,
  validEvaluationArb,
  validReportedMetricArb,
  validTraceEventArb,
  withField,
  wrongTypeArb,
} from './testing/arbitraries.js';
import { sampleTraceEvent as event } from './testing/samples.js';

const NOW = Date.parse('2026-03-10T12:00:00Z');

const decode = (v: unknown) => decodeTraceEvent(JSON.stringify(v), { now: NOW });

describe('decodeTraceEvent', () => {
  it('accepts a minimal valid event and keeps the offsets as instants', () => {
    const d = decode(event());
    expect(d.ok).toBe(true);
    if (!d.ok) return;
    const row = traceEventToRow(d.value, NOW);
    expect(row.occurred_at).toBe(Date.parse('2026-03-10T03:58:00Z') / 1000);
    expect(row.recorded_ms).toBe(250);
    expect(row.task_id).toBe('');
    expect(row.value).toBeNull();
  });

  it('refuses what is not JSON, null, or too large, saying which', () => {
    expect(decodeTraceEvent('{not json', { now: NOW })).toMatchObject({ ok: false, stage: 'json' });
    expect(decodeTraceEvent(null, { now: NOW })).toMatchObject({ ok: false, stage: 'json' });
    const big = JSON.stringify(event({ subject: 'x'.repeat(200) }));
    expect(decodeTraceEvent(big, { now: NOW, maxBytes: 100 })).toMatchObject({ ok: false, stage: 'size' });
  });

  it.each([
    ['wrong specversion', event({ specversion: '0.3' }), 'specversion'],
    ['id with a space', event({ id: 'a b' }), 'id'],
    ['id too long', event({ id: 'x'.repeat(129) }), 'id'],
    ['unknown top-level field', event({ extra: 1 }), 'extra'],
    ['time without offset', event({ time: '2026-03-10T11:59:00' }), 'time'],
    ['time before 2000', event({ time: '1999-12-31T23:00:00Z' }, { occurredAt: '1999-12-31T22:00:00Z' }), 'time'],
    ['bad role', event({}, { actorRole: 'admin' }), 'data.actorRole'],
    ['action not dotted lower-case', event({}, { action: 'Form Submit' }), 'data.action'],
    ['negative duration', event({}, { durationMs: -1 }), 'data.durationMs'],
    ['NaN-like value', JSON.parse(JSON.stringify(event({}, { value: 'NaN' }))), 'data.value'],
    ['content hash not hex', event({}, { contentHash: 'Z'.repeat(64) }), 'data.contentHash'],
    [
      'deadline before assignment',
      event({}, { taskId: 't1', assignedAt: '2026-03-09T00:00:00Z', deadline: '2026-03-08T00:00:00Z' }),
      'data.deadline',
    ],
    ['deadline without task', event({}, { deadline: '2026-03-12T00:00:00Z' }), 'data.taskId'],
    ['occurred after recorded', event({}, { occurredAt: '2026-03-10T12:30:00+08:00' }), 'data.occurredAt'],
  ])('refuses %s and names the field', (_name, value, path) => {
    const d = decode(value);
    expect(d.ok).toBe(false);
    if (d.ok) return;
    expect(d.stage).toBe('schema');
    expect(d.reason).toContain(path);
  });

  it('refuses a rate over 0 and says how to send it instead', () => {
    const d = decode(event({}, { value: 0, valueDenominator: 0 }));
    expect(d).toMatchObject({ ok: false, stage: 'schema' });
    if (d.ok) return;
    expect(d.reason).toContain('data.valueDenominator');
    expect(d.reason).toContain('without value and valueDenominator, or with a value and no valueDenominator');
    expect(decode(event({}, { value: 0 })).ok).toBe(true);
  });

  it('allows clock skew up to the limit, not beyond', () => {
    const within = new Date(NOW + MAX_CLOCK_SKEW_MS - 1000).toISOString();
    const beyond = new Date(NOW + MAX_CLOCK_SKEW_MS + 1000).toISOString();
    expect(decode(event({ time: within }, { occurredAt: within })).ok).toBe(true);
    expect(decode(event({ time: beyond }, { occurredAt: beyond }))).toMatchObject({ ok: false, stage: 'clock' });
  });

  it('survives hostile payloads without throwing', () => {
    for (const raw of [
      '[]',
      '1',
      '"s"',
      '{"__proto__":{"x":1}}',
      '{"data":null}',
      '\u0000',
      '{"specversion":"1.0","id":"\'; DROP TABLE x; --"}',
    ]) {
      expect(decodeTraceEvent(raw, { now: NOW }).ok).toBe(false);
    }
  });
});

describe('evaluations and reported metrics', () => {
  it('accepts valid ones and refuses inverted periods', () => {
    const ev = {
      id: 'ev-1',
      name: '季度考核',
      kind: 'assessment',
      platformId: 'zwfw',
      start: '2026-03-31T00:00:00+08:00',
      end: '2026-04-02T00:00:00+08:00',
    };
    expect(decodeEvaluation(JSON.stringify(ev), { now: NOW }).ok).toBe(true);
    expect(decodeEvaluation(JSON.stringify({ ...ev, end: '2026-03-01T00:00:00Z' }), { now: NOW })).toMatchObject({
      ok: false,
      stage: 'schema',
    });
    const m = {
      id: 'm-1',
      platformId: 'zwfw',
      orgId: 'org-1',
      metric: 'cases.handled',
      periodStart: '2026-02-01',
      periodEnd: '2026-02-28',
      value: 412,
      reportedAt: '2026-03-01T09:00:00+08:00',
    };
    expect(decodeReportedMetric(JSON.stringify(m), { now: NOW }).ok).toBe(true);
    expect(decodeReportedMetric(JSON.stringify({ ...m, periodEnd: '2026-01-01' }), { now: NOW }).ok).toBe(false);
    expect(decodeReportedMetric(JSON.stringify({ ...m, value: -1 }), { now: NOW }).ok).toBe(false);
  });
});

describe('the fast path', () => {
  /** JSON texts around valid records: valid, one field changed, numbers too big for a double. */
  const textsAround = (valid: fc.Arbitrary<object>, fields: string[]) =>
    fc.oneof(
      valid.map((v) => JSON.stringify(v)),
      fc
        .tuple(valid, fc.constantFrom(...fields), fc.oneof(wrongTypeArb, datetimeLikeArb, numberLikeArb, instantArb))
        .map(([v, f, x]) => JSON.stringify(withField(v, f, x))),
      valid.map((v) => JSON.stringify(v).replace(/:(-?\d+(\.\d+)?)([,}])/, ':1e400$3')),
      fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v) ?? 'null'),
    );

  it.each([
    [
      'trace events',
      decodeTraceEvent,
      decodeTraceEventStrict,
      textsAround(validTraceEventArb, ['time', 'data.occurredAt', 'data.deadline', 'data.value', 'subject', 'data']),
    ],
    [
      'evaluations',
      decodeEvaluation,
      decodeEvaluationStrict,
      textsAround(validEvaluationArb, ['start', 'end', 'name']),
    ],
    [
      'reported metrics',
      decodeReportedMetric,
      decodeReportedMetricStrict,
      textsAround(validReportedMetricArb, ['periodStart', 'value', 'reportedAt']),
    ],
  ] as const)('decodes %s exactly as zod alone does: same value, same refusals', (_name, fast, strict, texts) => {
    fc.assert(
      fc.property(texts, fc.constantFrom(NOW, Date.parse('2000-06-01T00:00:00Z')), (text, now) => {
        expect(fast(text, { now })).toStrictEqual(strict(text, { now }));
      }),
      { numRuns: 5_000 },
    );
  });
});
