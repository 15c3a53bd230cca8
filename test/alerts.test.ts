/** The alert keeper on the real Kafka (transactions) and ClickHouse. */
import {
  type AlertKeeper,
  alertHistory,
  awaitCommandResult,
  createSilence,
  expireSilence,
  getAlert,
  listAlerts,
  sendAlertCommands,
} from '@tracewatch/alerts';
import { withAdmin } from '@tracewatch/bus';
import type { AlertCommand } from '@tracewatch/schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  finding,
  findingCommand,
  fingerprintN,
  transitionCommand,
  withdrawCommand,
} from '../packages/alerts/src/testing/fixtures.js';
import {
  type AlertScope,
  alertScope,
  committedChanges,
  duplicates,
  type KeeperProcess,
  keeperInProcess,
  keeperProcess,
  waitForOutput,
} from './support/alerts.js';
import { waitFor } from './support/harness.js';

const DAY1 = '2026-03-15T00:00:00.000Z';
const DAY2 = '2026-03-16T00:00:00.000Z';
const DAY3 = '2026-03-17T00:00:00.000Z';

async function send(s: AlertScope, ...commands: AlertCommand[]) {
  await sendAlertCommands(s.producer, s.scope.topicPrefix, commands);
}

async function versionIs(s: AlertScope, fingerprint: string, version: number) {
  await waitFor(
    `alert ${fingerprint} at version ${version}`,
    async () => (await getAlert(s.store, fingerprint))?.version === version,
  );
}

describe('alert keeper: lifecycle, history, conflicts, silences', () => {
  let s: AlertScope;
  let keeper: AlertKeeper;
  beforeAll(async () => {
    s = await alertScope('alerts');
    keeper = await keeperInProcess(s);
  });
  afterAll(async () => {
    await keeper?.stop();
    await s?.close();
  });

  it('a finding becomes an open alert; ack, resolve, a stronger finding re-opens; the history is kept', async () => {
    const fp = fingerprintN(101);
    await send(s, findingCommand(finding({ fingerprint: fp }), DAY1));
    await versionIs(s, fp, 1);
    expect((await getAlert(s.store, fp))?.state).toBe('open');

    const ack = transitionCommand(fp, 'acknowledged', 1, { by: 'wang.fang', note: 'looking' });
    await send(s, ack);
    expect(await awaitCommandResult(s.store, ack.commandId, { timeoutMs: 60_000 })).toMatchObject({
      outcome: 'accepted',
      version: 2,
    });
    const resolve = transitionCommand(fp, 'resolved', 2, { by: 'wang.fang', note: 'rectified' });
    await send(s, resolve);
    expect((await awaitCommandResult(s.store, resolve.commandId, { timeoutMs: 60_000 })).outcome).toBe('accepted');

    // The same finding again: resolved stays resolved (not stronger, less than a day later).
    await send(s, findingCommand(finding({ fingerprint: fp }), DAY1));
    await send(s, findingCommand(finding({ fingerprint: fp, pValue: 0.00001 }), DAY2));
    await versionIs(s, fp, 4);
    const alert = (await getAlert(s.store, fp))!;
    expect(alert).toMatchObject({ state: 'open', updatedBy: 'system:detector' });
    expect(alert.finding.pValue).toBe(0.00001);

    const history = await alertHistory(s.store, fp);
    expect(history.map((h) => [h.version, h.kind, h.from, h.to, h.by])).toEqual([
      [1, 'created', null, 'open', 'system:detector'],
      [2, 'transition', 'open', 'acknowledged', 'wang.fang'],
      [3, 'transition', 'acknowledged', 'resolved', 'wang.fang'],
      [4, 'transition', 'resolved', 'open', 'system:detector'],
    ]);
    expect(history[1]!.note).toBe('looking');
    expect(history[3]!.note).toContain('stronger');
  });

  it('invalid transitions and unknown alerts get a clear result, and change nothing', async () => {
    const fp = fingerprintN(102);
    await send(s, findingCommand(finding({ fingerprint: fp }), DAY1));
    await versionIs(s, fp, 1);
    const dismissNoNote = transitionCommand(fp, 'dismissed', 1);
    const reopenOpen = transitionCommand(fp, 'open', 1, { note: 'x' });
    const unknown = transitionCommand(fingerprintN(999), 'acknowledged', 1);
    await send(s, dismissNoNote, reopenOpen, unknown);
    const r1 = await awaitCommandResult(s.store, dismissNoNote.commandId, { timeoutMs: 60_000 });
    expect(r1).toMatchObject({ outcome: 'invalid', version: 1 });
    expect(r1.message).toContain('reason');
    const r2 = await awaitCommandResult(s.store, reopenOpen.commandId, { timeoutMs: 60_000 });
    expect(r2.outcome).toBe('invalid');
    expect(r2.message).toContain('cannot become open');
    expect((await awaitCommandResult(s.store, unknown.commandId, { timeoutMs: 60_000 })).outcome).toBe('unknown-alert');
    expect((await getAlert(s.store, fp))?.version).toBe(1);
  });

  it('two concurrent acknowledgements of one version: exactly one accepted, one conflict', async () => {
    const fp = fingerprintN(103);
    await send(s, findingCommand(finding({ fingerprint: fp }), DAY1));
    await versionIs(s, fp, 1);
    const a = transitionCommand(fp, 'acknowledged', 1, { by: 'operator.a' });
    const b = transitionCommand(fp, 'acknowledged', 1, { by: 'operator.b' });
    await Promise.all([send(s, a), send(s, b)]);
    const results = await Promise.all(
      [a, b].map((c) => awaitCommandResult(s.store, c.commandId, { timeoutMs: 60_000 })),
    );
    expect(results.map((r) => r.outcome).sort()).toEqual(['accepted', 'conflict']);
    const conflict = results.find((r) => r.outcome === 'conflict')!;
    expect(conflict.message).toContain('version 2');
    expect(conflict.message).toMatch(/operator\.[ab]/);
    const alert = (await getAlert(s.store, fp))!;
    expect(alert).toMatchObject({ state: 'acknowledged', version: 2 });
  });

  it('withdraw, then a later finding re-opens', async () => {
    const fp = fingerprintN(104);
    await send(s, findingCommand(finding({ fingerprint: fp }), DAY1), withdrawCommand(fp, DAY2, 'not confirmed'));
    await versionIs(s, fp, 2);
    expect((await getAlert(s.store, fp))?.state).toBe('withdrawn');
    await send(s, findingCommand(finding({ fingerprint: fp }), DAY3));
    await versionIs(s, fp, 3);
    expect((await getAlert(s.store, fp))?.state).toBe('open');
  });

  it('silences mark what they match and nothing else, and stop after expiry', async () => {
    const silence = await createSilence(s.store, {
      detector: 'backfill',
      platformId: 'plat-s',
      orgId: 'org-s1',
      createdBy: 'zhao.lei',
      reason: 'known data migration',
      expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
    });
    await keeper.reloadSilences();
    const scope = (orgId: string) => ({ kind: 'org' as const, platformId: 'plat-s', orgId });
    const matched = finding({ fingerprint: fingerprintN(201), detector: 'backfill', scope: scope('org-s1') });
    const otherOrg = finding({ fingerprint: fingerprintN(202), detector: 'backfill', scope: scope('org-s2') });
    const otherDetector = finding({ fingerprint: fingerprintN(203), scope: scope('org-s1') });
    await send(s, ...[matched, otherOrg, otherDetector].map((f) => findingCommand(f, DAY1)));
    for (const f of [matched, otherOrg, otherDetector]) await versionIs(s, f.fingerprint, 1);
    expect((await getAlert(s.store, matched.fingerprint))?.silencedBy).toEqual([silence.id]);
    expect((await getAlert(s.store, otherOrg.fingerprint))?.silencedBy).toEqual([]);
    expect((await getAlert(s.store, otherDetector.fingerprint))?.silencedBy).toEqual([]);
    // Still listed (silenced alerts are stored and shown).
    const listed = await listAlerts(s.store, { detector: 'backfill', limit: 100 });
    expect(listed.map((a) => a.fingerprint).sort()).toEqual([matched.fingerprint, otherOrg.fingerprint].sort());

    await expireSilence(s.store, silence.id, 'zhao.lei');
    await keeper.reloadSilences();
    // The detector re-sends the same finding: the silence no longer matches, a material change.
    await send(s, findingCommand(matched, DAY1));
    await versionIs(s, matched.fingerprint, 2);
    expect((await getAlert(s.store, matched.fingerprint))?.silencedBy).toEqual([]);
  });

  it('a command sent twice (same id) changes the alert once; the topic has each version once', async () => {
    const fp = fingerprintN(105);
    const create = findingCommand(finding({ fingerprint: fp }), DAY1);
    await send(s, create, create);
    await versionIs(s, fp, 1);
    const ack = transitionCommand(fp, 'acknowledged', 1);
    await send(s, ack, ack);
    expect((await awaitCommandResult(s.store, ack.commandId, { timeoutMs: 60_000 })).outcome).toBe('accepted');
    await versionIs(s, fp, 2);
    const changes = await committedChanges(s);
    expect(changes.filter((c) => c.fingerprint === fp).map((c) => c.version)).toEqual([1, 2]);
    expect(duplicates(changes)).toEqual([]);
  });
});

describe('alert keeper: crashes and replays', () => {
  let s: AlertScope;
  beforeAll(async () => {
    s = await alertScope('alerts_crash');
  });
  afterAll(async () => {
    await s?.close();
  });

  const fps = [301, 302, 303, 304, 305, 306].map(fingerprintN);
  const create = fps.map((fp) => findingCommand(finding({ fingerprint: fp }), DAY1));

  it('SIGKILL after the commit, before ClickHouse: the restarted keeper writes what is missing, nothing twice', async () => {
    const crashing = keeperProcess(s, { KEEPER_HANG: 'after-commit' }, 'crash-1');
    await waitForOutput(crashing, 'KEEPER_READY');
    await send(s, ...create);
    await waitForOutput(crashing, 'KEEPER_HUNG');
    await crashing.kill();
    const onTopic = await committedChanges(s);
    expect(onTopic.length).toBeGreaterThan(0); // committed before the kill
    const stored = await Promise.all(fps.map((fp) => getAlert(s.store, fp)));
    expect(stored.filter((a) => a === undefined).length).toBeGreaterThan(0); // ...but not written

    const restarted = keeperProcess(s, {}, 'crash-2');
    try {
      await waitForOutput(restarted, 'KEEPER_READY');
      for (const fp of fps) await versionIs(s, fp, 1);
      const changes = await committedChanges(s);
      expect(
        changes
          .filter((c) => c.kind === 'created')
          .map((c) => c.fingerprint)
          .sort(),
      ).toEqual([...fps].sort());
      expect(duplicates(changes)).toEqual([]);
    } finally {
      await restarted.stop();
    }
  });

  it('SIGKILL with a transaction open: its changes never show; the next keeper publishes each once', async () => {
    const crashing = keeperProcess(s, { KEEPER_HANG: 'before-commit' }, 'crash-3');
    await waitForOutput(crashing, 'KEEPER_READY');
    const acks = fps.map((fp) => transitionCommand(fp, 'acknowledged', 1, { by: 'night.shift' }));
    await send(s, ...acks);
    await waitForOutput(crashing, 'KEEPER_HUNG');
    await crashing.kill();

    const restarted = keeperProcess(s, {}, 'crash-4');
    try {
      await waitForOutput(restarted, 'KEEPER_READY');
      for (const fp of fps) await versionIs(s, fp, 2);
      for (const c of acks)
        expect((await awaitCommandResult(s.store, c.commandId, { timeoutMs: 60_000 })).outcome).toBe('accepted');
      const changes = await committedChanges(s);
      expect(changes.filter((c) => c.kind === 'transition')).toHaveLength(fps.length);
      expect(duplicates(changes)).toEqual([]);
    } finally {
      await restarted.stop();
    }
  });

  it('a second instance joins mid-stream and the first is SIGKILLed: every change once, none lost', async () => {
    const streamFps = Array.from({ length: 20 }, (_, i) => fingerprintN(700 + i));
    const rounds = 8;
    const day = (r: number) => new Date(Date.parse(DAY1) + r * 86_400_000).toISOString();
    const first = keeperProcess(s, {}, 'rebalance-1');
    let second: KeeperProcess | undefined;
    try {
      await waitForOutput(first, 'KEEPER_READY');
      for (let r = 0; r < rounds; r++) {
        // Each round is a day of stream time later: every fingerprint gets one change.
        await send(s, ...streamFps.map((fp) => findingCommand(finding({ fingerprint: fp }), day(r))));
        if (r === 2) {
          second = keeperProcess(s, {}, 'rebalance-2');
          await waitForOutput(second, 'KEEPER_READY');
        }
        if (r === 5) await first.kill();
      }
      for (const fp of streamFps) await versionIs(s, fp, rounds);
      const changes = (await committedChanges(s)).filter((c) => streamFps.includes(c.fingerprint));
      expect(duplicates(changes)).toEqual([]);
      expect(changes).toHaveLength(streamFps.length * rounds);
    } finally {
      await first.kill();
      await second?.stop();
    }
  });

  it('in process: a failure before the commit (aborted) and one after it are retried; each change once', async () => {
    const failFps = [801, 802, 803].map(fingerprintN);
    let failBefore = 1;
    let failAfter = 1;
    const keeper = await keeperInProcess(
      s,
      {
        testHooks: {
          beforeCommit: async (_p, changes) => {
            if (changes > 0 && failBefore-- > 0) throw new Error('injected: the broker went away before the commit');
          },
          afterCommit: async (_p, changes) => {
            if (changes.length > 0 && failAfter-- > 0) throw new Error('injected: crash after the commit');
          },
        },
      },
      'inject',
    );
    try {
      await send(s, ...failFps.map((fp) => findingCommand(finding({ fingerprint: fp }), DAY1)));
      for (const fp of failFps) await versionIs(s, fp, 1);
      expect(failBefore).toBeLessThan(0);
      expect(failAfter).toBeLessThan(0);
      const changes = (await committedChanges(s)).filter((c) => failFps.includes(c.fingerprint));
      expect(changes.map((c) => c.fingerprint).sort()).toEqual([...failFps].sort());
      expect(duplicates(changes)).toEqual([]);
    } finally {
      await keeper.stop();
    }
  });

  it('the whole command topic replayed (offsets reset): no new change', async () => {
    const before = await committedChanges(s);
    await withAdmin(s.kafka, (admin) =>
      admin.resetOffsets({ groupId: `${s.scope.groupId}-keeper`, topic: s.topics.commands, earliest: true }),
    );
    const keeper = await keeperInProcess(s, {}, 'replay');
    try {
      // A marker command after the replayed ones: once it is answered, the replay is done.
      const marker = findingCommand(finding({ fingerprint: fingerprintN(399) }), DAY1);
      await send(s, marker);
      await awaitCommandResult(s.store, marker.commandId, { timeoutMs: 90_000 });
      const after = await committedChanges(s);
      expect(after.length).toBe(before.length + 1);
      expect(duplicates(after)).toEqual([]);
      for (const fp of fps) expect((await getAlert(s.store, fp))?.version).toBe(2);
    } finally {
      await keeper.stop();
    }
  });
});
