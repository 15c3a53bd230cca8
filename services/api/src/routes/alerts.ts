/**
 * Alerts for operations: list and filter, one alert with its history, the lifecycle moves
 * (through the alert keeper, as the CLI does: packages/alerts `requestTransition`), silences,
 * and a live stream of changes (Server-Sent Events from the process's one alerts feed).
 * Owners see the alerts of their own platforms only, by every route, filter and the stream.
 */
import type { Scope } from '@tracewatch/access';
import {
  type AlertFeed,
  type AlertFilter,
  alertHistory,
  alertMatches,
  CommandTimeoutError,
  countAlerts,
  createSilence,
  expireSilence,
  type FeedEntry,
  getAlert,
  listAlerts,
  listSilences,
  type OperatorState,
  requestTransition,
} from '@tracewatch/alerts';
import {
  ALERT_CHANGE_KINDS,
  type Alert,
  type AlertCommand,
  alertSchema,
  alertStateSchema,
  boundedId,
  calendarDay,
  detectorName,
  fingerprintSchema,
  instant,
  severitySchema,
  silenceSchema,
} from '@tracewatch/schema';
import type { Store } from '@tracewatch/store';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { accessOf, auditRequest } from '../access.js';
import type { ApiConfig } from '../config.js';
import { ERROR_RESPONSES, errorBodySchema, HttpError } from '../errors.js';
import { requireVisiblePlatform } from './common.js';

/** What the service gives these routes: Kafka's side (commands out, the feed of changes in). */
export interface AlertsWiring {
  /** Puts a command on alert-commands; rejects while Kafka is not reached. */
  send(command: AlertCommand): Promise<void>;
  /** The alerts feed once it reads the topic. */
  feed(): AlertFeed | undefined;
}

export type AlertRoutesDeps = AlertsWiring & {
  config: Pick<ApiConfig, 'API_ALERT_COMMAND_TIMEOUT_MS' | 'API_STREAM_HEARTBEAT_MS' | 'API_STREAM_MAX_CLIENTS'>;
};

export const MAX_ALERT_PAGE = 500;
const MAX_PERIOD_DAYS = 731;
/** A stream whose client stopped reading is closed once this much waits unsent (it may resume). */
const MAX_STREAM_BACKLOG_BYTES = 1 << 20;

const dayNumber = (day: string) => Date.parse(`${day}T00:00:00Z`) / 86_400_000;
const dayBefore = (day: string) => new Date(Date.parse(`${day}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);

const filterShape = {
  state: alertStateSchema.optional(),
  severity: severitySchema.optional(),
  detector: detectorName.optional(),
  platformId: boundedId.optional(),
  orgId: boundedId.optional(),
  from: calendarDay.optional().describe('alerts whose period ends on or after this day (YYYY-MM-DD)'),
  to: calendarDay
    .optional()
    .describe('alerts whose period starts before this day (YYYY-MM-DD, exclusive); from < to, at most 731 days'),
};

function checkPeriod(q: { from?: string | undefined; to?: string | undefined }, ctx: z.RefinementCtx): void {
  if (q.from === undefined || q.to === undefined) return;
  const days = dayNumber(q.to) - dayNumber(q.from);
  if (!(days > 0)) ctx.addIssue({ code: 'custom', path: ['to'], message: 'to must be after from' });
  else if (days > MAX_PERIOD_DAYS)
    ctx.addIssue({ code: 'custom', path: ['to'], message: `the range may span at most ${MAX_PERIOD_DAYS} days` });
}

const listQuery = z
  .strictObject({
    ...filterShape,
    limit: z.coerce.number().int().min(1).max(MAX_ALERT_PAGE).default(100),
    offset: z.coerce.number().int().min(0).max(100_000).default(0),
  })
  .superRefine(checkPeriod);
const streamQuery = z.strictObject(filterShape).superRefine(checkPeriod);

type FilterQuery = { [K in keyof typeof filterShape]?: string | undefined };

/** The request's filter narrowed to the caller's scope (an owner: their platforms only). */
function scopedFilter(q: FilterQuery, scope: Scope): Omit<AlertFilter, 'limit' | 'offset'> {
  return {
    state: q.state as AlertFilter['state'],
    severity: q.severity as AlertFilter['severity'],
    detector: q.detector,
    platformId: q.platformId,
    orgId: q.orgId,
    from: q.from,
    to: q.to === undefined ? undefined : dayBefore(q.to),
    platformIds: scope.kind === 'all' ? undefined : scope.platformIds,
  };
}

const notVisible = (fingerprint: string) =>
  new HttpError(404, `no alert ${fingerprint} among the alerts this key may see`);

/** The alert, when it exists and lies in the caller's scope (otherwise the same 404 either way). */
async function visibleAlert(store: Store, scope: Scope, fingerprint: string): Promise<Alert> {
  const alert = await getAlert(store, fingerprint);
  if (!alert || (scope.kind !== 'all' && !scope.platformIds.includes(alert.finding.scope.platformId)))
    throw notVisible(fingerprint);
  return alert;
}

const historyEntrySchema = z.object({
  version: z.number(),
  changeId: z.string(),
  commandId: z.string(),
  kind: z.enum(ALERT_CHANGE_KINDS),
  from: alertStateSchema.nullable(),
  to: alertStateSchema,
  at: z.string(),
  by: z.string(),
  note: z.string(),
});

const alertErrorSchema = errorBodySchema.extend({
  code: z.enum(['conflict', 'invalid-transition', 'invalid']).optional(),
  currentVersion: z.number().optional(),
});

const reason = z.string().trim().min(1, 'give the reason (a note)').max(2000);
const optionalNote = z.string().max(2000).optional();
const expectedVersion = z
  .number()
  .int()
  .positive()
  .optional()
  .describe('the version you saw; another change since then is a 409 conflict (default: the current version)');

/** The lifecycle moves, by route; dismiss and reopen need the reason. */
const MOVES: Array<{ verb: string; to: OperatorState; summary: string; needsReason: boolean }> = [
  { verb: 'acknowledge', to: 'acknowledged', summary: 'Acknowledges an open alert', needsReason: false },
  { verb: 'resolve', to: 'resolved', summary: 'Resolves an alert', needsReason: false },
  {
    verb: 'dismiss',
    to: 'dismissed',
    summary: 'Dismisses an alert as a false alarm (note: the reason)',
    needsReason: true,
  },
  { verb: 'confirm', to: 'confirmed', summary: 'Confirms an alert: fabrication established', needsReason: false },
  {
    verb: 'reopen',
    to: 'open',
    summary: 'Re-opens a resolved, dismissed or confirmed alert (note: why)',
    needsReason: true,
  },
];

const silenceOutSchema = silenceSchema.and(z.object({ expiredBy: z.string().nullable(), active: z.boolean() }));

const MAX_SILENCE_MS = 366 * 86_400_000;
const newSilenceBody = z
  .strictObject({
    detector: detectorName.optional(),
    platformId: boundedId.optional(),
    orgId: boundedId.optional(),
    actorId: boundedId.optional(),
    reason: z.string().trim().min(1, 'a silence needs a reason').max(2000),
    expiresAt: instant.describe('when it stops (ISO instant, after now, at most a year ahead)'),
  })
  .superRefine((b, ctx) => {
    if (b.detector === undefined && b.platformId === undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['platformId'],
        message: 'name a detector or a platform (a silence of everything is refused)',
      });
    const ahead = Date.parse(b.expiresAt) - Date.now();
    if (!(ahead > 0)) ctx.addIssue({ code: 'custom', path: ['expiresAt'], message: 'expiresAt must be in the future' });
    else if (ahead > MAX_SILENCE_MS)
      ctx.addIssue({ code: 'custom', path: ['expiresAt'], message: 'a silence may last at most a year' });
  });

/** One SSE message (event name, id, one JSON line of data). */
function sseMessage(event: string, data: unknown, id?: string): string {
  return `${id === undefined ? '' : `id: ${id}\n`}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

export function alertRoutes(store: Store, deps: AlertRoutesDeps): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/v1/alerts',
      {
        config: { permission: 'alerts.read' },
        schema: {
          tags: ['alerts'],
          summary: 'Current alerts, newest change first, filtered and paged',
          querystring: listQuery,
          response: {
            200: z.object({ alerts: z.array(alertSchema), total: z.number(), limit: z.number(), offset: z.number() }),
            ...ERROR_RESPONSES,
          },
        },
      },
      async (req) => {
        const { scope } = accessOf(req);
        requireVisiblePlatform(scope, req.query.platformId);
        const filter = scopedFilter(req.query, scope);
        const { limit, offset } = req.query;
        const [alerts, total] = await Promise.all([
          listAlerts(store, { ...filter, limit, offset }),
          countAlerts(store, filter),
        ]);
        req.rowsReturned = alerts.length;
        return { alerts, total, limit, offset };
      },
    );

    const open = new Set<(why: string) => void>();
    // Streams never end by themselves: end them before the server waits for its connections.
    app.addHook('preClose', async () => {
      for (const close of [...open]) close('shutdown');
    });

    app.get(
      '/v1/alerts/stream',
      {
        config: { permission: 'alerts.read' },
        schema: {
          tags: ['alerts'],
          summary:
            'Live alert changes (text/event-stream): event "alert" (id = change id, data = the change), "ready", "reset" (resume impossible: reload), heartbeats as comments, "shutdown"',
          description:
            'Same filters as /v1/alerts; a state filter matches a change that enters or leaves the state. Send Last-Event-ID to resume after the last change seen.',
          querystring: streamQuery,
          headers: z.object({ 'last-event-id': boundedId.optional() }),
          response: { 200: z.string().describe('text/event-stream'), 503: errorBodySchema, ...ERROR_RESPONSES },
        },
      },
      async (req, reply) => {
        const { scope } = accessOf(req);
        requireVisiblePlatform(scope, req.query.platformId);
        const feed = deps.feed();
        if (!feed?.ready()) throw new HttpError(503, 'the alerts stream is not connected to Kafka yet; retry shortly');
        if (open.size >= deps.config.API_STREAM_MAX_CLIENTS)
          throw new HttpError(503, `this server holds its maximum of ${open.size} live streams; retry later`);
        const filter = scopedFilter(req.query, scope);
        // onSend (which audits every other answer) does not run for a response written by hand.
        try {
          await auditRequest(store, req, 200);
        } catch (err) {
          req.log.error({ err }, 'audit log write failed; stream refused');
          throw new HttpError(503, 'the audit log is unavailable, so the stream is refused; try again');
        }

        reply.hijack();
        const raw = reply.raw;
        const headers: Record<string, string | number | string[]> = {};
        // The headers set so far (helmet's) go out with the stream's own.
        for (const [k, v] of Object.entries(reply.getHeaders())) if (v !== undefined) headers[k] = v;
        raw.writeHead(200, {
          ...headers,
          'content-type': 'text/event-stream; charset=utf-8',
          'cache-control': 'no-cache, no-transform',
          connection: 'keep-alive',
          'x-accel-buffering': 'no',
        });
        let closed = false;
        let heartbeat: NodeJS.Timeout | undefined;
        const close = (why: string) => {
          if (closed) return;
          closed = true;
          clearInterval(heartbeat);
          subscription.unsubscribe();
          open.delete(close);
          if (why === 'shutdown') raw.write(sseMessage('shutdown', { reason: 'the server is stopping' }));
          raw.end();
        };
        const write = (text: string) => {
          if (closed) return;
          raw.write(text);
          if (raw.writableLength > MAX_STREAM_BACKLOG_BYTES) close('slow reader');
        };
        const deliver = (e: FeedEntry) => {
          if (alertMatches(e.change.alert, filter, e.change.from)) write(sseMessage('alert', e.change, e.id));
        };
        const subscription = feed.subscribe(deliver, req.headers['last-event-id']);
        open.add(close);
        write('retry: 3000\n\n');
        let replayed = 0;
        if (subscription.replay === 'unknown')
          write(
            sseMessage('reset', {
              reason: `change ${req.headers['last-event-id']} is no longer kept; reload the list`,
            }),
          );
        else
          for (const e of subscription.replay) {
            deliver(e);
            replayed++;
          }
        write(sseMessage('ready', { replayed }));
        heartbeat = setInterval(
          () => write(`: heartbeat ${new Date().toISOString()}\n\n`),
          deps.config.API_STREAM_HEARTBEAT_MS,
        );
        req.raw.on('close', () => close('client gone'));
      },
    );

    app.get(
      '/v1/alerts/:fingerprint',
      {
        config: { permission: 'alerts.read' },
        schema: {
          tags: ['alerts'],
          summary: 'One alert and its history (every change, oldest first)',
          params: z.strictObject({ fingerprint: fingerprintSchema }),
          response: {
            200: z.object({ alert: alertSchema, history: z.array(historyEntrySchema) }),
            ...ERROR_RESPONSES,
          },
        },
      },
      async (req) => {
        const { scope } = accessOf(req);
        const alert = await visibleAlert(store, scope, req.params.fingerprint);
        const history = await alertHistory(store, alert.fingerprint);
        req.rowsReturned = 1 + history.length;
        return { alert, history };
      },
    );

    for (const move of MOVES) {
      app.post(
        `/v1/alerts/:fingerprint/${move.verb}`,
        {
          config: { permission: 'alerts.write' },
          // A move needing no reason may be POSTed without a body (Fastify then has null).
          preValidation: async (req) => {
            if (req.body === null || req.body === undefined) (req as { body: unknown }).body = {};
          },
          schema: {
            tags: ['alerts'],
            summary: move.summary,
            description:
              'Sent to the alert keeper, which applies the lifecycle; answered once it decided. 409: someone changed the alert since expectedVersion (code conflict), or the move is not allowed from its state (code invalid-transition).',
            params: z.strictObject({ fingerprint: fingerprintSchema }),
            body: z.strictObject({ note: move.needsReason ? reason : optionalNote, expectedVersion }),
            response: {
              200: z.object({
                alert: alertSchema,
                change: z.object({
                  from: alertStateSchema,
                  to: alertStateSchema,
                  version: z.number(),
                  changeId: z.string(),
                }),
              }),
              ...ERROR_RESPONSES,
              400: alertErrorSchema,
              409: alertErrorSchema,
              503: errorBodySchema,
              504: errorBodySchema,
            },
          },
        },
        async (req, reply) => {
          const { principal, scope } = accessOf(req);
          await visibleAlert(store, scope, req.params.fingerprint);
          let result: Awaited<ReturnType<typeof requestTransition>>;
          try {
            result = await requestTransition(
              store,
              async (command) => {
                try {
                  await deps.send(command);
                } catch (err) {
                  throw new HttpError(503, `could not send the change to Kafka (${(err as Error).message}); retry`);
                }
              },
              {
                fingerprint: req.params.fingerprint,
                to: move.to,
                by: principal.name,
                note: req.body.note,
                expectedVersion: req.body.expectedVersion,
                timeoutMs: deps.config.API_ALERT_COMMAND_TIMEOUT_MS,
                origin: 'api',
              },
            );
          } catch (err) {
            if (err instanceof CommandTimeoutError)
              throw new HttpError(
                504,
                `sent, but the alert keeper did not answer within ${deps.config.API_ALERT_COMMAND_TIMEOUT_MS} ms (is the detector service running?); the change may still be applied: look at the alert again`,
              );
            throw err;
          }
          if (result.outcome === 'accepted') {
            const alert = await getAlert(store, req.params.fingerprint);
            if (!alert) throw new Error(`alert ${req.params.fingerprint} accepted a change but is not stored`);
            req.rowsReturned = 1;
            return {
              alert,
              change: {
                from: result.before.state,
                to: alert.state,
                version: result.version,
                changeId: result.changeId,
              },
            };
          }
          if (result.outcome === 'unknown-alert') throw notVisible(req.params.fingerprint);
          if (result.outcome === 'invalid') return reply.code(400).send({ error: result.message, code: 'invalid' });
          const current = result.outcome === 'conflict' ? await getAlert(store, req.params.fingerprint) : result.before;
          return reply.code(409).send({
            error: result.message,
            code: result.outcome,
            ...(current ? { currentVersion: current.version } : {}),
          });
        },
      );
    }

    app.get(
      '/v1/silences',
      {
        config: { permission: 'silences.read' },
        schema: {
          tags: ['alerts'],
          summary: 'Silences in force, newest first (includeExpired=true: expired ones too)',
          querystring: z.strictObject({ includeExpired: z.enum(['true', 'false']).default('false') }),
          response: { 200: z.object({ silences: z.array(silenceOutSchema) }), ...ERROR_RESPONSES },
        },
      },
      async (req) => {
        accessOf(req);
        const now = new Date();
        const stored = await listSilences(store, { includeExpired: req.query.includeExpired === 'true', now });
        req.rowsReturned = stored.length;
        return {
          silences: stored.map((s) => ({
            ...s.silence,
            expiredBy: s.expiredBy || null,
            active: Date.parse(s.silence.expiresAt) > now.getTime(),
          })),
        };
      },
    );

    app.post(
      '/v1/silences',
      {
        config: { permission: 'silences.write' },
        schema: {
          tags: ['alerts'],
          summary: 'Creates a silence: alerts it matches stay stored and shown, marked silenced',
          body: newSilenceBody,
          response: { 201: z.object({ silence: silenceSchema }), ...ERROR_RESPONSES },
        },
      },
      async (req, reply) => {
        const { principal } = accessOf(req);
        const silence = await createSilence(store, { ...req.body, createdBy: principal.name });
        req.rowsReturned = 1;
        return reply.code(201).send({ silence });
      },
    );

    app.post(
      '/v1/silences/:id/expire',
      {
        config: { permission: 'silences.write' },
        schema: {
          tags: ['alerts'],
          summary: 'Ends a silence now (one already expired is returned as it is)',
          params: z.strictObject({ id: boundedId }),
          response: { 200: z.object({ silence: silenceSchema }), ...ERROR_RESPONSES },
        },
      },
      async (req) => {
        const { principal } = accessOf(req);
        const silence = await expireSilence(store, req.params.id, principal.name);
        if (!silence) throw new HttpError(404, `no silence ${JSON.stringify(req.params.id)}`);
        req.rowsReturned = 1;
        return { silence };
      },
    );
  };
}
