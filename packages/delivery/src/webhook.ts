/**
 * Delivers a notice as one JSON POST signed by Standard Webhooks, and says what came of it:
 *
 * - delivered: 2xx.
 * - retry: no answer (connection refused or reset, DNS, TLS), the timeout, 408, 429 and every
 *   5xx (Retry-After, in seconds or as a date, is passed on).
 * - failed, permanently: 3xx (redirects are not followed: the spec asks senders to have the
 *   URL updated instead), 410 Gone (the receiver wants no more), every other 4xx (the
 *   request itself is refused: retrying the same bytes cannot help), or a secret or id the
 *   signer refuses.
 *
 * The timeout covers the whole exchange, body included (15 s by default, within the spec's
 * 15–30 s advice).
 */
import { performance } from 'node:perf_hooks';
import type { DeliveryOutcome } from '@tracewatch/schema';
import { type DeliveryResult, truncate } from './result.js';
import { webhookHeaders } from './signing.js';

export interface WebhookChannelOptions {
  timeoutMs?: number;
  userAgent?: string;
  /** Longest Retry-After honoured (a receiver must not park a notice for days). */
  maxRetryAfterMs?: number;
}

export interface WebhookRequest {
  url: string;
  secret: string;
  /** The same on every retry of this notice to this owner (receivers drop repeats by it). */
  messageId: string;
  /** The JSON body as sent and signed; an object is serialised once, here. */
  body: string | object;
  /** The attempt's time: webhook-timestamp (defaults to now). */
  atMs?: number;
}

/** How an HTTP status is taken (see the module comment). */
export function classifyStatus(status: number): DeliveryOutcome {
  if (status >= 200 && status < 300) return 'delivered';
  if (status === 408 || status === 429 || status >= 500) return 'retry';
  return 'failed';
}

/** Retry-After as milliseconds from now: delta-seconds or an HTTP date; undefined if absent or unreadable. */
export function parseRetryAfter(value: string | null, nowMs: number): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}

function describeFetchError(err: unknown, timeoutMs: number): string {
  const e = err as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') return `no answer within ${timeoutMs} ms (timeout)`;
  const cause = e?.cause?.code ?? e?.cause?.message;
  return truncate(cause ? `${e?.message ?? 'fetch failed'}: ${cause}` : (e?.message ?? String(err)));
}

export class WebhookChannel {
  readonly timeoutMs: number;
  private readonly userAgent: string;
  private readonly maxRetryAfterMs: number;

  constructor(options: WebhookChannelOptions = {}) {
    this.timeoutMs = options.timeoutMs ?? 15_000;
    this.userAgent = options.userAgent ?? 'tracewatch-notifier/1';
    this.maxRetryAfterMs = options.maxRetryAfterMs ?? 6 * 3_600_000;
  }

  async send(request: WebhookRequest): Promise<DeliveryResult> {
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    const body = typeof request.body === 'string' ? request.body : JSON.stringify(request.body);
    let headers: Record<string, string>;
    try {
      headers = { ...webhookHeaders(request.secret, request.messageId, request.atMs ?? Date.now(), body) };
    } catch (err) {
      return { outcome: 'failed', responseCode: null, error: `cannot sign: ${(err as Error).message}`, durationMs: 0 };
    }
    let response: Response;
    let text: string;
    try {
      response = await fetch(request.url, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json', 'user-agent': this.userAgent },
        body,
        redirect: 'manual',
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      text = await response.text();
    } catch (err) {
      return {
        outcome: 'retry',
        responseCode: null,
        error: describeFetchError(err, this.timeoutMs),
        durationMs: elapsed(),
      };
    }
    const outcome = classifyStatus(response.status);
    const durationMs = elapsed();
    if (outcome === 'delivered') return { outcome, responseCode: response.status, error: null, durationMs };
    const error = truncate(`HTTP ${response.status}${text ? `: ${text.replace(/\s+/g, ' ').trim()}` : ''}`);
    const retryAfterMs =
      outcome === 'retry' ? parseRetryAfter(response.headers.get('retry-after'), Date.now()) : undefined;
    return {
      outcome,
      responseCode: response.status,
      error,
      durationMs,
      ...(retryAfterMs === undefined ? {} : { retryAfterMs: Math.min(retryAfterMs, this.maxRetryAfterMs) }),
    };
  }
}
