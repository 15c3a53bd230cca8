/**
 * What one round sends, given what the previous rounds sent and the alerts as they are now
 * (pure). Alertmanager keeps no history we could ask for, so the forwarder remembers:
 *   - firing: the alerts it last sent as firing, by label set;
 *   - ending: alerts that stopped firing (a state change, a silence, a severity change, or
 *     gone from the source), sent with their endsAt on every round until one round delivered
 *     them and `endedRetentionMs` has passed since — as Prometheus does for resolved alerts, so
 *     that an Alertmanager that restarted or got requests out of order still learns the end.
 * A round that fails keeps the new state: its endings wait for the next successful round.
 * A forwarder that starts seeds `firing` from what Alertmanager lists (seedForwarderState), so
 * that alerts which ended while no forwarder ran are ended too.
 */
import type { Alert } from '@tracewatch/schema';
import type { GettableAlert, LabelSet, PostableAlert } from './client.js';
import { alertAnnotations, isForwarded, labelKey, toPostableAlert } from './payload.js';

export interface PendingEnding {
  /** As last sent, with endsAt = when it stopped firing, and the latest annotations. */
  alert: PostableAlert;
  /** When a round first delivered the ending; null while none has. */
  deliveredAtMs: number | null;
}

export interface ForwarderState {
  /** By label set: what was last sent as firing. */
  firing: ReadonlyMap<string, PostableAlert>;
  ending: ReadonlyMap<string, PendingEnding>;
}

export const emptyForwarderState = (): ForwarderState => ({ firing: new Map(), ending: new Map() });

/**
 * Alertmanager matchers for the alerts this deployment forwards: a tracewatch fingerprint
 * (Prometheus's own alerts have none) and the deployment's labels.
 */
export function forwardedMatchers(deploymentLabels: LabelSet = {}): string[] {
  return [
    'fingerprint=~"[0-9a-f]{32}"',
    ...Object.entries(deploymentLabels).map(([name, value]) => `${name}=${JSON.stringify(value)}`),
  ];
}

const isOurs = (labels: LabelSet, deploymentLabels: LabelSet) =>
  /^[0-9a-f]{32}$/.test(labels.fingerprint ?? '') &&
  Object.entries(deploymentLabels).every(([name, value]) => labels[name] === value);

/** The state of a forwarder that finds these alerts in Alertmanager on start. */
export function seedForwarderState(listed: readonly GettableAlert[], deploymentLabels: LabelSet = {}): ForwarderState {
  const firing = new Map<string, PostableAlert>();
  for (const a of listed) {
    if (!isOurs(a.labels, deploymentLabels)) continue;
    const sent: PostableAlert = {
      labels: a.labels,
      annotations: a.annotations,
      startsAt: a.startsAt,
      endsAt: a.endsAt,
    };
    if (a.generatorURL) sent.generatorURL = a.generatorURL;
    firing.set(labelKey(a.labels), sent);
  }
  return { firing, ending: new Map() };
}

export interface PlanOptions {
  nowMs: number;
  /** A firing alert's endsAt is now + this: it ends by itself if we stop re-sending it. */
  activeTtlMs: number;
  endedRetentionMs: number;
  consoleUrl?: string;
  deploymentLabels?: LabelSet;
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
  const payload = {
    nowMs,
    endsAtMs: nowMs + opts.activeTtlMs,
    consoleUrl: opts.consoleUrl,
    deploymentLabels: opts.deploymentLabels,
  };
  const firing = new Map<string, PostableAlert>();
  const latest = new Map<string, Alert>();
  for (const alert of current) {
    latest.set(alert.fingerprint, alert);
    if (!isForwarded(alert)) continue;
    const postable = toPostableAlert(alert, payload);
    firing.set(labelKey(postable.labels), postable);
  }
  // An ending shows the alert's latest state (resolved, dismissed…) when the source has it.
  const withLatest = (sent: PostableAlert): PostableAlert => {
    const alert = latest.get(sent.labels.fingerprint ?? '');
    return alert ? { ...sent, annotations: alertAnnotations(alert) } : sent;
  };

  const ending = new Map<string, PendingEnding>();
  for (const [key, pending] of previous.ending) {
    if (firing.has(key)) continue; // fires again: the firing post supersedes the ending
    if (pending.deliveredAtMs !== null && nowMs - pending.deliveredAtMs >= opts.endedRetentionMs) continue;
    ending.set(key, { ...pending, alert: withLatest(pending.alert) });
  }
  for (const [key, sent] of previous.firing) {
    if (firing.has(key) || ending.has(key)) continue;
    const startsAtMs = Date.parse(sent.startsAt ?? '') || nowMs;
    // Alertmanager refuses an end before the start.
    const endsAt = new Date(Math.max(nowMs, startsAtMs)).toISOString();
    ending.set(key, { alert: { ...withLatest(sent), endsAt }, deliveredAtMs: null });
  }

  const alerts = [...firing.values(), ...[...ending.values()].map((p) => p.alert)];
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
