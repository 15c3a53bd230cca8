/**
 * Hand-written fast checks for the three input schemas: a few typeof tests and charCode
 * loops instead of zod's generic machinery (several times cheaper and nearly allocation
 * free).
 *
 * Soundness is the one rule: a check returns true only for values the zod schema accepts,
 * unchanged (strict objects, no transforms, so the value itself is what zod would return).
 * Returning false is always safe: the decoder then asks zod, which stays the authority and
 * writes every error message. The bounds and character classes below restate the schemas';
 * prevalidate.test.ts holds them to the schemas with property tests at every bound (and
 * finds the two in exact agreement there), so a schema edit that is not mirrored here fails
 * the tests.
 */
import { util } from 'zod/v4/core';
import {
  calendarDay,
  instant,
  isStorableFloat,
  MAX_CLOCK_SKEW_MS,
  MAX_INSTANT_MS,
  MAX_STORED_DAY,
  MIN_INSTANT_MS,
  MIN_STORED_DAY,
} from './common.js';
import { EVALUATION_KINDS, type Evaluation } from './evaluation.js';
import { isoInstantMs } from './iso-time.js';
import type { ReportedMetric } from './reported-metric.js';
import { ACTOR_ROLES, TRACE_EVENT_TYPE, type TraceEvent } from './trace-event.js';

/**
 * The very RegExp zod tests for a string format (`_zod.def.pattern`), so that the datetime and
 * date grammars cannot drift from the schemas. Should a zod release move it, the fast checks
 * match nothing (all decoding falls back to zod) and a test fails.
 */
function formatPattern(schema: unknown): RegExp {
  const p = (schema as { _zod?: { def?: { pattern?: unknown } } })._zod?.def?.pattern;
  return p instanceof RegExp && !p.global && !p.sticky ? p : /(?!)/;
}
export const DATETIME_PATTERN = formatPattern(instant);
export const DATE_PATTERN = formatPattern(calendarDay);

// Character classes as lookup tables over ASCII (anything ≥ 128 is outside every class).
const ID = 1; // [A-Za-z0-9._:-]   boundedId and the CloudEvents id
const WORD = 2; // [a-z0-9_]       action segments
const LOWER = 4; // [a-z]          first character of action and metric
const HEX = 8; // [0-9a-f]         hashes
const CLASS = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const ch = String.fromCharCode(c);
  if (/[A-Za-z0-9._:-]/.test(ch)) CLASS[c]! |= ID;
  if (/[a-z0-9_]/.test(ch)) CLASS[c]! |= WORD;
  if (/[a-z]/.test(ch)) CLASS[c]! |= LOWER;
  if (/[0-9a-f]/.test(ch)) CLASS[c]! |= HEX;
}

/** Every character of s is in the class (s non-empty is checked by the callers' min length). */
function allOf(s: string, cls: number): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 128 || (CLASS[c]! & cls) === 0) return false;
  }
  return true;
}

/** boundedId-like: 1..max characters of [A-Za-z0-9._:-] (ASCII, so units = code points). */
function isId(v: unknown, max: number): v is string {
  return typeof v === 'string' && v.length >= 1 && v.length <= max && allOf(v, ID);
}

function isHex(v: unknown, min: number, max: number): v is string {
  return typeof v === 'string' && v.length >= min && v.length <= max && allOf(v, HEX);
}

/**
 * A free string within zod's .min/.max, which count code points: the same measure, taken
 * the same way (units first, code points only near a bound), so the verdicts agree exactly.
 */
function isText(v: unknown, min: number, max: number): v is string {
  if (typeof v !== 'string') return false;
  const units = v.length;
  const low = units >= min && units < min * 2 ? util.codePointLength(v) : units;
  const high = units > max ? util.codePointLength(v) : units;
  return low >= min && high <= max;
}

/** /^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$/ with 1..64 characters: dotted lower-case words. */
function isAction(v: unknown): v is string {
  if (typeof v !== 'string' || v.length < 1 || v.length > 64) return false;
  const first = v.charCodeAt(0);
  if (first >= 128 || (CLASS[first]! & LOWER) === 0) return false;
  let afterDot = false;
  for (let i = 1; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if (c === 46 /* . */) {
      if (afterDot) return false; // empty segment
      afterDot = true;
    } else if (c < 128 && (CLASS[c]! & WORD) !== 0) {
      afterDot = false;
    } else {
      return false;
    }
  }
  return !afterDot;
}

/** /^[a-z][a-z0-9_.]*$/ with 1..64 characters. */
function isMetricName(v: unknown): v is string {
  if (typeof v !== 'string' || v.length < 1 || v.length > 64) return false;
  const first = v.charCodeAt(0);
  if (first >= 128 || (CLASS[first]! & LOWER) === 0) return false;
  for (let i = 1; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if (c !== 46 && (c >= 128 || (CLASS[c]! & WORD) === 0)) return false;
  }
  return true;
}

/** The instant's milliseconds if v passes `instant` (grammar and range), else NaN. */
function instantMs(v: unknown): number {
  if (typeof v !== 'string' || !DATETIME_PATTERN.test(v)) return Number.NaN;
  const ms = isoInstantMs(v);
  return ms >= MIN_INSTANT_MS && ms < MAX_INSTANT_MS ? ms : Number.NaN;
}

// The enums' own lists, so a value removed from a schema can never pass here.
const ROLES: readonly unknown[] = ACTOR_ROLES;
const KINDS: readonly unknown[] = EVALUATION_KINDS;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

// Comparisons with NaN are false, so these also refuse NaN; ±Infinity fail the bounds.
// isStorableFloat: the schemas refuse subnormals (ints are never subnormal, so it holds for them too).
const isNumberIn = (v: unknown, min: number, max: number): v is number =>
  typeof v === 'number' && v >= min && v <= max && isStorableFloat(v);

/*
 * Unknown keys are found the way zod's strict objects find them: `for...in` (own and
 * inherited enumerable keys). Known keys are read as zod reads them (`obj[key]`), and an
 * optional key holding undefined counts as absent, as it does for zod.
 */

/** occurredAt's milliseconds if v passes traceDataSchema, else NaN. */
function traceDataOccurredMs(v: unknown): number {
  if (!isRecord(v)) return Number.NaN;
  for (const k in v) {
    switch (k) {
      case 'platformId':
      case 'orgId':
      case 'actorId':
      case 'actorRole':
      case 'action':
      case 'occurredAt':
      case 'taskId':
      case 'assignedAt':
      case 'deadline':
      case 'value':
      case 'valueDenominator':
      case 'durationMs':
      case 'contentHash':
      case 'simhash':
      case 'sessionHash':
      case 'deviceHash':
        break;
      default:
        return Number.NaN;
    }
  }
  const occurred = instantMs(v.occurredAt);
  if (
    !isId(v.platformId, 64) ||
    !isId(v.orgId, 64) ||
    !isId(v.actorId, 64) ||
    !ROLES.includes(v.actorRole) ||
    !isAction(v.action) ||
    Number.isNaN(occurred)
  )
    return Number.NaN;
  const { taskId, assignedAt, deadline, value, valueDenominator, durationMs } = v;
  if (taskId !== undefined && !isId(taskId, 64)) return Number.NaN;
  const assignedMs = assignedAt === undefined ? 0 : instantMs(assignedAt);
  const deadlineMs = deadline === undefined ? 0 : instantMs(deadline);
  if (Number.isNaN(assignedMs) || Number.isNaN(deadlineMs)) return Number.NaN;
  if (value !== undefined && !isNumberIn(value, -1e15, 1e15)) return Number.NaN;
  if (valueDenominator !== undefined && !(isNumberIn(valueDenominator, 0, 1e15) && valueDenominator > 0))
    return Number.NaN;
  if (durationMs !== undefined && !(isNumberIn(durationMs, 0, 7 * 86_400_000) && Number.isInteger(durationMs)))
    return Number.NaN;
  if (v.contentHash !== undefined && !isHex(v.contentHash, 64, 64)) return Number.NaN;
  if (v.simhash !== undefined && !isHex(v.simhash, 16, 16)) return Number.NaN;
  if (v.sessionHash !== undefined && !isHex(v.sessionHash, 16, 64)) return Number.NaN;
  if (v.deviceHash !== undefined && !isHex(v.deviceHash, 16, 64)) return Number.NaN;
  // traceDataSchema's superRefine
  if (deadline !== undefined && assignedAt !== undefined && deadlineMs <= assignedMs) return Number.NaN;
  if ((deadline !== undefined || assignedAt !== undefined) && taskId === undefined) return Number.NaN;
  if (valueDenominator !== undefined && value === undefined) return Number.NaN;
  return occurred;
}

/** True only if `traceEventSchema.safeParse(v)` succeeds (false may still be valid: ask zod). */
export function isTraceEventFast(v: unknown): v is TraceEvent {
  if (!isRecord(v)) return false;
  for (const k in v) {
    switch (k) {
      case 'specversion':
      case 'id':
      case 'source':
      case 'type':
      case 'time':
      case 'datacontenttype':
      case 'subject':
      case 'data':
        break;
      default:
        return false;
    }
  }
  if (v.specversion !== '1.0' || v.type !== TRACE_EVENT_TYPE || !isId(v.id, 128) || !isText(v.source, 1, 256))
    return false;
  if (v.datacontenttype !== undefined && v.datacontenttype !== 'application/json') return false;
  if (v.subject !== undefined && !isText(v.subject, 0, 256)) return false;
  const recorded = instantMs(v.time);
  const occurred = traceDataOccurredMs(v.data);
  if (Number.isNaN(recorded) || Number.isNaN(occurred)) return false;
  // traceEventSchema's superRefine: occurredAt at most the skew after the recording time
  return !(occurred > recorded + MAX_CLOCK_SKEW_MS);
}

/** True only if `evaluationSchema.safeParse(v)` succeeds. */
export function isEvaluationFast(v: unknown): v is Evaluation {
  if (!isRecord(v)) return false;
  for (const k in v) {
    switch (k) {
      case 'id':
      case 'name':
      case 'kind':
      case 'platformId':
      case 'orgId':
      case 'start':
      case 'end':
      case 'announcedAt':
        break;
      default:
        return false;
    }
  }
  if (!isId(v.id, 64) || !isText(v.name, 1, 200) || !KINDS.includes(v.kind)) return false;
  if (v.platformId !== undefined && !isId(v.platformId, 64)) return false;
  if (v.orgId !== undefined && !isId(v.orgId, 64)) return false;
  if (v.announcedAt !== undefined && Number.isNaN(instantMs(v.announcedAt))) return false;
  const start = instantMs(v.start);
  const end = instantMs(v.end);
  // NaN fails >=, so this also refuses a bad start or end
  return end >= start;
}

/** True only if `reportedMetricSchema.safeParse(v)` succeeds. */
export function isReportedMetricFast(v: unknown): v is ReportedMetric {
  if (!isRecord(v)) return false;
  for (const k in v) {
    switch (k) {
      case 'id':
      case 'platformId':
      case 'orgId':
      case 'metric':
      case 'periodStart':
      case 'periodEnd':
      case 'value':
      case 'reportedAt':
        break;
      default:
        return false;
    }
  }
  const { periodStart, periodEnd } = v;
  return (
    isId(v.id, 64) &&
    isId(v.platformId, 64) &&
    isId(v.orgId, 64) &&
    isMetricName(v.metric) &&
    typeof periodStart === 'string' &&
    DATE_PATTERN.test(periodStart) &&
    periodStart >= MIN_STORED_DAY &&
    typeof periodEnd === 'string' &&
    DATE_PATTERN.test(periodEnd) &&
    periodEnd < MAX_STORED_DAY &&
    isNumberIn(v.value, 0, 1e15) &&
    !Number.isNaN(instantMs(v.reportedAt)) &&
    periodEnd >= periodStart // the schema's refine compares the strings too
  );
}
