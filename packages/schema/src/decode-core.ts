/**
 * The decoding steps shared by the per-message decoders (decode.ts) and encodeBatch
 * (batch.ts). Not part of the package's API: index.ts exports the types only.
 */
import { isUtf8 } from 'node:buffer';
import type { z } from 'zod';
import { MAX_CLOCK_SKEW_MS } from './common.js';
import { isoInstantMs } from './iso-time.js';

/** Why a message was refused; `stage` says which check refused it. */
export interface Rejection {
  ok: false;
  stage: 'size' | 'json' | 'schema' | 'clock';
  reason: string;
}
export type Decoded<T> = { ok: true; value: T } | Rejection;

export interface DecodeOptions {
  /** The receiver's clock, in ms; claimed times beyond it plus the skew are refused. */
  now: number;
  maxBytes?: number;
}

function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((i) => `${i.path.length > 0 ? i.path.join('.') : '(root)'}: ${i.message}`)
    .join('; ');
}

/** A hand-written check that returns true only when the schema would accept the value as it is. */
export type FastCheck<T> = (json: unknown) => json is T;

/**
 * JSON text to a validated value. The fast check settles ordinary messages; whatever it does
 * not accept goes to zod, which decides and describes (so refusals and their messages are
 * zod's, exactly as before). Shared with encodeBatch.
 */
export function parseAndValidate<T>(schema: z.ZodType<T>, fast: FastCheck<T> | undefined, text: string): Decoded<T> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    return { ok: false, stage: 'json', reason: `not JSON: ${(err as Error).message}` };
  }
  // A \ud800-\udfff escape may leave a lone surrogate, which would be stored as U+FFFD: two
  // different messages could then store the same bytes. Rare text: only then is the value walked.
  if (SURROGATE_ESCAPE.test(text) && holdsLoneSurrogate(json)) return LONE_SURROGATE;
  // Strict objects without transforms: the parsed value is what zod would have returned.
  if (fast?.(json)) return { ok: true, value: json };
  const parsed = schema.safeParse(json);
  if (!parsed.success) return { ok: false, stage: 'schema', reason: describeIssues(parsed.error) };
  return { ok: true, value: parsed.data };
}

const SURROGATE_ESCAPE = /\\u[dD][89a-fA-F]/;
const LONE_SURROGATE_CHAR = /\p{Cs}/u; // in u-mode a paired surrogate is one code point: no match
const LONE_SURROGATE: Rejection = {
  ok: false,
  stage: 'json',
  reason: 'not valid Unicode: a string holds a lone surrogate (an unpaired \\ud800-\\udfff escape)',
};
export const INVALID_UTF8: Rejection = {
  ok: false,
  stage: 'json',
  reason: 'not valid UTF-8 (a malformed, overlong or surrogate byte sequence): refused rather than altered',
};

function holdsLoneSurrogate(v: unknown): boolean {
  if (typeof v === 'string') return LONE_SURROGATE_CHAR.test(v);
  if (typeof v !== 'object' || v === null) return false;
  if (Array.isArray(v)) return v.some(holdsLoneSurrogate);
  for (const [k, x] of Object.entries(v)) if (LONE_SURROGATE_CHAR.test(k) || holdsLoneSurrogate(x)) return true;
  return false;
}

/** Strict UTF-8 (decoding would put U+FFFD in place of a bad sequence: altered, not refused). */
export function utf8Rejection(bytes: Uint8Array): Rejection | undefined {
  return isUtf8(bytes) ? undefined : INVALID_UTF8;
}

/** The same for text that is already a string: a lone surrogate would be encoded as U+FFFD. */
export function textRejection(text: string): Rejection | undefined {
  return LONE_SURROGATE_CHAR.test(text) ? LONE_SURROGATE : undefined;
}

export const NULL_MESSAGE: Rejection = { ok: false, stage: 'json', reason: 'empty message (null value)' };

export function sizeRejection(size: number, maxBytes: number): Rejection | undefined {
  return size > maxBytes
    ? { ok: false, stage: 'size', reason: `message is ${size} bytes, the limit is ${maxBytes}` }
    : undefined;
}

/** Refuses a validated instant beyond the receiver clock plus the skew. */
export function futureCheck(label: string, iso: string, now: number): Rejection | undefined {
  // iso passed the schema, where isoInstantMs equals Date.parse
  if (isoInstantMs(iso) > now + MAX_CLOCK_SKEW_MS) {
    return {
      ok: false,
      stage: 'clock',
      reason: `${label} ${iso} is in the future (receiver clock ${new Date(now).toISOString()})`,
    };
  }
  return undefined;
}
