import type { Server } from 'node:http';
import type { Registry } from 'prom-client';
import { type Readiness, startHealthServer } from './health.js';
import type { Logger } from './logger.js';
import { RetryAborted, retry } from './retry.js';

export interface ServiceOptions {
  name: string;
  log: Logger;
  port: number;
  host: string;
  registry: Registry;
  /** Reasons the process is not alive (a stalled loop, a crashed consumer): /healthz 503. */
  notAlive: () => string[];
  /** Reasons it cannot serve yet or now (a dependency down, state rebuilding): /readyz 503. */
  notReady: () => string[];
  /**
   * Connects and starts the work. Use `step` for each stage that waits on a dependency: it
   * retries with backoff until it succeeds or the service stops.
   */
  boot: (step: <T>(what: string, work: () => Promise<T>) => Promise<T>, signal: AbortSignal) => Promise<void>;
  /** Stops the work (after boot settled): finish or abandon the batch in hand, close clients. */
  stop: () => Promise<void>;
  /** Called first on stop, before waiting for boot: abandon work a booting step may be holding. */
  abandon?: () => Promise<void>;
}

export interface RunningService {
  stop(): Promise<void>;
  /** Settles when boot finished (or failed, or was stopped). */
  booted: Promise<void>;
}

/**
 * The start-up, health and shutdown every service shares: /healthz /readyz /metrics first (so a
 * service waiting on a dependency says why), then `boot` with retries, and on stop: abort the
 * retries, wait for boot, stop the work, close the HTTP server. A boot failure that is not a
 * dependency being unavailable is fatal: logged, exit code 1.
 */
export async function startService(opts: ServiceOptions): Promise<RunningService> {
  const stopping = new AbortController();
  const toReadiness = (reasons: string[]): Readiness => ({ ready: reasons.length === 0, reasons });
  const server: Server = await startHealthServer({
    port: opts.port,
    host: opts.host,
    registry: opts.registry,
    live: () => toReadiness(opts.notAlive()),
    ready: () => toReadiness(opts.notReady()),
  });
  opts.log.info({ port: opts.port, host: opts.host }, 'health endpoints listening');
  const step = <T>(what: string, work: () => Promise<T>) =>
    retry(work, {
      what,
      signal: stopping.signal,
      baseMs: 500,
      maxMs: 10_000,
      onRetry: (err, attempt) => opts.log.warn({ err: (err as Error)?.message, attempt }, `${what} failed; retrying`),
    });
  const booted = opts.boot(step, stopping.signal).catch((err: unknown) => {
    if (err instanceof RetryAborted || stopping.signal.aborted) return;
    opts.log.fatal({ err }, `${opts.name} failed to start`);
    process.exitCode = 1;
  });
  return {
    booted,
    async stop() {
      stopping.abort();
      await opts.abandon?.();
      await booted;
      await opts.stop();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
