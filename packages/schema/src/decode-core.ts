/**
 * The decoding steps shared by the per-message decoders (decode.ts) and encodeBatch
 * (batch.ts). Not part of the package's API: index.ts exports the types only.
 */
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
  // Strict objects without transforms: the parsed value is what zod would have returned.
  if (fast?.(json)) return { ok: true, value: json };
  const parsed = schema.safeParse(json);
  if (!parsed.success) return { ok: false, stage: 'schema', reason: describeIssues(parsed.error) };
  return { ok: true, value: parsed.data };
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
