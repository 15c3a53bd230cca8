/**
 * A real local SMTP server (smtp-server) that keeps every message it accepts, parsed by
 * mailparser. It can refuse its first N messages with an SMTP code (4xx: try later; 5xx:
 * permanent). No TLS, no authentication: it listens on 127.0.0.1 only. Used by the tests and
 * by `npm start`'s local sinks.
 */
import type { AddressInfo } from 'node:net';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface SinkMessage {
  envelopeTo: string[];
  parsed: ParsedMail;
  at: number;
}

export interface SmtpSink {
  host: string;
  port: number;
  messages: SinkMessage[];
  refuseFirst(n: number, code: number): void;
  close(): Promise<void>;
}

export async function startSmtpSink(
  options: { port?: number; host?: string; onMessage?: (m: SinkMessage) => void } = {},
): Promise<SmtpSink> {
  const messages: SinkMessage[] = [];
  let refusals = 0;
  let refusalCode = 451;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((parsed) => {
          if (refusals > 0) {
            refusals--;
            const err = Object.assign(new Error(`refusing on purpose (${refusalCode})`), { responseCode: refusalCode });
            return callback(err);
          }
          const m = { envelopeTo: session.envelope.rcptTo.map((a) => a.address), parsed, at: Date.now() };
          messages.push(m);
          options.onMessage?.(m);
          callback();
        })
        .catch((err: Error) => callback(err));
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.server.address() as AddressInfo;
  return {
    host: address.address,
    port: address.port,
    messages,
    refuseFirst(n, code) {
      refusals = n;
      refusalCode = code;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
