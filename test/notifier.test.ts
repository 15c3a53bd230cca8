/**
 * The notifier on the real stack: alert changes on a real Kafka topic, the outbox in the real
 * ClickHouse, deliveries to real local HTTP receivers that verify Standard Webhooks signatures
 * with the reference library. Time is an input where the logic depends on it (digest slots,
 * deadlines): the in-process service runs on a clock the test moves.
 */
import { ensureTopics } from '@tracewatch/bus';
import {
  answerNotice,
  countDeliveryMarks,
  getNotice,
  listNotices,
  loadNoticesSince,
  overdueNotices,
  parseNoticeNumber,
} from '@tracewatch/notices';
import { notifierConfigSchema, startNotifierService } from '@tracewatch/notifier';
import { type Alert, TOPICS } from '@tracewatch/schema';
import { createLogger, parseEnv, type RunningService } from '@tracewatch/service-kit';
import { migrate, type Store } from '@tracewatch/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alert } from '../packages/notices/src/testing/fixtures.js';
import {
  freePort,
  httpGet,
  produceRaw,
  type ServiceProcess,
  startServiceProcess,
  testKafka,
  testStore,
  uniqueScope,
  waitFor,
} from './support/harness.js';
import { alertChangedEvent, newSecret, saveOwner, WebhookReceiver } from './support/notices.js';

const kafka = testKafka();

async function publish(
  scope: { topicPrefix: string },
  changes: Array<{ alert: Alert; at: string; from?: Alert['state'] }>,
) {
  await produceRaw(
    kafka,
    `${scope.topicPrefix}${TOPICS.alerts}`,
    changes.map((c) => ({
      key: c.alert.fingerprint,
      value: JSON.stringify(alertChangedEvent(c.alert, c.at, c.from ?? null)),
    })),
  );
}

const onPlatform = (n: number, platformId: string, severity: 'warning' | 'critical', orgId = 'org-1') =>
  alert(n, { finding: { severity, scope: { kind: 'org', platformId, orgId } } });

const seqs = (numbers: string[]) => numbers.map((n) => parseNoticeNumber(n).sequence).sort((a, b) => a - b);

describe('notifier, in process on a clock the test moves', () => {
  const scope = uniqueScope('notifier');
  let store: Store;
  let service: RunningService;
  let port: number;
  let clock = Date.parse('2026-12-02T05:00:00Z'); // 13:00 Beijing: today's 09:00 slot has passed
  const secretA = newSecret();
  const secretB = newSecret();
  const receiverA = new WebhookReceiver(secretA);
  const receiverB = new WebhookReceiver(secretB);

  beforeAll(async () => {
    store = testStore(scope.database);
    await migrate(store);
    await ensureTopics(kafka, [{ topic: `${scope.topicPrefix}${TOPICS.alerts}`, numPartitions: 3 }]);
    await receiverA.start();
    await receiverB.start();
    await saveOwner(store, 'owner-a', ['plat-a'], { webhookUrl: receiverA.url, secret: secretA });
    await saveOwner(store, 'owner-b', ['plat-b'], { webhookUrl: receiverB.url, secret: secretB });
    port = await freePort();
    const config = parseEnv(notifierConfigSchema, {
      KAFKA_BROKERS: process.env.KAFKA_BROKERS ?? '127.0.0.1:9092',
      CLICKHOUSE_URL: process.env.CLICKHOUSE_URL ?? 'http://127.0.0.1:8123',
      CLICKHOUSE_DATABASE: scope.database,
      TOPIC_PREFIX: scope.topicPrefix,
      NOTIFIER_GROUP_ID: scope.groupId,
      HTTP_PORT: String(port),
      KAFKA_SESSION_TIMEOUT_MS: '8000',
      NOTIFIER_COMPOSE_EVERY_MS: '100',
      NOTIFIER_FULL_PASS_EVERY_MS: '1000',
      NOTIFIER_ESCALATE_EVERY_MS: '1000',
      TRACEWATCH_CONSOLE_URL: 'http://console.test',
    });
    service = await startNotifierService(config, createLogger('notifier', 'warn'), { now: () => clock });
    await service.booted;
    await waitFor(
      'notifier ready',
      async () => (await httpGet(`http://127.0.0.1:${port}/readyz`)).status === 200,
      90_000,
    );
  });
  afterAll(async () => {
    await service?.stop();
    await receiverA.stop();
    await receiverB.stop();
    await store?.close();
  });

  const w1 = onPlatform(0x101, 'plat-a', 'warning');
  const c1 = onPlatform(0x102, 'plat-a', 'critical', 'org-2');
  const w2 = onPlatform(0x103, 'plat-a', 'warning', 'org-3');
  const b1 = onPlatform(0x201, 'plat-b', 'warning', 'org-9');

  it('sends critical at once, holds the rest for the digest slot, and reports later changes in the next notice', async () => {
    await publish(scope, [{ alert: w1, at: new Date(clock - 600_000).toISOString() }]);
    // No digest yet for this owner: the current slot's goes out at once.
    await waitFor('the first digest', async () => receiverA.unique.size === 1);
    const [first] = receiverA.notices();
    expect(first?.kind).toBe('digest');
    expect(first?.items.map((i) => [i.fingerprint, i.change])).toEqual([[w1.fingerprint, 'new']]);
    expect(first?.items[0]?.evidenceUrl).toContain(`http://console.test/#/inspect?platform=plat-a&org=org-1`);

    clock += 3_600_000;
    await publish(scope, [
      { alert: c1, at: new Date(clock).toISOString() },
      { alert: w2, at: new Date(clock).toISOString() },
      { alert: b1, at: new Date(clock).toISOString() },
    ]);
    await waitFor('the immediate notice', async () => receiverA.unique.size === 2);
    await waitFor('owner b digest', async () => receiverB.unique.size === 1);
    const second = receiverA.notices()[1];
    expect(second?.kind).toBe('immediate');
    expect(second?.items.map((i) => i.fingerprint)).toEqual([c1.fingerprint]);
    expect(second?.previousNumber).toBe(first?.number);
    expect(receiverB.notices()[0]?.items.map((i) => i.fingerprint)).toEqual([b1.fingerprint]);

    // The warning waits for tomorrow's slot; the first alert is dismissed meanwhile.
    await publish(scope, [
      { alert: { ...w1, state: 'dismissed', version: 2 }, at: new Date(clock + 1000).toISOString(), from: 'open' },
    ]);
    await new Promise((r) => setTimeout(r, 2_500)); // two full passes
    expect(receiverA.unique.size).toBe(2);

    clock = Date.parse('2026-12-03T01:00:00Z'); // the next 09:00 Beijing
    await waitFor('the next digest', async () => receiverA.unique.size === 3);
    const third = receiverA.notices()[2];
    expect(third?.kind).toBe('digest');
    expect(third?.items.map((i) => [i.fingerprint, i.change]).sort()).toEqual(
      [
        [w1.fingerprint, 'dismissed'],
        [w2.fingerprint, 'new'],
      ].sort(),
    );
    expect(third?.previousNumber).toBe(second?.number);

    const all = await loadNoticesSince(store, 0);
    expect(seqs(all.map((n) => n.number))).toEqual([1, 2, 3, 4]);
    expect(receiverA.refused + receiverB.refused).toBe(0);
  });

  it('shows an owner only the notices of its platforms', async () => {
    const ownA = await listNotices(store, { kind: 'platforms', platformIds: ['plat-a'] }, { limit: 50 });
    expect(ownA.total).toBe(3);
    expect(ownA.notices.every((v) => v.notice.platformIds.every((p) => p === 'plat-a'))).toBe(true);
    expect(ownA.notices.every((v) => v.deliveries.some((d) => d.state === 'delivered'))).toBe(true);
    const bNotice = receiverB.notices()[0];
    if (!bNotice) throw new Error('owner b has a notice');
    expect(await getNotice(store, { kind: 'platforms', platformIds: ['plat-a'] }, bNotice.id)).toBeUndefined();
    expect(await getNotice(store, { kind: 'platforms', platformIds: ['plat-b'] }, bNotice.number)).toBeDefined();
    expect((await listNotices(store, { kind: 'all' }, { limit: 50 })).total).toBe(4);
  });

  it('escalates at the deadline (time as an input), and an answer ends it', async () => {
    const immediate = receiverA.notices()[1];
    if (!immediate?.answerDeadline) throw new Error('the immediate notice asks for an answer');
    const deadline = Date.parse(immediate.answerDeadline);
    const overdueAt = async (ms: number) => (await overdueNotices(store, new Date(ms))).map((n) => n.number);
    expect(await overdueAt(deadline - 1)).not.toContain(immediate.number);
    expect(await overdueAt(deadline + 1)).toContain(immediate.number);

    clock = deadline + 60_000;
    const metric = async () => {
      const m = /^tw_notifier_overdue_answers (\d+)/m.exec((await httpGet(`http://127.0.0.1:${port}/metrics`)).body);
      return Number(m?.[1] ?? -1);
    };
    const expected = (await overdueNotices(store, new Date(clock))).length;
    expect(expected).toBeGreaterThanOrEqual(2);
    await waitFor('the overdue metric', async () => (await metric()) === expected);

    await answerNotice(
      store,
      { kind: 'platforms', platformIds: ['plat-a'] },
      immediate.number,
      {
        kind: 'explanation',
        text: '评估前的集中培训，附签到表。',
        attachments: [{ url: 'https://files.example/sign-in.pdf' }],
      },
      'owner-a-key',
      new Date(clock),
    );
    expect(await overdueAt(clock)).not.toContain(immediate.number);
    const view = await getNotice(store, { kind: 'all' }, immediate.id, new Date(clock));
    expect(view?.answers.map((a) => a.kind)).toEqual(['explanation']);
    expect(view?.acknowledgement?.by).toBe('owner-a-key');
    expect(view?.overdue).toBe(false);
    await waitFor('the overdue metric after the answer', async () => (await metric()) === expected - 1);
  });
});

describe('notifier process killed with SIGKILL mid-delivery', () => {
  const scope = uniqueScope('notifier_kill');
  let store: Store;
  const secret = newSecret();
  const slow = new WebhookReceiver(secret);
  const flaky = new WebhookReceiver(secret);
  let service: ServiceProcess | undefined;
  const env = {
    NOTIFIER_GROUP_ID: scope.groupId,
    NOTIFIER_MAX_CONCURRENT_DELIVERIES: '2',
    NOTIFIER_COMPOSE_EVERY_MS: '100',
    NOTIFIER_FULL_PASS_EVERY_MS: '1000',
    NOTIFIER_RETRY_INITIAL_MS: '200',
    NOTIFIER_RETRY_MULTIPLIER: '3',
    NOTIFIER_RETRY_HORIZON_MS: '5000',
  };

  beforeAll(async () => {
    store = testStore(scope.database);
    await migrate(store);
    await ensureTopics(kafka, [{ topic: `${scope.topicPrefix}${TOPICS.alerts}`, numPartitions: 3 }]);
    slow.delayMs = 700;
    await slow.start();
    await flaky.start();
    for (let i = 1; i <= 6; i++) await saveOwner(store, `slow-${i}`, [`plat-s${i}`], { webhookUrl: slow.url, secret });
    await saveOwner(store, 'flaky', ['plat-f'], { webhookUrl: flaky.url, secret });
    const closedPort = await freePort();
    await saveOwner(store, 'down', ['plat-d'], { webhookUrl: `http://127.0.0.1:${closedPort}/hook`, secret });
  });
  afterAll(async () => {
    await service?.kill();
    await slow.stop();
    await flaky.stop();
    await store?.close();
  });

  it('loses no notice, delivers none twice to a receiver honouring webhook-id, marks each once, numbers without gaps', async () => {
    service = await startServiceProcess('notifier', scope, env);
    const at = new Date().toISOString();
    flaky.failNext = 2;
    await publish(scope, [
      ...Array.from({ length: 6 }, (_, i) => ({ alert: onPlatform(0x300 + i, `plat-s${i + 1}`, 'critical'), at })),
      { alert: onPlatform(0x400, 'plat-f', 'critical'), at },
      { alert: onPlatform(0x500, 'plat-d', 'critical'), at },
    ]);
    await waitFor('deliveries under way', async () => slow.unique.size >= 2, 60_000, 50);
    await service.kill();
    const deliveredBeforeKill = slow.unique.size;
    expect(deliveredBeforeKill).toBeLessThan(6);

    service = await startServiceProcess('notifier', scope, env);
    await waitFor('every slow notice delivered', async () => slow.unique.size === 6, 90_000);
    await waitFor('the flaky receiver after its failures', async () => flaky.unique.size === 1, 60_000);
    // A second wave after the restart continues the numbering.
    await publish(scope, [
      ...Array.from({ length: 3 }, (_, i) => ({
        alert: onPlatform(0x600 + i, `plat-s${i + 1}`, 'critical', 'org-2'),
        at: new Date().toISOString(),
      })),
    ]);
    await waitFor('the second wave', async () => slow.unique.size === 9, 90_000);
    await waitFor(
      'the unreachable receiver marked failed',
      async () => (await countDeliveryMarks(store, 'failed')).length === 1,
      60_000,
    );

    const notices = await loadNoticesSince(store, 0);
    expect(notices).toHaveLength(11);
    expect(seqs(notices.map((n) => n.number))).toEqual(Array.from({ length: 11 }, (_, i) => i + 1));
    const deliveredIds = new Set([...slow.notices(), ...flaky.notices()].map((n) => n.id));
    const reachable = notices.filter((n) => n.ownerId !== 'down');
    expect(reachable.every((n) => deliveredIds.has(n.id))).toBe(true);
    expect(slow.unique.size + flaky.unique.size).toBe(reachable.length);
    // Repeats (a delivery the kill interrupted, sent again under its webhook-id) were dropped.
    expect(slow.requests).toBeGreaterThanOrEqual(slow.unique.size);
    expect(flaky.requests).toBeGreaterThanOrEqual(3);
    // The mark follows the receiver's answer: wait for the last ones, then count the rows.
    await waitFor(
      'every delivery marked',
      async () => (await countDeliveryMarks(store, 'delivered')).length === reachable.length,
    );
    const marks = await countDeliveryMarks(store, 'delivered');
    expect(marks).toHaveLength(reachable.length);
    expect(marks.every((m) => m.marks === 1)).toBe(true);
    const failed = await countDeliveryMarks(store, 'failed');
    expect(failed.map((f) => f.marks)).toEqual([1]);
    const metrics = (await httpGet(`http://127.0.0.1:${service.port}/metrics`)).body;
    expect(metrics).toMatch(/^tw_notifier_deliveries_failed_total\{channel="webhook"\} 1$/m);
    expect(metrics).toMatch(/^tw_notifier_deliveries_total\{channel="webhook",outcome="retry"\} \d+$/m);
    expect(slow.refused + flaky.refused).toBe(0);
  }, 300_000);
});
