/**
 * Keeps an Alertmanager in step with tracewatch's alerts: every round reads the current
 * alerts from `source`, posts the firing ones (with an endsAt a few intervals ahead, so they
 * expire by themselves if tracewatch stops) and the ended ones (see plan.ts), every
 * `intervalMs` and soon after `trigger()`. A failed round is retried with backoff, each
 * attempt re-reading the source, so the first success carries the whole current state.
 * The first round starts from what Alertmanager lists as ours, so alerts that ended while no
 * forwarder ran (a restart, a deploy) are ended as well.
 */
import type { Alert } from '@tracewatch/schema';
import { type Logger, retry } from '@tracewatch/service-kit';
import { Registry } from 'prom-client';
import { type AlertmanagerClient, AlertmanagerError, type LabelSet } from './client.js';
import { createForwarderMetrics, type ForwarderMetrics } from './metrics.js';
import {
  emptyForwarderState,
  type ForwarderState,
  forwardedMatchers,
  markDelivered,
  planRound,
  seedForwarderState,
  undeliveredEndings,
} from './plan.js';

export interface AlertForwarderOptions {
  client: AlertmanagerClient;
  /** The alerts as they are now (all states; the forwarder picks). Failures are retried. */
  source: () => Promise<Alert[]>;
  /** Re-send period (default 60 s). */
  intervalMs?: number;
  /** endsAt of a firing alert = now + this (default 4 × intervalMs; must exceed intervalMs). */
  activeTtlMs?: number;
  /** How long a delivered ending keeps being re-sent (default 15 min, as Prometheus). */
  endedRetentionMs?: number;
  /** trigger() runs a round this long after the first call of a burst (default 200 ms). */
  debounceMs?: number;
  /** Backoff between failed attempts: base, doubling with jitter, capped (default 500 ms, 30 s). */
  retryBaseMs?: number;
  retryMaxMs?: number;
  /** generatorURL = <consoleUrl>/alerts/<fingerprint> when set. */
  consoleUrl?: string;
  /**
   * Added to every alert (e.g. { env: 'prod' }) when several tracewatch deployments share one
   * Alertmanager: a starting forwarder then only ends alerts with its own labels.
   */
  deploymentLabels?: LabelSet;
  /** Where the tw_alertmanager_* metrics are registered (default: a private registry). */
  registry?: Registry;
  log?: Logger;
  now?: () => number;
}

class SourceError extends Error {
  override name = 'SourceError';
}

const isTransient = (err: unknown) => err instanceof SourceError || (err instanceof AlertmanagerError && err.transient);

export class AlertForwarder {
  readonly metrics: ForwarderMetrics;
  private readonly intervalMs: number;
  private readonly activeTtlMs: number;
  private readonly endedRetentionMs: number;
  private readonly debounceMs: number;
  private readonly now: () => number;
  private current: ForwarderState = emptyForwarderState();
  private seeded = false;
  private running: Promise<void> = Promise.resolve();
  private loopDone: Promise<void> | null = null;
  private readonly stopping = new AbortController();
  private debounceTimer: NodeJS.Timeout | null = null;
  private wake: (() => void) | null = null;
  private wakeRequested = false;

  constructor(private readonly opts: AlertForwarderOptions) {
    this.intervalMs = opts.intervalMs ?? 60_000;
    this.activeTtlMs = opts.activeTtlMs ?? 4 * this.intervalMs;
    this.endedRetentionMs = opts.endedRetentionMs ?? 15 * 60_000;
    this.debounceMs = opts.debounceMs ?? 200;
    this.now = opts.now ?? Date.now;
    if (this.activeTtlMs <= this.intervalMs)
      throw new Error(
        `activeTtlMs (${this.activeTtlMs}) must exceed intervalMs (${this.intervalMs}): firing alerts would expire between rounds`,
      );
    this.metrics = createForwarderMetrics(opts.registry ?? new Registry());
  }

  /** What the forwarder believes Alertmanager holds (for diagnostics and tests). */
  get state(): ForwarderState {
    return this.current;
  }

  /** Starts the rounds: one now, then every intervalMs and after trigger(). */
  start(): void {
    this.loopDone ??= this.loop(this.stopping.signal);
  }

  /** Asks for a round soon (debounced): an alert changed. */
  trigger(): void {
    if (this.debounceTimer || this.stopping.signal.aborted) return;
    this.debounceTimer = setTimeout(() => {
      this.debounceTimer = null;
      if (this.wake) this.wake();
      else this.wakeRequested = true;
    }, this.debounceMs);
    this.debounceTimer.unref();
  }

  /** Stops the rounds (an attempt in flight is abandoned; Alertmanager keeps what it has). */
  async stop(): Promise<void> {
    this.stopping.abort();
    if (this.debounceTimer) clearTimeout(this.debounceTimer);
    this.wake?.();
    await this.loopDone;
  }

  /**
   * One round, retried until Alertmanager accepts it; rejects when a post is refused (4xx)
   * or the signal (or stop()) aborts. Rounds never overlap.
   */
  syncOnce(signal?: AbortSignal): Promise<void> {
    const abort = signal ? AbortSignal.any([signal, this.stopping.signal]) : this.stopping.signal;
    const round = this.running.then(() => this.round(abort));
    this.running = round.catch(() => undefined);
    return round;
  }

  private async round(signal: AbortSignal): Promise<void> {
    await retry(() => this.attempt(signal), {
      signal,
      isTransient,
      baseMs: this.opts.retryBaseMs ?? 500,
      maxMs: Math.min(this.opts.retryMaxMs ?? 30_000, this.intervalMs),
      onRetry: (err, attempt, delayMs) =>
        this.opts.log?.warn({ err: (err as Error).message, attempt, delayMs }, 'forwarding alerts failed; retrying'),
    });
  }

  private async attempt(signal: AbortSignal): Promise<void> {
    if (!this.seeded) {
      const listed = await this.opts.client.getAlerts(
        {
          active: true,
          silenced: true,
          inhibited: true,
          unprocessed: true,
          filter: forwardedMatchers(this.opts.deploymentLabels),
        },
        signal,
      );
      this.current = seedForwarderState(listed, this.opts.deploymentLabels);
      this.seeded = true;
    }
    let alerts: Alert[];
    try {
      alerts = await this.opts.source();
    } catch (err) {
      this.metrics.sourceFailures.inc();
      throw new SourceError(`reading the current alerts failed: ${(err as Error).message}`, { cause: err });
    }
    const plan = planRound(this.current, alerts, {
      nowMs: this.now(),
      activeTtlMs: this.activeTtlMs,
      endedRetentionMs: this.endedRetentionMs,
      consoleUrl: this.opts.consoleUrl,
      deploymentLabels: this.opts.deploymentLabels,
    });
    // Kept before posting: endings found now survive a failed post.
    this.current = plan.state;
    this.metrics.firing.set(plan.firing);
    this.metrics.pendingEndings.set(undeliveredEndings(plan.state));
    try {
      // Also when empty: the accepted post tells that Alertmanager is reachable.
      await this.opts.client.postAlerts(plan.alerts, signal);
    } catch (err) {
      this.metrics.posts.inc({ outcome: isTransient(err) ? 'error' : 'rejected' });
      throw err;
    }
    const now = this.now();
    this.current = markDelivered(plan.state, now);
    this.metrics.posts.inc({ outcome: 'ok' });
    this.metrics.forwarded.inc({ kind: 'firing' }, plan.firing);
    this.metrics.forwarded.inc({ kind: 'ended' }, plan.ending);
    this.metrics.pendingEndings.set(0);
    this.metrics.lastSuccess.set(now / 1000);
  }

  private async loop(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      try {
        await this.syncOnce();
      } catch (err) {
        if (!signal.aborted)
          this.opts.log?.error(
            { err: (err as Error).message },
            'forwarding round failed without retry (a post refused, 4xx); next round in one interval',
          );
      }
      await this.nextRound(signal);
    }
  }

  /** Resolves after intervalMs, on a (debounced) trigger, or on stop. */
  private nextRound(signal: AbortSignal): Promise<void> {
    if (this.wakeRequested || signal.aborted) {
      this.wakeRequested = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wake = null;
        resolve();
      };
      const timer = setTimeout(done, this.intervalMs);
      timer.unref();
      this.wake = done;
    });
  }
}
