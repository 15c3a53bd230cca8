import { storedKey, t } from './state.js';

/** A refusal of the api, with the localized message the page shows. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly detail: string,
    /** The answer's JSON body, for refusals that carry more than a message (409's code, version). */
    readonly body: Record<string, unknown> = {},
  ) {
    super(detail);
  }
  localized(): string {
    if (this.status === 400) return t('error.400', { detail: this.detail });
    if (this.status === 401 || this.status === 403 || this.status === 404 || this.status === 429)
      return t(`error.${this.status}`);
    return t('error.other', { status: this.status });
  }
}

async function request(path: string, key = storedKey(), init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  if (key) headers.set('authorization', `Bearer ${key}`);
  const r = await fetch(path, { ...init, headers });
  if (!r.ok) {
    const body = (await r.json().catch(() => ({}))) as { error?: string };
    throw new ApiError(r.status, body.error ?? r.statusText, body);
  }
  return r;
}

/** POSTs JSON with the key; refusals become ApiError (with the answer's body). */
export async function postJson<T>(path: string, body: unknown): Promise<T> {
  const r = await request(path, storedKey(), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return r.json() as Promise<T>;
}

export async function getJson<T>(path: string, key?: string): Promise<T> {
  return (await request(path, key)).json() as Promise<T>;
}

/** Downloads an authenticated export (a plain link could not send the key). */
export async function download(path: string, filename: string): Promise<void> {
  const blob = await (await request(path)).blob();
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
