import { type Logger, pino } from 'pino';

export type { Logger };

/** JSON logs on stdout, one line per record, with the service name on every line. */
export function createLogger(service: string, level = 'info'): Logger {
  return pino({ name: service, level, base: { service }, timestamp: pino.stdTimeFunctions.isoTime });
}
