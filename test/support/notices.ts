/**
 * For the notifier's tests: alert changes as the alert keeper publishes them, owners' recipient
 * configurations, and a real HTTP webhook receiver that verifies Standard Webhooks signatures
 * with the reference library and drops repeats by webhook-id.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { saveRecipient } from '@tracewatch/delivery';
import {
  ALERT_CHANGED_TYPE,
  ALERT_SCHEMA_VERSION,
  type Alert,
  type AlertChange,
  alertChangedEventSchema,
  type NoticeWebhookBody,
  noticeWebhookBodySchema,
  RECIPIENT_SCHEMA_VERSION,
  type RecipientConfigV1,
} from '@tracewatch/schema';
import type { Store } from '@tracewatch/store';
import { Webhook } from 'standardwebhooks';

export const newSecret = () => `whsec_${randomBytes(32).toString('base64')}`;

/** The CloudEvent of one change of `alert` (its state after the change), as on the alerts topic. */
export function alertChangedEvent(alert: Alert, at: string, from: Alert['state'] | null = null) {
  const change: AlertChange = {
    schemaVersion: ALERT_SCHEMA_VERSION,
    changeId: `chg-${randomBytes(6).toString('hex')}`,
    commandId: `cmd-${randomBytes(6).toString('hex')}`,
    fingerprint: alert.fingerprint,
    version: alert.version,
    kind: from === null ? 'created' : 'transition',
    from,
    to: alert.state,
    at,
    by: 'system:test',
    note: '',
    alert,
  };
  return alertChangedEventSchema.parse({
    specversion: '1.0',
    id: change.changeId,
    source: 'tracewatch/test',
    type: ALERT_CHANGED_TYPE,
    time: at,
    subject: alert.fingerprint,
    datacontenttype: 'application/json',
    data: change,
  });
}

export async function saveOwner(
  store: Store,
  ownerId: string,
  platformIds: string[],
  opts: { webhookUrl?: string; secret?: string; email?: string[]; answerDays?: number } = {},
): Promise<RecipientConfigV1> {
  const config: RecipientConfigV1 = {
    schemaVersion: RECIPIENT_SCHEMA_VERSION,
    ownerId,
    name: `owner ${ownerId}`,
    platformIds,
    languages: ['zh-CN', 'en'],
    digest: { frequency: 'daily', timeOfDay: '09:00', timeZone: 'Asia/Shanghai' },
    answerDays: opts.answerDays ?? 10,
    ...(opts.webhookUrl ? { webhook: { url: opts.webhookUrl, secret: opts.secret ?? newSecret() } } : {}),
    ...(opts.email ? { email: { to: opts.email } } : {}),
    updatedAt: new Date().toISOString(),
    updatedBy: 'test-admin',
  };
  await saveRecipient(store, config);
  return config;
}

export interface ReceivedNotice {
  messageId: string;
  body: NoticeWebhookBody;
}

/**
 * A webhook receiver: verifies each request (reference library), answers 2xx after `delayMs`
 * unless told to fail, and keeps the first delivery of each webhook-id (later ones are repeats).
 */
export class WebhookReceiver {
  readonly unique = new Map<string, ReceivedNotice>();
  requests = 0;
  repeats = 0;
  refused = 0;
  delayMs = 0;
  /** Answer 503 to this many requests first. */
  failNext = 0;
  private server: Server | undefined;
  port = 0;

  constructor(private readonly secret: string) {}

  get url() {
    return `http://127.0.0.1:${this.port}/hook`;
  }

  async start(): Promise<void> {
    const verifier = new Webhook(this.secret);
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        this.requests++;
        const body = Buffer.concat(chunks).toString('utf8');
        const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]));
        let parsed: NoticeWebhookBody;
        try {
          verifier.verify(body, headers);
          parsed = noticeWebhookBodySchema.parse(JSON.parse(body));
        } catch (err) {
          this.refused++;
          res.writeHead(400).end((err as Error).message);
          return;
        }
        if (this.failNext > 0) {
          this.failNext--;
          res.writeHead(503).end('try later');
          return;
        }
        setTimeout(() => {
          const id = String(req.headers['webhook-id']);
          if (this.unique.has(id)) this.repeats++;
          else this.unique.set(id, { messageId: id, body: parsed });
          res.writeHead(204).end();
        }, this.delayMs);
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(this.port, '127.0.0.1', resolve));
    const addr = this.server.address();
    this.port = typeof addr === 'object' && addr ? addr.port : 0;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((resolve) => this.server?.close(resolve));
  }

  notices() {
    return [...this.unique.values()].map((r) => r.body.data);
  }
}
