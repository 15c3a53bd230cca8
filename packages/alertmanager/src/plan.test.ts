import type { Alert, AlertState } from '@tracewatch/schema';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { PostableAlert } from './client.js';
import { alertLabels, labelKey } from './payload.js';
import {
  emptyForwarderState,
  type ForwarderState,
  forwardedMatchers,
  markDelivered,
  planRound,
  seedForwarderState,
  undeliveredEndings,
} from './plan.js';
import { sampleAlert } from './testing/alerts.js';

const T0 = Date.parse('2026-03-05T12:00:00.000Z');
const opts = (nowMs: number) => ({ nowMs, activeTtlMs: 240_000, endedRetentionMs: 900_000 });
const withState = (a: Alert, state: AlertState, more: Partial<Alert> = {}): Alert => ({ ...a, state, ...more });
const byFingerprint = (alerts: PostableAlert[]) => new Map(alerts.map((p) => [p.labels.fingerprint, p]));

describe('planRound', () => {
  const a = sampleAlert();
  const b = sampleAlert();

  it('posts the open and acknowledged alerts as firing, a few intervals ahead; nothing else', () => {
    const silenced = sampleAlert({ silencedBy: ['s-1'] });
    const plan = planRound(
      emptyForwarderState(),
      [a, withState(b, 'acknowledged'), sampleAlert({ state: 'resolved' }), silenced],
      opts(T0),
    );
    expect(plan.alerts.map((p) => p.labels.fingerprint).sort()).toEqual([a.fingerprint, b.fingerprint].sort());
    for (const p of plan.alerts) expect(p.endsAt).toBe(new Date(T0 + 240_000).toISOString());
    expect([plan.firing, plan.ending]).toEqual([2, 0]);
  });

  it.each([
    ['resolved', (x: Alert) => [withState(x, 'resolved')]],
    ['dismissed', (x: Alert) => [withState(x, 'dismissed')]],
    ['confirmed', (x: Alert) => [withState(x, 'confirmed')]],
    ['withdrawn', (x: Alert) => [withState(x, 'withdrawn')]],
    ['newly silenced', (x: Alert) => [{ ...x, silencedBy: ['s-2'] }]],
    ['gone from the source', () => []],
  ])('an alert that stopped firing (%s) is sent once more with endsAt = now', (_why, later) => {
    const first = planRound(emptyForwarderState(), [a, b], opts(T0));
    const second = planRound(markDelivered(first.state, T0), [a, ...later(b)], opts(T0 + 60_000));
    const sent = byFingerprint(second.alerts);
    expect(sent.get(a.fingerprint)?.endsAt).toBe(new Date(T0 + 60_000 + 240_000).toISOString());
    expect(sent.get(b.fingerprint)?.endsAt).toBe(new Date(T0 + 60_000).toISOString());
    expect(sent.get(b.fingerprint)?.labels).toEqual(alertLabels(b));
    expect([second.firing, second.ending]).toEqual([1, 1]);
  });

  it('the ending carries the latest annotations (the new state)', () => {
    const first = planRound(emptyForwarderState(), [b], opts(T0));
    const second = planRound(first.state, [withState(b, 'dismissed')], opts(T0 + 1));
    expect(second.alerts[0]?.annotations?.state).toBe('dismissed');
  });

  it('a severity change fires the new label set and ends the old one', () => {
    const warning = sampleAlert({ severity: 'warning' });
    const first = planRound(emptyForwarderState(), [warning], opts(T0));
    const critical: Alert = { ...warning, finding: { ...warning.finding, severity: 'critical' } };
    const second = planRound(markDelivered(first.state, T0), [critical], opts(T0 + 1000));
    const bySeverity = new Map(second.alerts.map((p) => [p.labels.severity, p]));
    expect(bySeverity.get('critical')?.endsAt).toBe(new Date(T0 + 1000 + 240_000).toISOString());
    expect(bySeverity.get('warning')?.endsAt).toBe(new Date(T0 + 1000).toISOString());
  });

  it('an ending no post delivered stays, with its original end, however long Alertmanager is down', () => {
    let state = planRound(emptyForwarderState(), [a, b], opts(T0)).state;
    state = planRound(state, [a], opts(T0 + 1000)).state; // b ends; this post fails
    for (let hour = 1; hour <= 48; hour++) {
      const plan = planRound(state, [a], opts(T0 + hour * 3_600_000)); // fails too
      state = plan.state;
      expect(byFingerprint(plan.alerts).get(b.fingerprint)?.endsAt).toBe(new Date(T0 + 1000).toISOString());
    }
    expect(undeliveredEndings(state)).toBe(1);
  });

  it('a delivered ending is re-sent until the retention has passed, then dropped', () => {
    let state: ForwarderState = planRound(emptyForwarderState(), [b], opts(T0)).state;
    state = markDelivered(planRound(state, [], opts(T0 + 1000)).state, T0 + 1000);
    expect(undeliveredEndings(state)).toBe(0);
    const within = planRound(state, [], opts(T0 + 1000 + 899_999));
    expect(within.alerts).toHaveLength(1);
    const after = planRound(within.state, [], opts(T0 + 1000 + 900_000));
    expect(after.alerts).toHaveLength(0);
    expect(after.state.ending.size).toBe(0);
  });

  it('an ended alert that fires again (re-opened) is firing, not ending', () => {
    let state = planRound(emptyForwarderState(), [b], opts(T0)).state;
    state = planRound(state, [withState(b, 'resolved')], opts(T0 + 1000)).state;
    const reopened = planRound(state, [withState(b, 'open')], opts(T0 + 2000));
    expect(reopened.alerts).toHaveLength(1);
    expect(reopened.alerts[0]?.endsAt).toBe(new Date(T0 + 2000 + 240_000).toISOString());
    expect([reopened.firing, reopened.ending]).toEqual([1, 0]);
  });
});

/**
 * The whole protocol against a model Alertmanager (last write per label set wins, applied only
 * when a post succeeds): after any history of state changes and failed posts, one successful
 * round leaves exactly the currently forwarded alerts firing there, and every other alert it
 * ever received ended.
 */
describe('planRound against a model Alertmanager', () => {
  const alerts = [sampleAlert(), sampleAlert(), sampleAlert({ severity: 'warning' })];
  const states = [
    'open',
    'acknowledged',
    'resolved',
    'dismissed',
    'withdrawn',
    'silenced',
    'gone',
    'critical',
  ] as const;
  const version = (i: number, s: (typeof states)[number]): Alert[] => {
    const base = alerts[i]!;
    if (s === 'gone') return [];
    if (s === 'silenced') return [{ ...base, silencedBy: ['s'] }];
    if (s === 'critical') return [{ ...base, finding: { ...base.finding, severity: 'critical' } }];
    return [withState(base, s)];
  };

  it('converges after one successful round', () => {
    const round = fc.record({
      states: fc.tuple(...alerts.map(() => fc.constantFrom(...states))),
      succeeds: fc.boolean(),
      minutes: fc.integer({ min: 1, max: 30 }),
    });
    fc.assert(
      fc.property(fc.array(round, { minLength: 1, maxLength: 25 }), (rounds) => {
        const model = new Map<string, PostableAlert>();
        let state = emptyForwarderState();
        let now = T0;
        let current: Alert[] = [];
        const apply = (succeeds: boolean) => {
          const plan = planRound(state, current, opts(now));
          state = plan.state;
          if (!succeeds) return;
          for (const p of plan.alerts) model.set(labelKey(p.labels), p);
          state = markDelivered(state, now);
        };
        for (const r of rounds) {
          now += r.minutes * 60_000;
          current = r.states.flatMap((s, i) => version(i, s));
          apply(r.succeeds);
        }
        now += 1000;
        apply(true);
        const firingThere = [...model].filter(([, p]) => Date.parse(p.endsAt ?? '') > now).map(([k]) => k);
        const shouldFire = current.filter((x) => x.state === 'open' || x.state === 'acknowledged');
        expect(firingThere.sort()).toEqual(
          shouldFire
            .filter((x) => x.silencedBy.length === 0)
            .map((x) => labelKey(alertLabels(x)))
            .sort(),
        );
      }),
      { numRuns: 300 },
    );
  });
});

describe('seedForwarderState', () => {
  const listedAs = (p: PostableAlert) => ({
    labels: p.labels,
    annotations: p.annotations ?? {},
    startsAt: p.startsAt ?? '',
    endsAt: p.endsAt ?? '',
    updatedAt: p.startsAt ?? '',
    fingerprint: 'am-own-hash',
    receivers: [{ name: 'log-only' }],
    status: { state: 'active' as const, silencedBy: [], inhibitedBy: [] },
  });

  it('ends what Alertmanager still lists from before but is no longer forwarded; leaves the rest', () => {
    const [stays, ended] = [sampleAlert(), sampleAlert()];
    const before = planRound(emptyForwarderState(), [stays, ended], opts(T0));
    const prometheusOwn = listedAs({ labels: { alertname: 'TracewatchServiceDown', job: 'api' } });
    const seeded = seedForwarderState([...before.alerts.map(listedAs), prometheusOwn]);
    expect(seeded.firing.size).toBe(2);

    const plan = planRound(seeded, [stays, withState(ended, 'resolved')], opts(T0 + 3_600_000));
    const sent = byFingerprint(plan.alerts);
    expect(sent.get(stays.fingerprint)?.endsAt).toBe(new Date(T0 + 3_600_000 + 240_000).toISOString());
    expect(sent.get(ended.fingerprint)?.endsAt).toBe(new Date(T0 + 3_600_000).toISOString());
    expect(sent.get(ended.fingerprint)?.annotations?.state).toBe('resolved');
    expect(plan.alerts.some((p) => p.labels.alertname === 'TracewatchServiceDown')).toBe(false);
  });

  it('with deployment labels, only alerts carrying them are ours', () => {
    const prod = { env: 'prod' };
    const [mine, theirs] = [sampleAlert(), sampleAlert()];
    const sentByMe = planRound(emptyForwarderState(), [mine], { ...opts(T0), deploymentLabels: prod }).alerts;
    const sentByStaging = planRound(emptyForwarderState(), [theirs], {
      ...opts(T0),
      deploymentLabels: { env: 'staging' },
    }).alerts;
    expect(sentByMe[0]?.labels.env).toBe('prod');
    const seeded = seedForwarderState([...sentByMe, ...sentByStaging].map(listedAs), prod);
    expect([...seeded.firing.values()].map((p) => p.labels.fingerprint)).toEqual([mine.fingerprint]);
    expect(forwardedMatchers(prod)).toEqual(['fingerprint=~"[0-9a-f]{32}"', 'env="prod"']);
  });
});
