/**
 * What one round sends, given what the previous rounds sent and the alerts as they are now
 * (pure). Alertmanager keeps no history we could ask for, so the forwarder remembers:
 *   - firing: the alerts it last sent as firing, by label set;
 *   - ending: alerts that stopped firing (a state change, a silence, a severity change, or
 *     gone from the source), sent with their endsAt on every round until one round delivered
 *     them and `endedRetentionMs` has passed since — as Prometheus does for resolved alerts, so
 *     that an Alertmanager that restarted or got requests out of order still learns the end.
 * A round that fails keeps the new state: its endings wait for the next successful round.
 */
import type { Alert } from '@tracewatch/schema';
import type { LabelSet, PostableAlert } from './client.js';
import { alertLabels, isForwarded, labelKey, toPostableAlert } from './payload.js';

export interface PendingEnding {
  /** The labels it was firing under (its identity in Alertmanager). */
  labels: LabelSet;
  /** Its latest version, for the annotations. */
  alert: Alert;
  endedAtMs: number;
  /** When a round first delivered the ending; null while none has. */
  deliveredAtMs: number | null;
}

export interface ForwarderState {
  firing: ReadonlyMap<string, Alert>;
  ending: ReadonlyMap<string, PendingEnding>;
}

export const emptyForwarderState = (): ForwarderState => ({ firing: new Map(), ending: new Map() });

export interface PlanOptions {
  nowMs: number;
  /** A firing alert's endsAt is now + this: it ends by itself if we stop re-sending it. */
  activeTtlMs: number;
  endedRetentionMs: number;
  consoleUrl?: string;
}

export interface RoundPlan {
  /** The state to keep from now on, whether the post succeeds or not. */
  state: ForwarderState;
  alerts: PostableAlert[];
  firing: number;
  ending: number;
}

export function planRound(previous: ForwarderState, current: readonly Alert[], opts: PlanOptions): RoundPlan {
  const { nowMs } = opts;
  const firing = new Map<string, Alert>();
  const latest = new Map<string, Alert>();
  for (const alert of current) {
    latest.set(alert.fingerprint, alert);
    if (isForwarded(alert)) firing.set(labelKey(alertLabels(alert)), alert);
  }

  const ending = new Map<string, PendingEnding>();
  for (const [key, pending] of previous.ending) {
    if (firing.has(key)) continue; // fires again: the firing post supersedes the ending
    if (pending.deliveredAtMs !== null && nowMs - pending.deliveredAtMs >= opts.endedRetentionMs) continue;
    ending.set(key, { ...pending, alert: latest.get(pending.alert.fingerprint) ?? pending.alert });
  }
  for (const [key, alert] of previous.firing) {
    if (firing.has(key) || ending.has(key)) continue;
    ending.set(key, {
      labels: alertLabels(alert),
      alert: latest.get(alert.fingerprint) ?? alert,
      endedAtMs: nowMs,
      deliveredAtMs: null,
    });
  }

  const payload = { nowMs, consoleUrl: opts.consoleUrl };
  const alerts: PostableAlert[] = [];
  for (const alert of firing.values())
    alerts.push(toPostableAlert(alert, { ...payload, endsAtMs: nowMs + opts.activeTtlMs }));
  for (const pending of ending.values())
    alerts.push({
      ...toPostableAlert(pending.alert, { ...payload, endsAtMs: pending.endedAtMs }),
      labels: pending.labels,
    });
  return { state: { firing, ending }, alerts, firing: firing.size, ending: ending.size };
}

/** After a successful post: the endings it carried count as delivered from now. */
export function markDelivered(state: ForwarderState, nowMs: number): ForwarderState {
  const ending = new Map<string, PendingEnding>();
  for (const [key, pending] of state.ending)
    ending.set(key, { ...pending, deliveredAtMs: pending.deliveredAtMs ?? nowMs });
  return { firing: state.firing, ending };
}

export const undeliveredEndings = (state: ForwarderState) =>
  [...state.ending.values()].filter((p) => p.deliveredAtMs === null).length;
