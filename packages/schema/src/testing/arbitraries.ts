/**
 * fast-check arbitraries for the schema tests: valid records of each kind (every optional
 * field present or absent, instants in every offset and precision, hostile free strings) and
 * single-field mutations of them. Test support only: nothing outside the tests imports it.
 */
import fc from 'fast-check';
import { isStorableFloat, MAX_CLOCK_SKEW_MS, MAX_INSTANT_MS, MIN_INSTANT_MS, MIN_NORMAL_DOUBLE } from '../common.js';
import { EVALUATION_KINDS, type Evaluation } from '../evaluation.js';
import type { ReportedMetric } from '../reported-metric.js';
import { ACTOR_ROLES, type TraceEvent } from '../trace-event.js';

const DAY = 86_400_000;

export const chars = (alphabet: string, minLength: number, maxLength: number) =>
  fc.string({ unit: fc.constantFrom(...alphabet), minLength, maxLength });

export const ID_ALPHABET = 'ABCXYZabcxyz0123456789._:-';
export const idArb = (max = 64) => chars(ID_ALPHABET, 1, max);
export const hexArb = (min: number, max = min) => chars('0123456789abcdef', min, max);
export const actionArb = fc
  .tuple(chars('abcz', 1, 1), chars('az09_', 0, 8), fc.array(chars('az09_', 1, 8), { maxLength: 4 }))
  .map(([first, rest, segments]) => [first + rest, ...segments].join('.'))
  .filter((s) => s.length <= 64);
export const metricArb = fc.tuple(chars('abcz', 1, 1), chars('az09_.', 0, 63)).map(([a, b]) => a + b);

/** Characters TSV escapes, JSON escapes, and multi-unit ones, mixed with plain text. */
const HOSTILE = [
  '\t',
  '\n',
  '\r',
  '\\',
  '\0',
  '\b',
  '\f',
  '\v',
  '"',
  "'",
  '\u2028',
  '中',
  '评估',
  '😀',
  '\ud800',
  'a',
  ' ',
];
export const freeTextArb = (min: number, max: number) =>
  fc
    .oneof(
      fc.string({ unit: fc.constantFrom(...HOSTILE), minLength: min, maxLength: max }),
      fc.string({ unit: 'grapheme', minLength: min, maxLength: max }),
      fc.string({ unit: 'binary', minLength: min, maxLength: max }),
    )
    // units within the bound: the fast check's range (longer strings of astral characters may
    // still pass zod's code point count; the decoder then asks zod)
    .filter((s) => s.length >= min && s.length <= max);

/** An ISO string for ms: local time at the given offset, with 0..n fraction digits. */
export function formatInstant(ms: number, offsetMin: number, fractionDigits: number, extra = '', zero = 'Z'): string {
  const local = new Date(ms + offsetMin * 60_000).toISOString();
  let fraction = '';
  if (fractionDigits > 0)
    fraction = `.${local.slice(20, 23).slice(0, fractionDigits)}${extra.slice(0, Math.max(0, fractionDigits - 3))}`;
  const abs = Math.abs(offsetMin);
  const zone =
    offsetMin === 0
      ? zero
      : `${offsetMin > 0 ? '+' : '-'}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
  return `${local.slice(0, 19)}${fraction}${zone}`;
}

const offsetArb = fc.oneof(
  fc.constant(0),
  fc.constantFrom(480, -300, 330, 345, -210, 840, -720),
  fc.integer({ min: -(23 * 60 + 59), max: 23 * 60 + 59 }),
);
const fractionArb = fc.tuple(
  fc.integer({ min: 0, max: 9 }),
  chars('0123456789', 6, 6),
  fc.constantFrom('Z', '+00:00', '-00:00'),
);

/** A valid instant string near ms (fewer than 3 fraction digits truncate it). */
export const instantAt = (msArb: fc.Arbitrary<number>) =>
  fc
    .tuple(msArb, offsetArb, fractionArb)
    .map(([ms, off, [digits, extra, zero]]) => formatInstant(ms, off, digits, extra, zero));

const inRangeMs = fc.integer({ min: MIN_INSTANT_MS + DAY, max: MAX_INSTANT_MS - DAY - 1 });
export const instantArb = instantAt(inRangeMs);

const opt = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });

/** Doubles in [min, max] the schemas accept: no NaN, no subnormals (see isStorableFloat). */
const storableDouble = (min: number, max: number) => fc.double({ min, max, noNaN: true }).filter(isStorableFloat);

/** Drops keys whose value is undefined (JSON has no undefined). */
function compact<T extends object>(o: T): T {
  for (const k of Object.keys(o) as (keyof T)[]) if (o[k] === undefined) delete o[k];
  return o;
}

export const validTraceEventArb: fc.Arbitrary<TraceEvent> = fc
  .record({
    id: idArb(128),
    source: freeTextArb(1, 256),
    time: instantArb,
    datacontenttype: opt(fc.constant('application/json' as const)),
    subject: opt(freeTextArb(0, 256)),
    platformId: idArb(),
    orgId: idArb(),
    actorId: idArb(),
    actorRole: fc.constantFrom(...ACTOR_ROLES),
    action: actionArb,
    occurredAt: instantArb,
    taskId: opt(idArb()),
    assignedAt: opt(instantArb),
    deadline: opt(instantArb),
    value: opt(fc.oneof(fc.integer({ min: -1000, max: 1000 }), storableDouble(-1e15, 1e15))),
    valueDenominator: opt(fc.oneof(fc.constant(1e15), storableDouble(MIN_NORMAL_DOUBLE, 1e15))),
    durationMs: opt(fc.integer({ min: 0, max: 7 * DAY })),
    contentHash: opt(hexArb(64)),
    simhash: opt(hexArb(16)),
    sessionHash: opt(hexArb(16, 64)),
    deviceHash: opt(hexArb(16, 64)),
  })
  .map((r) => {
    // Repair the cross-field rules so every generated event is valid.
    let { occurredAt, assignedAt, deadline, taskId, value } = r;
    if (Date.parse(occurredAt) > Date.parse(r.time) + MAX_CLOCK_SKEW_MS) occurredAt = r.time;
    if (assignedAt !== undefined && deadline !== undefined && Date.parse(deadline) <= Date.parse(assignedAt))
      [assignedAt, deadline] =
        Date.parse(deadline) < Date.parse(assignedAt) ? [deadline, assignedAt] : [assignedAt, undefined];
    if ((assignedAt !== undefined || deadline !== undefined) && taskId === undefined) taskId = 'task-1';
    if (r.valueDenominator !== undefined && value === undefined) value = 0;
    return compact({
      specversion: '1.0' as const,
      id: r.id,
      source: r.source,
      type: 'gov.trace.v1' as const,
      time: r.time,
      datacontenttype: r.datacontenttype,
      subject: r.subject,
      data: compact({
        platformId: r.platformId,
        orgId: r.orgId,
        actorId: r.actorId,
        actorRole: r.actorRole,
        action: r.action,
        occurredAt,
        taskId,
        assignedAt,
        deadline,
        value,
        valueDenominator: r.valueDenominator,
        durationMs: r.durationMs,
        contentHash: r.contentHash,
        simhash: r.simhash,
        sessionHash: r.sessionHash,
        deviceHash: r.deviceHash,
      }),
    });
  });

export const validEvaluationArb: fc.Arbitrary<Evaluation> = fc
  .record({
    id: idArb(),
    name: freeTextArb(1, 200),
    kind: fc.constantFrom(...EVALUATION_KINDS),
    platformId: opt(idArb()),
    orgId: opt(idArb()),
    start: instantArb,
    end: instantArb,
    announcedAt: opt(instantArb),
  })
  .map((e) => compact(Date.parse(e.end) >= Date.parse(e.start) ? e : { ...e, start: e.end, end: e.start }));

const dayArb = fc
  .integer({ min: Date.UTC(1000, 0, 1) / DAY, max: Date.UTC(9999, 11, 31) / DAY })
  .map((d) => new Date(d * DAY).toISOString().slice(0, 10));

/** Days a reported period may name (storedDay). */
const storedDayArb = fc
  .integer({ min: Date.UTC(2000, 0, 1) / DAY, max: Date.UTC(2099, 11, 31) / DAY })
  .map((d) => new Date(d * DAY).toISOString().slice(0, 10));

export const validReportedMetricArb: fc.Arbitrary<ReportedMetric> = fc
  .record({
    id: idArb(),
    platformId: idArb(),
    orgId: idArb(),
    metric: metricArb,
    periodStart: storedDayArb,
    periodEnd: storedDayArb,
    value: fc.oneof(fc.integer({ min: 0, max: 100_000 }), storableDouble(0, 1e15)),
    reportedAt: instantArb,
  })
  .map((m) => (m.periodEnd >= m.periodStart ? m : { ...m, periodStart: m.periodEnd, periodEnd: m.periodStart }));

/*
 * Mutations: values a field can be set to. Each pool mixes wrong types with values at and just
 * past every bound of that field and values in alphabets around its character class.
 */

export const wrongTypeArb = fc.oneof(
  fc.constantFrom(
    null,
    undefined,
    true,
    false,
    0,
    1,
    -1,
    '',
    [],
    {},
    Number.NaN,
    Number.POSITIVE_INFINITY,
    Number.NEGATIVE_INFINITY,
  ),
  fc.jsonValue({ maxDepth: 2 }),
);

const lengthsAround = (max: number, min = 1) => [0, min, max, max + 1].filter((n) => n >= 0);

export const idLikeArb = (max: number) =>
  fc.oneof(
    fc.constantFrom(...lengthsAround(max)).map((n) => 'a'.repeat(n)),
    chars(`${ID_ALPHABET} /"\\éZ\t\n`, 0, max + 2),
    fc.constantFrom('a b', 'a/b', 'é', 'x\n', 'x\u0000', 'ａ', '-', '.', ':'),
  );

export const hexLikeArb = (min: number, max: number) =>
  fc.oneof(
    fc.constantFrom(min - 1, min, max, max + 1).map((n) => 'f'.repeat(Math.max(0, n))),
    chars('0123456789abcdefABCDEFg', min - 1, max + 1),
  );

export const actionLikeArb = fc.oneof(
  chars('ab_.0Z -', 0, 12),
  fc.constantFrom('a', 'a.', '.a', 'a..b', '_a', '0a', 'a.b_c.0', 'A', 'a'.repeat(64), 'a'.repeat(65), 'a.'.repeat(32)),
);

export const metricLikeArb = fc.oneof(
  chars('ab_.0Z -', 0, 12),
  fc.constantFrom('a', 'a.', '.a', 'a..b', '_a', '0a', 'a'.repeat(64), 'a'.repeat(65)),
);

export const textLikeArb = (min: number, max: number) =>
  fc.oneof(
    fc.constantFrom(...lengthsAround(max, min)).map((n) => 'x'.repeat(n)),
    // astral characters at the bound: zod counts code points
    fc.constantFrom(max - 1, max, max + 1).map((n) => '😀'.repeat(Math.max(0, n))),
    fc.constantFrom(max, max + 1).map((n) => `${'😀'.repeat(Math.max(0, n - 1))}\ud800`),
    freeTextArb(0, max + 1),
  );

/** Datetime strings around the grammar: each variant the brief lists, and random edits. */
export const datetimeLikeArb = fc.oneof(
  instantArb,
  instantAt(fc.integer({ min: Date.UTC(1990, 0, 1), max: Date.UTC(2110, 0, 1) })),
  fc.constantFrom(
    '2026-03-10T11:59:00',
    '2026-03-10T11:59:00z',
    '2026-03-10t11:59:00Z',
    '2026-03-10 11:59:00Z',
    '2026-03-10T11:59Z',
    '2026-03-10T11:59:00.Z',
    '2026-03-10T11:59:00.1Z',
    '2026-03-10T11:59:00.123456789Z',
    '2026-03-10T11:59:00,5Z',
    '2026-03-10T11:59:00+0800',
    '2026-03-10T11:59:00+08',
    '2026-03-10T11:59:00+24:00',
    '2026-03-10T11:59:00+08:60',
    '2026-03-10T23:59:60Z',
    '2026-03-10T24:00:00Z',
    '2026-02-30T00:00:00Z',
    '2026-02-29T00:00:00Z',
    '2024-02-29T00:00:00Z',
    '2100-02-29T00:00:00Z',
    '2000-02-29T00:00:00Z',
    '2026-13-01T00:00:00Z',
    '2026-00-10T00:00:00Z',
    '1999-12-31T23:59:59.999Z',
    '2000-01-01T00:00:00Z',
    '2000-01-01T00:00:00+00:01',
    '2000-01-01T07:59:59+08:00',
    '2000-01-01T08:00:00+08:00',
    '2099-12-31T23:59:59.999999Z',
    '2100-01-01T00:00:00Z',
    '2099-12-31T23:00:00-01:00',
    '2099-12-31T22:59:59-01:00',
    '0000-01-01T00:00:00Z',
    '9999-12-31T23:59:59Z',
    '+002026-03-10T11:59:00Z',
    '2026-03-10T11:59:00.1234567890123456789012345678901234567890Z',
    ' 2026-03-10T11:59:00Z',
    '2026-03-10T11:59:00Z\n',
    '２026-03-10T11:59:00Z',
  ),
  fc
    .tuple(instantArb, fc.nat(), fc.constantFrom('0', '9', 'Z', 'z', '+', '-', ':', '.', 'T', ' ', ''))
    .map(([s, at, c]) => {
      const i = at % s.length;
      return s.slice(0, i) + c + s.slice(i + 1);
    }),
);

export const dateLikeArb = fc.oneof(
  dayArb,
  fc.constantFrom(
    '2026-02-29',
    '2024-02-29',
    '2026-02-30',
    '2026-13-01',
    '2026-1-01',
    '20260101',
    '2026-03-10T00:00:00Z',
    '0000-01-01',
    '',
  ),
  fc
    .tuple(dayArb, fc.nat(), fc.constantFrom('0', '9', '-', ' ', ''))
    .map(([s, at, c]) => s.slice(0, at % s.length) + c + s.slice((at % s.length) + 1)),
);

export const numberLikeArb = fc.oneof(
  fc.constantFrom(
    0,
    -0,
    1,
    -1,
    0.5,
    1.5,
    -1.5,
    1e15,
    -1e15,
    1e15 + 0.125,
    -1e15 - 0.125,
    1000000000000001,
    Number.MIN_VALUE,
    -Number.MIN_VALUE,
    2 ** 53,
    2 ** 53 + 2,
    7 * DAY,
    7 * DAY + 1,
    7 * DAY - 0.5,
    Number.NaN,
    Number.POSITIVE_INFINITY,
    Number.NEGATIVE_INFINITY,
    Number.MAX_VALUE,
    '1',
  ),
  fc.double(),
  fc.integer(),
);

/** Sets one key (a dotted path, e.g. 'data.value') to `value`, or deletes it when `value` is DELETE. */
export const DELETE = Symbol('delete');
export function withField(base: object, path: string, value: unknown): Record<string, unknown> {
  const copy = structuredClone(base) as Record<string, unknown>;
  const keys = path.split('.');
  let target = copy;
  for (const k of keys.slice(0, -1)) {
    const next = target[k];
    if (typeof next !== 'object' || next === null) return copy;
    target = next as Record<string, unknown>;
  }
  const last = keys[keys.length - 1]!;
  if (value === DELETE) delete target[last];
  else target[last] = value;
  return copy;
}

/** A field and the values to try in it. */
export type FieldPool = Record<string, fc.Arbitrary<unknown>>;

export function mutationArb<T extends object>(valid: fc.Arbitrary<T>, pools: FieldPool, extraKeyPaths: string[]) {
  const fields = Object.keys(pools);
  return fc.oneof(
    // one field set to a value from its pool, or to a wrong type, or removed
    fc
      .tuple(valid, fc.constantFrom(...fields), fc.nat())
      .chain(([v, f]) =>
        fc
          .oneof(
            { weight: 6, arbitrary: pools[f]! },
            { weight: 2, arbitrary: wrongTypeArb },
            { weight: 1, arbitrary: fc.constant(DELETE) },
          )
          .map((value) => withField(v, f, value)),
      ),
    // an unknown key at any object level
    fc
      .tuple(
        valid,
        fc.constantFrom(...extraKeyPaths),
        fc.constantFrom('extra', '__proto__', 'constructor', 'Id', 'id '),
        fc.jsonValue({ maxDepth: 1 }),
      )
      .map(([v, at, key, value]) => {
        const copy = structuredClone(v) as Record<string, unknown>;
        const target = (at === '' ? copy : copy[at]) as Record<string, unknown>;
        Object.defineProperty(target, key, { value, enumerable: true, configurable: true, writable: true });
        return copy;
      }),
    // two fields at once: cross-field rules (deadline vs assignedAt, occurredAt vs time, ...)
    fc
      .tuple(valid, fc.constantFrom(...fields), fc.constantFrom(...fields))
      .chain(([v, f1, f2]) => fc.tuple(pools[f1]!, pools[f2]!).map(([a, b]) => withField(withField(v, f1, a), f2, b))),
  );
}
