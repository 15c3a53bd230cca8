import { storedKey, t } from './state.js';

/** A refusal of the api, with the localized message the page shows. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly detail: string,
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

async function request(path: string, key = storedKey()): Promise<Response> {
  const r = await fetch(path, { headers: key ? { authorization: `Bearer ${key}` } : {} });
  if (!r.ok) {
    const body = (await r.json().catch(() => ({}))) as { error?: string };
    throw new ApiError(r.status, body.error ?? r.statusText);
  }
  return r;
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
