/**
 * A real local webhook receiver that does what an owner's endpoint should: verifies every
 * request with the Standard Webhooks reference library (`standardwebhooks`), takes each
 * webhook-id once and answers repeats with 200 without taking them again. It can be made to
 * fail its first N requests, to stay down (reset every connection), or to answer slowly
 * after taking a request. Used by the tests and by `npm start`'s local sinks.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

export interface ReceivedRequest {
  id: string | undefined;
  timestamp: string | undefined;
  body: string;
  /** Why verification failed; undefined when it passed. */
  rejected?: string;
  /** What the receiver did with it. */
  answer: 'taken' | 'duplicate' | 'rejected' | 'failed' | 'reset';
  at: number;
}

export interface ReceiverBehaviour {
  /** Answer `failStatus` to this many verified requests first (nothing is taken). */
  failFirst?: number;
  failStatus?: number;
  /** Reset every connection without an answer (a network error for the sender). */
  down?: boolean;
  /** Answer the first `slowFirst` taken requests only after `delayMs`. */
  slowFirst?: number;
  delayMs?: number;
}

export interface WebhookReceiver {
  url: string;
  requests: ReceivedRequest[];
  /** Bodies taken, once per webhook-id, in arrival order. */
  taken: Map<string, unknown>;
  /** Verified requests whose webhook-id had been taken already. */
  duplicates(): number;
  /** Every request that reached the handler, by webhook-id. */
  countById(id: string): number;
  behave(behaviour: ReceiverBehaviour): void;
  close(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

const header = (req: IncomingMessage, name: string) => {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
};

export async function startWebhookReceiver(options: {
  secret: string;
  port?: number;
  host?: string;
  behaviour?: ReceiverBehaviour;
  /** Called for each request after it is answered (the local sink prints it). */
  onRequest?: (r: ReceivedRequest) => void;
}): Promise<WebhookReceiver> {
  const verifier = new Webhook(options.secret);
  const requests: ReceivedRequest[] = [];
  const taken = new Map<string, unknown>();
  let behaviour: ReceiverBehaviour = { ...options.behaviour };
  let failuresLeft = behaviour.failFirst ?? 0;
  let slowLeft = behaviour.slowFirst ?? 0;
  const sockets = new Set<import('node:net').Socket>();

  const server: Server = createServer(async (req, res) => {
    const record = (r: Omit<ReceivedRequest, 'at'>) => {
      const full = { ...r, at: Date.now() };
      requests.push(full);
      options.onRequest?.(full);
    };
    const id = header(req, 'webhook-id');
    const timestamp = header(req, 'webhook-timestamp');
    if (behaviour.down) {
      record({ id, timestamp, body: '', answer: 'reset' });
      req.socket.destroy();
      return;
    }
    const body = await readBody(req);
    let payload: unknown;
    try {
      payload = verifier.verify(body, {
        'webhook-id': id ?? '',
        'webhook-timestamp': timestamp ?? '',
        'webhook-signature': header(req, 'webhook-signature') ?? '',
      });
    } catch (err) {
      record({ id, timestamp, body, rejected: (err as Error).message, answer: 'rejected' });
      res.writeHead(401, { 'content-type': 'text/plain' }).end(`signature not verified: ${(err as Error).message}`);
      return;
    }
    if (failuresLeft > 0) {
      failuresLeft--;
      record({ id, timestamp, body, answer: 'failed' });
      res.writeHead(behaviour.failStatus ?? 503, { 'content-type': 'text/plain' }).end('failing on purpose');
      return;
    }
    if (taken.has(id!)) {
      record({ id, timestamp, body, answer: 'duplicate' });
      res.writeHead(200).end();
      return;
    }
    taken.set(id!, payload);
    record({ id, timestamp, body, answer: 'taken' });
    if (slowLeft > 0) {
      slowLeft--;
      await new Promise((r) => setTimeout(r, behaviour.delayMs ?? 5_000));
    }
    if (!res.destroyed) res.writeHead(204).end();
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  return {
    url: `http://${address.address}:${address.port}/hooks/tracewatch`,
    requests,
    taken,
    duplicates: () => requests.filter((r) => r.answer === 'duplicate').length,
    countById: (id) => requests.filter((r) => r.id === id).length,
    behave(next) {
      behaviour = { ...next };
      failuresLeft = next.failFirst ?? 0;
      slowLeft = next.slowFirst ?? 0;
    },
    close: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
