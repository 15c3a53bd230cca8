/**
 * Delivers a notice by e-mail over SMTP (nodemailer), HTML with a plain-text alternative, and
 * says what came of it:
 *
 * - delivered: the server accepted the message for at least one address (refused addresses
 *   are named in `error`).
 * - retry: no answer or a broken conversation (connection refused, timeout, socket, DNS,
 *   TLS) and SMTP 4xx (e.g. 421, 450, 451: the server asks to try later).
 * - failed, permanently: SMTP 5xx (e.g. 550 no such mailbox) and refused credentials.
 *
 * The Message-ID is derived from the delivery's message id, so every retry of one notice
 * carries the same one and a mail system can drop repeats.
 */
import { performance } from 'node:perf_hooks';
import type { NoticeLanguage } from '@tracewatch/schema';
import nodemailer, { type Transporter } from 'nodemailer';
import { type DeliveryResult, truncate } from './result.js';

export interface EmailChannelOptions {
  host: string;
  port: number;
  /** TLS from the start (port 465); otherwise STARTTLS when the server offers it. */
  secure?: boolean;
  /** Refuse to send without STARTTLS. */
  requireTLS?: boolean;
  auth?: { user: string; pass: string };
  /** The sender, e.g. "tracewatch 通报 <notices@example.org>". */
  from: string;
  /** Connection, greeting and socket timeouts. */
  timeoutMs?: number;
  /** Right-hand side of Message-IDs. */
  messageIdDomain?: string;
}

export interface EmailMessage {
  to: readonly string[];
  subject: string;
  html: string;
  text: string;
  /** The same on every retry of this notice to this owner. */
  messageId: string;
  /** The primary language (Content-Language), e.g. 'zh-CN, en' for a bilingual message. */
  language?: string;
}

const RETRY_CODES = new Set(['ECONNECTION', 'ETIMEDOUT', 'ESOCKET', 'EDNS', 'ETLS', 'ECONNREFUSED', 'ECONNRESET']);

/** How an SMTP failure is taken (see the module comment). */
export function classifySmtpError(err: { code?: string; responseCode?: number }): 'retry' | 'failed' {
  if (typeof err.responseCode === 'number') return err.responseCode >= 500 ? 'failed' : 'retry';
  if (err.code === 'EAUTH' || err.code === 'ENOAUTH') return 'failed';
  if (err.code && RETRY_CODES.has(err.code)) return 'retry';
  // Unknown: trying again is the safe side of at-least-once; the horizon bounds it.
  return 'retry';
}

export class EmailChannel {
  private readonly transport: Transporter;
  private readonly from: string;
  private readonly domain: string;

  constructor(options: EmailChannelOptions) {
    const timeout = options.timeoutMs ?? 30_000;
    this.from = options.from;
    this.domain = options.messageIdDomain ?? 'tracewatch.local';
    this.transport = nodemailer.createTransport({
      host: options.host,
      port: options.port,
      secure: options.secure ?? false,
      requireTLS: options.requireTLS ?? false,
      ...(options.auth ? { auth: options.auth } : {}),
      connectionTimeout: timeout,
      greetingTimeout: timeout,
      socketTimeout: timeout,
    });
  }

  async send(message: EmailMessage): Promise<DeliveryResult> {
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    try {
      const info = await this.transport.sendMail({
        from: this.from,
        to: [...message.to],
        subject: message.subject,
        text: message.text,
        html: message.html,
        messageId: `<${message.messageId}@${this.domain}>`,
        headers: message.language ? { 'Content-Language': message.language } : {},
      });
      const code = Number(/^(\d{3})/.exec(String(info.response ?? ''))?.[1] ?? 250);
      const refused = (info.rejected ?? []).map(String);
      return {
        outcome: 'delivered',
        responseCode: code,
        error: refused.length > 0 ? truncate(`refused: ${refused.join(', ')}`) : null,
        durationMs: elapsed(),
      };
    } catch (err) {
      const e = err as { code?: string; responseCode?: number; message?: string };
      return {
        outcome: classifySmtpError(e),
        responseCode: typeof e.responseCode === 'number' ? e.responseCode : null,
        error: truncate(`${e.code ? `${e.code}: ` : ''}${e.message ?? String(err)}`),
        durationMs: elapsed(),
      };
    }
  }

  close(): void {
    this.transport.close();
  }
}

export interface LanguagePart {
  language: NoticeLanguage;
  subject: string;
  html: string;
  text: string;
}

const LANGUAGE_ORDER: readonly NoticeLanguage[] = ['zh-CN', 'en'];

/**
 * One e-mail holding every language an owner reads, zh-CN first: the subjects joined with
 * " / ", each HTML part in its own `lang` section, the texts one after another.
 */
export function composeEmail(parts: readonly LanguagePart[], to: readonly string[], messageId: string): EmailMessage {
  if (parts.length === 0) throw new RangeError('an e-mail needs at least one language');
  const ordered = [...parts].sort((a, b) => LANGUAGE_ORDER.indexOf(a.language) - LANGUAGE_ORDER.indexOf(b.language));
  const html = ordered.map((p) => `<section lang="${p.language}">${p.html}</section>`).join('\n<hr>\n');
  return {
    to,
    messageId,
    subject: ordered.map((p) => p.subject).join(' / '),
    html: `<!doctype html><html><head><meta charset="utf-8"></head><body>${html}</body></html>`,
    text: ordered.map((p) => p.text).join('\n\n----------------------------------------\n\n'),
    language: ordered.map((p) => p.language).join(', '),
  };
}
