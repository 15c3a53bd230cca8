import {
  authenticate,
  may,
  type Permission,
  type Principal,
  type Scope,
  scopeFor,
  writeAudit,
} from '@tracewatch/access';
import type { Store } from '@tracewatch/store';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { HttpError } from './errors.js';

declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal;
    scope?: Scope;
    /** Rows the answer carries, for the audit log (set by the handler). */
    rowsReturned?: number;
  }
  interface FastifyContextConfig {
    /** What the route needs; a /v1 route without one is refused (deny by default). */
    permission?: Permission;
  }
}

/** JSON.stringify replacer: a field named `secret` (a webhook signing secret) is never written to the audit log. */
export const redactSecrets = (key: string, value: unknown) =>
  key === 'secret' && typeof value === 'string' ? '[redacted]' : value;

/** The verified caller and the data they may see; every /v1 handler starts from this. */
export function accessOf(req: FastifyRequest): { principal: Principal; scope: Scope } {
  if (!req.principal || !req.scope) throw new HttpError(401, 'not authenticated');
  return { principal: req.principal, scope: req.scope };
}

const isApiRoute = (req: FastifyRequest) => req.url.startsWith('/v1/') || req.url === '/v1';

function bearerToken(req: FastifyRequest): string | undefined {
  const header = req.headers.authorization;
  if (typeof header !== 'string') return undefined;
  const m = /^Bearer ([^\s]+)$/.exec(header.trim());
  return m?.[1];
}

/**
 * Authentication (Authorization: Bearer KEY → 401 when missing, malformed, unknown, wrong or
 * revoked), authorization (the route's permission → 403), and the audit log: every answered
 * /v1 request of a known key is written before its answer leaves, so no inspector query goes
 * unrecorded (if the audit log cannot be written the answer is withheld: 503).
 */
export function installAccess(app: FastifyInstance, store: Store): void {
  app.addHook('onRequest', async (req: FastifyRequest) => {
    if (!isApiRoute(req)) return;
    const token = bearerToken(req);
    if (!token) throw new HttpError(401, 'missing API key: send Authorization: Bearer <key>');
    const principal = await authenticate(store, token);
    if (!principal) throw new HttpError(401, 'API key not valid (unknown, wrong or revoked)');
    req.principal = principal;
    req.scope = scopeFor(principal.role, principal.platformIds);
    const permission = req.routeOptions.config.permission;
    if (req.routeOptions.url === undefined) return; // no such route: the 404 handler answers
    if (!permission || !may(principal.role, permission))
      throw new HttpError(403, `role ${principal.role} may not use ${req.method} ${req.routeOptions.url}`);
  });

  app.addHook('onSend', async (req: FastifyRequest, reply: FastifyReply, payload: unknown) => {
    if (!req.principal || !isApiRoute(req)) return payload;
    try {
      await auditRequest(store, req, reply.statusCode);
      return payload;
    } catch (err) {
      req.log.error({ err }, 'audit log write failed; answer withheld');
      reply.code(503).header('content-type', 'application/json; charset=utf-8');
      return JSON.stringify({ error: 'the audit log is unavailable, so the answer is withheld; try again' });
    }
  });
}

/**
 * Writes the audit entry of an answered request. The onSend hook does it for every ordinary
 * answer; a route that writes its own response (the live stream) calls it before its first byte.
 */
export async function auditRequest(store: Store, req: FastifyRequest, status: number): Promise<void> {
  if (!req.principal) return;
  await writeAudit(store, {
    atMs: Date.now(),
    requestId: String(req.id),
    keyId: req.principal.keyId,
    keyName: req.principal.name,
    role: req.principal.role,
    method: req.method,
    route: req.routeOptions.url ?? req.url.split('?')[0] ?? '',
    parameters: JSON.stringify(
      { params: req.params ?? {}, query: req.query ?? {}, body: req.body ?? null },
      redactSecrets,
    ).slice(0, 16_384),
    status,
    rowsReturned: status < 400 ? (req.rowsReturned ?? 0) : 0,
  });
}
