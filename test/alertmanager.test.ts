/**
 * The forwarder against a real Alertmanager (Debian's prometheus-alertmanager, the binary the
 * stack runs), started here on a free port with the stack's config and its own data dir, so
 * that the test may stop, restart and freeze it without touching the stack's.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import {
  AlertForwarder,
  type AlertForwarderOptions,
  AlertmanagerClient,
  AlertmanagerError,
  type GettableAlert,
  toPostableAlert,
} from '@tracewatch/alertmanager';
import type { Alert } from '@tracewatch/schema';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { sampleAlert } from '../packages/alertmanager/src/testing/alerts.js';
import { alertmanagerScratch, TestAlertmanager } from './support/alertmanager.js';
import { freePort, waitFor } from './support/harness.js';

const servers: TestAlertmanager[] = [];
const forwarders: AlertForwarder[] = [];
async function startAlertmanager(): Promise<TestAlertmanager> {
  const am = new TestAlertmanager(await freePort(), mkdtempSync(join(alertmanagerScratch, 'data-')));
  servers.push(am);
  await am.start();
  return am;
}

/** A forwarder polled quickly, whose firing alerts never expire during a test (no timing). */
function forwarderFor(am: TestAlertmanager, source: () => Promise<Alert[]>, more: Partial<AlertForwarderOptions> = {}) {
  const forwarder = new AlertForwarder({
    ...more,
    client: new AlertmanagerClient({ url: am.url, timeoutMs: 1000 }),
    source,
    intervalMs: 500,
    activeTtlMs: 600_000,
    retryBaseMs: 100,
    retryMaxMs: 500,
    consoleUrl: 'https://tracewatch.example.gov/console',
  });
  forwarders.push(forwarder);
  forwarder.start();
  return forwarder;
}

afterEach(async () => {
  await Promise.all(forwarders.splice(0).map((f) => f.stop()));
});
afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
  rmSync(alertmanagerScratch, { recursive: true, force: true });
});

async function listed(am: TestAlertmanager): Promise<Map<string, GettableAlert>> {
  const alerts = await new AlertmanagerClient({ url: am.url }).getAlerts({
    active: true,
    silenced: true,
    inhibited: true,
  });
  return new Map(alerts.flatMap((a) => (a.labels.fingerprint ? [[a.labels.fingerprint, a] as const] : [])));
}

async function waitUntilListed(am: TestAlertmanager, want: Alert[], what: string) {
  const fingerprints = want.map((a) => a.fingerprint).sort();
  let seen: string[] = [];
  await waitFor(`${what}: Alertmanager lists ${fingerprints.join(', ')} (last seen: ${seen.join(', ')})`, async () => {
    seen = [...(await listed(am)).keys()].sort();
    return JSON.stringify(seen) === JSON.stringify(fingerprints);
  });
}

const postsWith = async (f: AlertForwarder, outcome: string) =>
  (await f.metrics.posts.get()).values.find((v) => v.labels.outcome === outcome)?.value ?? 0;

describe('forwarding to a real Alertmanager', () => {
  it('lists the open and acknowledged alerts with their labels and annotations, and nothing else', async () => {
    const am = await startAlertmanager();
    const open = sampleAlert({ firstSeenAt: '2026-03-01T08:00:00.000Z' });
    const acknowledged = sampleAlert({ state: 'acknowledged', severity: 'warning', actorId: 'u-42' });
    const current = [open, acknowledged, sampleAlert({ state: 'resolved' }), sampleAlert({ silencedBy: ['s-1'] })];
    forwarderFor(am, async () => current);

    await waitUntilListed(am, [open, acknowledged], 'first round');
    const got = await listed(am);
    expect(got.get(open.fingerprint)?.labels).toEqual({
      alertname: 'burst-before-evaluation',
      severity: 'critical',
      platform: 'gov-portal',
      org: 'org-17',
      fingerprint: open.fingerprint,
    });
    expect(got.get(acknowledged.fingerprint)?.labels).toMatchObject({ severity: 'warning', actor: 'u-42' });
    const a = got.get(open.fingerprint)!;
    expect(a.annotations).toMatchObject({
      summary_zh: '疑似数据造假：burst-before-evaluation（平台 gov-portal，单位 org-17，2026-02-20 至 2026-02-28）',
      summary_en:
        'Suspected fabrication: burst-before-evaluation (platform gov-portal, org org-17, 2026-02-20 to 2026-02-28)',
      description_zh: open.finding.explanation['zh-CN'],
      description_en: open.finding.explanation.en,
      state: 'open',
    });
    expect(got.get(acknowledged.fingerprint)?.annotations.state).toBe('acknowledged');
    expect(Date.parse(a.startsAt)).toBe(Date.parse('2026-03-01T08:00:00.000Z'));
    expect(Date.parse(a.endsAt)).toBeGreaterThan(Date.now());
    expect(a.generatorURL).toBe(`https://tracewatch.example.gov/console/alerts/${open.fingerprint}`);
    expect(a.status.state).toBe('active');
  });

  it('ends resolved, dismissed and newly silenced alerts (endsAt), keeping the others', async () => {
    const am = await startAlertmanager();
    const [keep, resolve, dismiss, silence] = [sampleAlert(), sampleAlert(), sampleAlert(), sampleAlert()];
    let current: Alert[] = [keep!, resolve!, dismiss!, silence!];
    const forwarder = forwarderFor(am, async () => current);
    await waitUntilListed(am, current, 'all open');
    const resolvedBefore = await am.metric('alertmanager_alerts_received_total', 'status="resolved",version="v2"');

    current = [
      keep!,
      { ...resolve!, state: 'resolved' },
      { ...dismiss!, state: 'dismissed' },
      { ...silence!, silencedBy: ['s-9'] },
    ];
    forwarder.trigger();
    await waitUntilListed(am, [keep!], 'three ended');
    expect(
      await am.metric('alertmanager_alerts_received_total', 'status="resolved",version="v2"'),
    ).toBeGreaterThanOrEqual(resolvedBefore + 3);
  });

  it('after Alertmanager was stopped and started again, every alert is back and endings made meanwhile are applied', async () => {
    const am = await startAlertmanager();
    const [stays, endsWhileDown, newWhileDown] = [sampleAlert(), sampleAlert(), sampleAlert()];
    let current: Alert[] = [stays!, endsWhileDown!];
    const forwarder = forwarderFor(am, async () => current);
    await waitUntilListed(am, current, 'before the stop');

    await am.stop();
    current = [stays!, { ...endsWhileDown!, state: 'resolved' }, newWhileDown!];
    const failedBefore = await postsWith(forwarder, 'error');
    forwarder.trigger();
    await waitFor(
      'a post failing while Alertmanager is down',
      async () => (await postsWith(forwarder, 'error')) > failedBefore,
    );
    expect(forwarder.state.ending.size).toBe(1);

    // A fresh process: Alertmanager keeps no alerts across restarts; the forwarder re-sends them all.
    await am.start();
    await waitUntilListed(am, [stays!, newWhileDown!], 'after the restart');
    await waitFor('the ending made while down reaches the new process', async () => {
      return (await am.metric('alertmanager_alerts_received_total', 'status="resolved",version="v2"')) >= 1;
    });
    expect((await forwarder.metrics.pendingEndings.get()).values[0]?.value).toBe(0);
  });

  it('an Alertmanager that hangs (SIGSTOP) and comes back applies the endings made meanwhile', async () => {
    const am = await startAlertmanager();
    const [stays, ends] = [sampleAlert(), sampleAlert()];
    let current: Alert[] = [stays!, ends!];
    const forwarder = forwarderFor(am, async () => current);
    await waitUntilListed(am, current, 'before the freeze');

    am.freeze();
    try {
      current = [stays!, { ...ends!, state: 'confirmed' }];
      const failedBefore = await postsWith(forwarder, 'error');
      forwarder.trigger();
      await waitFor(
        'a post timing out while Alertmanager hangs',
        async () => (await postsWith(forwarder, 'error')) > failedBefore,
      );
    } finally {
      am.resume();
    }
    // It still holds `ends` as firing (endsAt ten minutes ahead), and on resuming it reads the
    // requests queued while frozen in any order, stale firing posts included: the ending, re-sent
    // every round for endedRetentionMs, must win.
    await waitUntilListed(am, [stays!], 'after it resumed');
  });
});

describe('a forwarder that starts', () => {
  it('ends what ended while no forwarder ran, and leaves Prometheus’s and other deployments’ alerts alone', async () => {
    const am = await startAlertmanager();
    const client = new AlertmanagerClient({ url: am.url });
    const tenMinutes = { nowMs: Date.now(), endsAtMs: Date.now() + 600_000 };
    const prometheusOwn = { alertname: 'TracewatchServiceDown', job: 'api', severity: 'critical' };
    const staging = sampleAlert();
    await client.postAlerts([
      { labels: prometheusOwn, endsAt: new Date(tenMinutes.endsAtMs).toISOString() },
      toPostableAlert(staging, { ...tenMinutes, deploymentLabels: { env: 'staging' } }),
    ]);
    const prod = { deploymentLabels: { env: 'prod' } };
    const [stays, endsMeanwhile] = [sampleAlert(), sampleAlert()];
    let current: Alert[] = [stays!, endsMeanwhile!];
    const before = forwarderFor(am, async () => current, prod);
    await waitUntilListed(am, [...current, staging], 'the first forwarder');
    await before.stop();

    current = [stays!, { ...endsMeanwhile!, state: 'dismissed' }];
    forwarderFor(am, async () => current, prod); // a new process: it remembers nothing
    await waitUntilListed(am, [stays!, staging], 'the next forwarder');
    expect((await listed(am)).get(stays!.fingerprint)?.labels.env).toBe('prod');
    const foreign = await client.getAlerts({ filter: ['alertname="TracewatchServiceDown"'] });
    expect(foreign.map((a) => a.labels)).toEqual([prometheusOwn]);
  });
});

describe('AlertmanagerClient errors', () => {
  it('a refused connection is transient and names the URL', async () => {
    const client = new AlertmanagerClient({ url: `http://127.0.0.1:${await freePort()}` });
    const err = await client.postAlerts([]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AlertmanagerError);
    expect((err as AlertmanagerError).transient).toBe(true);
    expect((err as Error).message).toMatch(/POST http:\/\/127\.0\.0\.1:\d+\/api\/v2\/alerts: ECONNREFUSED/);
  });

  it('an alert Alertmanager refuses (400) is not transient and carries its reason', async () => {
    const am = await startAlertmanager();
    const err = await new AlertmanagerClient({ url: am.url }).postAlerts([{ labels: {} }]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AlertmanagerError);
    expect(err).toMatchObject({ transient: false, status: 400 });
    expect((err as Error).message).toContain('at least one label pair required');
  });
});
