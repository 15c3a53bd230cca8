/**
 * The live alert stream read with fetch, not EventSource: EventSource cannot send the
 * Authorization header, and putting the key in the URL would write it into logs and history.
 * fetch reaches the same origin, which the CSP (connect-src 'self') allows. Reconnects with
 * Last-Event-ID after a break, backing off; a refusal (401/403/404/400) stops it.
 */
import { storedKey } from './state.js';

export interface StreamHandlers {
  onChange(change: unknown, id: string): void;
  /** Subscribed; `reload`: what came before is not known (first connect, or the resume failed). */
  onReady(reload: boolean): void;
  onStatus(status: 'connecting' | 'live' | 'retrying' | 'stopped', detail?: string | number): void;
}

export interface AlertStream {
  stop(): void;
}

const FIRST_RETRY_MS = 1_000;
const MAX_RETRY_MS = 30_000;

export function followAlerts(query: string, handlers: StreamHandlers): AlertStream {
  const abort = new AbortController();
  let lastId: string | undefined;
  let mustReload = true;
  let retryMs = FIRST_RETRY_MS;

  const handle = (event: string, data: string, id: string | undefined) => {
    if (event === 'alert' && id) {
      lastId = id;
      handlers.onChange(JSON.parse(data), id);
    } else if (event === 'reset') mustReload = true;
    else if (event === 'ready') {
      retryMs = FIRST_RETRY_MS;
      handlers.onStatus('live');
      handlers.onReady(mustReload);
      mustReload = false;
    }
  };

  const connectOnce = async (): Promise<'retry' | 'stop'> => {
    handlers.onStatus('connecting');
    const headers: Record<string, string> = { accept: 'text/event-stream' };
    const key = storedKey();
    if (key) headers.authorization = `Bearer ${key}`;
    if (lastId) headers['last-event-id'] = lastId;
    const r = await fetch(`/v1/alerts/stream${query}`, { headers, signal: abort.signal, cache: 'no-store' });
    if (!r.ok || !r.body) {
      const body = (await r.json().catch(() => ({}))) as { error?: string };
      if ([400, 401, 403, 404].includes(r.status)) {
        handlers.onStatus('stopped', body.error ?? String(r.status));
        return 'stop';
      }
      return 'retry';
    }
    const reader = r.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return 'retry';
      buffer += value;
      let cut = buffer.indexOf('\n\n');
      while (cut >= 0) {
        const block = buffer.slice(0, cut);
        buffer = buffer.slice(cut + 2);
        let event = 'message';
        let id: string | undefined;
        const data: string[] = [];
        for (const line of block.split('\n')) {
          if (line.startsWith('event: ')) event = line.slice(7);
          else if (line.startsWith('id: ')) id = line.slice(4);
          else if (line.startsWith('data: ')) data.push(line.slice(6));
        }
        if (data.length > 0) handle(event, data.join('\n'), id);
        cut = buffer.indexOf('\n\n');
      }
    }
  };

  void (async () => {
    while (!abort.signal.aborted) {
      let next: 'retry' | 'stop' = 'retry';
      try {
        next = await connectOnce();
      } catch {
        if (abort.signal.aborted) return;
      }
      if (next === 'stop' || abort.signal.aborted) return;
      handlers.onStatus('retrying', Math.round(retryMs / 1000));
      await new Promise((resolve) => setTimeout(resolve, retryMs));
      retryMs = Math.min(MAX_RETRY_MS, retryMs * 2);
    }
  })();

  return { stop: () => abort.abort() };
}
