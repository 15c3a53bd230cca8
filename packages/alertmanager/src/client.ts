/**
 * Alertmanager's API v2, the two calls tracewatch needs (openapi: api/v2/openapi.yaml of
 * prometheus/alertmanager): POST /api/v2/alerts (postableAlerts) and GET /api/v2/alerts
 * (gettableAlerts).
 */

/** labelSet: label names match [a-zA-Z_][a-zA-Z0-9_]*; values are any UTF-8. */
export type LabelSet = Record<string, string>;

export interface PostableAlert {
  labels: LabelSet;
  annotations?: LabelSet;
  /** RFC 3339. */
  startsAt?: string;
  /** RFC 3339; in the past = resolved. Without it Alertmanager applies its resolve_timeout. */
  endsAt?: string;
  generatorURL?: string;
}

export interface GettableAlert {
  labels: LabelSet;
  annotations: LabelSet;
  startsAt: string;
  endsAt: string;
  updatedAt: string;
  fingerprint: string;
  generatorURL?: string;
  receivers: Array<{ name: string }>;
  status: { state: 'unprocessed' | 'active' | 'suppressed'; silencedBy: string[]; inhibitedBy: string[] };
}

export interface AlertQuery {
  active?: boolean;
  silenced?: boolean;
  inhibited?: boolean;
  unprocessed?: boolean;
  /** Matchers such as `fingerprint="…"` or `alertname=~"burst.*"`. */
  filter?: string[];
  receiver?: string;
}

/** A failed call; `transient` when trying again later may succeed (down, timeout, 5xx, 429). */
export class AlertmanagerError extends Error {
  override name = 'AlertmanagerError';
  constructor(
    message: string,
    readonly transient: boolean,
    readonly status?: number,
  ) {
    super(message);
  }
}

export const isTransientAlertmanagerError = (err: unknown) => !(err instanceof AlertmanagerError) || err.transient;

export interface AlertmanagerClientOptions {
  /** Base URL, e.g. http://127.0.0.1:9095 (a path prefix such as /alertmanager is kept). */
  url: string;
  /** Per request (default 10 s): a hung Alertmanager is a failure, retried like a down one. */
  timeoutMs?: number;
}

export class AlertmanagerClient {
  readonly url: string;
  private readonly timeoutMs: number;

  constructor(opts: AlertmanagerClientOptions) {
    let base: URL;
    try {
      base = new URL(opts.url);
    } catch {
      throw new Error(`Alertmanager URL ${JSON.stringify(opts.url)} is not a URL (e.g. http://127.0.0.1:9095)`);
    }
    if (base.protocol !== 'http:' && base.protocol !== 'https:')
      throw new Error(`Alertmanager URL ${opts.url} must be http:// or https://`);
    this.url = base.href.replace(/\/+$/, '');
    this.timeoutMs = opts.timeoutMs ?? 10_000;
  }

  /** Creates or updates alerts (identity = the label set). Resolves when Alertmanager accepted all. */
  async postAlerts(alerts: PostableAlert[], signal?: AbortSignal): Promise<void> {
    await this.call('POST', '/api/v2/alerts', signal, JSON.stringify(alerts));
  }

  async getAlerts(query: AlertQuery = {}, signal?: AbortSignal): Promise<GettableAlert[]> {
    const params = new URLSearchParams();
    for (const key of ['active', 'silenced', 'inhibited', 'unprocessed'] as const)
      if (query[key] !== undefined) params.set(key, String(query[key]));
    for (const matcher of query.filter ?? []) params.append('filter', matcher);
    if (query.receiver) params.set('receiver', query.receiver);
    const qs = params.size > 0 ? `?${params}` : '';
    return JSON.parse(await this.call('GET', `/api/v2/alerts${qs}`, signal)) as GettableAlert[];
  }

  private async call(method: string, path: string, signal: AbortSignal | undefined, body?: string): Promise<string> {
    const timeout = AbortSignal.timeout(this.timeoutMs);
    const what = `${method} ${this.url}${path.split('?')[0]}`;
    let res: Response;
    try {
      res = await fetch(`${this.url}${path}`, {
        method,
        body,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      });
    } catch (err) {
      const reason = timeout.aborted ? `no answer within ${this.timeoutMs} ms` : describeFetchError(err);
      throw new AlertmanagerError(`${what}: ${reason}`, true);
    }
    const text = await res.text().catch(() => '');
    if (!res.ok) {
      const transient = res.status >= 500 || res.status === 429 || res.status === 408;
      throw new AlertmanagerError(`${what}: HTTP ${res.status} ${text.trim().slice(0, 500)}`, transient, res.status);
    }
    return text;
  }
}

/** fetch says "fetch failed"; the reason (ECONNREFUSED…) is in its cause. */
function describeFetchError(err: unknown): string {
  const e = err as Error & { cause?: { code?: string; message?: string } };
  return e.cause?.code ?? e.cause?.message ?? e.message;
}
