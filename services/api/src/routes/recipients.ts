import { deleteRecipient, loadRecipient, loadRecipients, saveRecipient } from '@tracewatch/delivery';
import {
  boundedId,
  RECIPIENT_SCHEMA_VERSION,
  type RecipientConfigV1,
  recipientConfigShape,
  recipientInputSchema,
} from '@tracewatch/schema';
import type { Store } from '@tracewatch/store';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { accessOf } from '../access.js';
import { ERROR_RESPONSES, HttpError } from '../errors.js';

const ownerParams = z.strictObject({ ownerId: boundedId });

/** A configuration as shown: the webhook secret never leaves, only a hint to recognise it by. */
const recipientOutSchema = z.object({
  ...recipientConfigShape,
  webhook: z.object({ url: z.string(), secretHint: z.string() }).optional(),
});
type RecipientOut = z.infer<typeof recipientOutSchema>;

function redact(config: RecipientConfigV1): RecipientOut {
  const { webhook, ...rest } = config;
  return webhook ? { ...rest, webhook: { url: webhook.url, secretHint: `whsec_…${webhook.secret.slice(-4)}` } } : rest;
}

const problemSchema = z.object({ ownerId: z.string(), error: z.string() });

/**
 * Owners' recipient configurations, for admins: where and how notices reach each owner.
 * PUT replaces the whole configuration (the secret is sent every time: it is never shown).
 */
export function recipientRoutes(store: Store): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/v1/recipients',
      {
        config: { permission: 'recipients.read' },
        schema: {
          tags: ['recipients'],
          summary: 'Every owner’s recipient configuration (secrets redacted), and stored ones that no longer parse',
          querystring: z.strictObject({ platformId: boundedId.optional() }),
          response: {
            200: z.object({ recipients: z.array(recipientOutSchema), problems: z.array(problemSchema) }),
            ...ERROR_RESPONSES,
          },
        },
      },
      async (req) => {
        accessOf(req);
        const loaded = await loadRecipients(store, req.query);
        req.rowsReturned = loaded.recipients.length + loaded.problems.length;
        return { recipients: loaded.recipients.map(redact), problems: loaded.problems };
      },
    );

    app.get(
      '/v1/recipients/:ownerId',
      {
        config: { permission: 'recipients.read' },
        schema: {
          tags: ['recipients'],
          summary: 'One owner’s recipient configuration (secret redacted)',
          params: ownerParams,
          response: { 200: recipientOutSchema, 409: problemSchema, ...ERROR_RESPONSES },
        },
      },
      async (req, reply) => {
        accessOf(req);
        const found = await loadRecipient(store, req.params.ownerId);
        if (!found)
          throw new HttpError(404, `no recipient configuration for owner ${JSON.stringify(req.params.ownerId)}`);
        req.rowsReturned = 1;
        if (!('schemaVersion' in found)) return reply.code(409).send(found);
        return redact(found);
      },
    );

    app.put(
      '/v1/recipients/:ownerId',
      {
        config: { permission: 'recipients.write' },
        schema: {
          tags: ['recipients'],
          summary: 'Creates or replaces an owner’s recipient configuration (validated; the whole of it)',
          params: ownerParams,
          body: recipientInputSchema,
          response: { 200: recipientOutSchema, 201: recipientOutSchema, ...ERROR_RESPONSES },
        },
      },
      async (req, reply) => {
        const { principal } = accessOf(req);
        const existed = (await loadRecipient(store, req.params.ownerId)) !== undefined;
        const config: RecipientConfigV1 = {
          schemaVersion: RECIPIENT_SCHEMA_VERSION,
          ownerId: req.params.ownerId,
          ...req.body,
          updatedAt: new Date().toISOString(),
          updatedBy: principal.name,
        };
        await saveRecipient(store, config);
        req.rowsReturned = 1;
        return reply.code(existed ? 200 : 201).send(redact(config));
      },
    );

    app.delete(
      '/v1/recipients/:ownerId',
      {
        config: { permission: 'recipients.write' },
        schema: {
          tags: ['recipients'],
          summary: 'Deletes an owner’s recipient configuration (notices for them are kept, not delivered)',
          params: ownerParams,
          response: { 204: z.null(), ...ERROR_RESPONSES },
        },
      },
      async (req, reply) => {
        const { principal } = accessOf(req);
        if (!(await deleteRecipient(store, req.params.ownerId, principal.name)))
          throw new HttpError(404, `no recipient configuration for owner ${JSON.stringify(req.params.ownerId)}`);
        req.rowsReturned = 1;
        return reply.code(204).send(null);
      },
    );
  };
}
