import { acknowledgeNotice, answerNotice, getNotice, listNotices, NoticeNotFoundError } from '@tracewatch/notices';
import {
  answerInputSchema,
  boundedId,
  instant,
  NOTICE_KINDS,
  noticeAcknowledgementSchema,
  noticeAnswerSchema,
  noticeViewSchema,
} from '@tracewatch/schema';
import type { Store } from '@tracewatch/store';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { accessOf } from '../access.js';
import { ERROR_RESPONSES, HttpError } from '../errors.js';
import { requireVisiblePlatform } from './common.js';

const MAX_PAGE = 200;
const noticeParams = z.strictObject({ notice: boundedId.describe('the notice id or its number (YYYY-NNNNNN)') });

const listQuery = z
  .strictObject({
    platformId: boundedId.optional(),
    orgId: boundedId.optional(),
    kind: z.enum(NOTICE_KINDS).optional(),
    status: z.enum(['answered', 'unanswered', 'overdue']).optional(),
    from: instant.optional().describe('created at or after (ISO instant)'),
    to: instant.optional().describe('created before (ISO instant)'),
    limit: z.coerce.number().int().min(1).max(MAX_PAGE).default(50),
    offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
  })
  .superRefine((q, ctx) => {
    if (q.from && q.to && !(Date.parse(q.to) > Date.parse(q.from)))
      ctx.addIssue({ code: 'custom', path: ['to'], message: 'to must be after from' });
  });

/** Outside the caller's scope a notice is the same 404 as a missing one: an owner learns nothing of others. */
const notFound = (id: string) =>
  new HttpError(404, `no notice ${JSON.stringify(id)} among the notices this key may see`);

/**
 * Notices (通报): owners read their own platforms' notices, acknowledge and answer them
 * (explanation or rectification, with links); inspectors, operations and admins read every
 * notice with its answers and delivery state.
 */
export function noticeRoutes(store: Store): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/v1/notices',
      {
        config: { permission: 'notices.read' },
        schema: {
          tags: ['notices'],
          summary: 'Notices in the caller’s scope, newest first, with acknowledgement, answers and deliveries',
          querystring: listQuery,
          response: {
            200: z.object({ total: z.number(), notices: z.array(noticeViewSchema) }),
            ...ERROR_RESPONSES,
          },
        },
      },
      async (req) => {
        const { scope } = accessOf(req);
        requireVisiblePlatform(scope, req.query.platformId);
        const answer = await listNotices(store, scope, req.query);
        req.rowsReturned = answer.notices.length;
        return answer;
      },
    );

    app.get(
      '/v1/notices/:notice',
      {
        config: { permission: 'notices.read' },
        schema: {
          tags: ['notices'],
          summary: 'One notice in full: its findings, what is asked, the deadline, acknowledgement, answers',
          params: noticeParams,
          response: { 200: noticeViewSchema, ...ERROR_RESPONSES },
        },
      },
      async (req) => {
        const { scope } = accessOf(req);
        const view = await getNotice(store, scope, req.params.notice);
        if (!view) throw notFound(req.params.notice);
        req.rowsReturned = 1;
        return view;
      },
    );

    app.post(
      '/v1/notices/:notice/acknowledgement',
      {
        config: { permission: 'notices.answer' },
        schema: {
          tags: ['notices'],
          summary: 'The owner acknowledges the notice (the first acknowledgement counts)',
          params: noticeParams,
          response: { 200: noticeAcknowledgementSchema, ...ERROR_RESPONSES },
        },
      },
      async (req) => {
        const { principal, scope } = accessOf(req);
        try {
          const ack = await acknowledgeNotice(store, scope, req.params.notice, principal.name);
          req.rowsReturned = 1;
          return ack;
        } catch (err) {
          if (err instanceof NoticeNotFoundError) throw notFound(req.params.notice);
          throw err;
        }
      },
    );

    app.post(
      '/v1/notices/:notice/answers',
      {
        config: { permission: 'notices.answer' },
        schema: {
          tags: ['notices'],
          summary: 'The owner answers: an explanation or a rectification, with optional links as attachments',
          params: noticeParams,
          body: answerInputSchema,
          response: { 201: noticeAnswerSchema, ...ERROR_RESPONSES },
        },
      },
      async (req, reply) => {
        const { principal, scope } = accessOf(req);
        try {
          const answer = await answerNotice(store, scope, req.params.notice, req.body, principal.name);
          req.rowsReturned = 1;
          return reply.code(201).send(answer);
        } catch (err) {
          if (err instanceof NoticeNotFoundError) throw notFound(req.params.notice);
          throw err;
        }
      },
    );
  };
}
