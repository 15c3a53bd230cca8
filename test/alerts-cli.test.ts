/** The operator commands (tracewatch alerts / silence) end to end, against a running keeper. */
import { type AlertKeeper, getAlert, listSilences, sendAlertCommands } from '@tracewatch/alerts';
import { withAdmin } from '@tracewatch/bus';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { finding, findingCommand, fingerprintN } from '../packages/alerts/src/testing/fixtures.js';
import { type AlertScope, alertScope, keeperInProcess, runCliIn } from './support/alerts.js';
import { waitFor } from './support/harness.js';

const DAY1 = '2026-03-15T00:00:00.000Z';
const oneLine = (text: string) => text.trim().split('\n').length === 1;

describe('tracewatch alerts / silence', () => {
  let s: AlertScope;
  let keeper: AlertKeeper;
  const fpA = fingerprintN(501);
  const fpB = fingerprintN(502);
  beforeAll(async () => {
    s = await alertScope('alerts_cli');
    keeper = await keeperInProcess(s, { silenceRefreshMs: 500 });
    await sendAlertCommands(s.producer, s.scope.topicPrefix, [
      findingCommand(finding({ fingerprint: fpA }), DAY1),
      findingCommand(finding({ fingerprint: fpB, detector: 'backfill', severity: 'critical' }), DAY1),
    ]);
    await waitFor(
      'both alerts stored',
      async () => (await getAlert(s.store, fpB)) !== undefined && (await getAlert(s.store, fpA)) !== undefined,
    );
  });
  afterAll(async () => {
    await keeper?.stop();
    await s?.close();
  });

  it('alerts list --format json: an array with fingerprint, state, severity, detector, scope, period, explanation, version', async () => {
    const r = await runCliIn(s, ['alerts', 'list', '--format', 'json']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const alerts = JSON.parse(r.stdout) as Array<Record<string, unknown>>;
    expect(alerts.map((a) => a.fingerprint).sort()).toEqual([fpA, fpB]);
    const b = alerts.find((a) => a.fingerprint === fpB)!;
    expect(b).toMatchObject({
      state: 'open',
      severity: 'critical',
      detector: 'backfill',
      scope: { kind: 'org', platformId: 'plat-a', orgId: 'org-1' },
      period: { start: '2026-03-01', end: '2026-03-14' },
      explanation: { 'zh-CN': expect.any(String), en: expect.any(String) },
      version: 1,
    });
    const filtered = await runCliIn(s, ['alerts', 'list', '--detector', 'backfill', '--format', 'json']);
    expect((JSON.parse(filtered.stdout) as unknown[]).length).toBe(1);
    const table = await runCliIn(s, ['alerts', 'list', '--lang', 'zh-CN']);
    expect(table.stdout).toContain('待处理');
    expect(table.stdout).toContain(fpA);
  });

  it('alerts ack: sent, answered, stored; a second ack is refused as a mistake (exit 2, one line)', async () => {
    const r = await runCliIn(s, ['alerts', 'ack', fpA, '--by', 'chen.jie', '--note', 'on it']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('open → acknowledged');
    expect(await getAlert(s.store, fpA)).toMatchObject({ state: 'acknowledged', version: 2, updatedBy: 'chen.jie' });

    const again = await runCliIn(s, ['alerts', 'ack', fpA, '--by', 'chen.jie']);
    expect(again.status).toBe(2);
    expect(oneLine(again.stderr)).toBe(true);
    expect(again.stderr).toContain('cannot become acknowledged');
  });

  it('a conflict: two operators read one version; the keeper accepts one, the other gets one line, exit 3', async () => {
    // With the keeper stopped both read version 2 and send; then the keeper decides, in order.
    await keeper.stop();
    const commandsSent = async () => {
      const offsets = await withAdmin(s.kafka, (admin) => admin.fetchTopicOffsets(s.topics.commands));
      return offsets.reduce((n, p) => n + Number(p.high), 0);
    };
    const before = await commandsSent();
    const runs = [
      runCliIn(s, ['alerts', 'resolve', fpA, '--by', 'op.one', '--timeout-ms', '90000']),
      runCliIn(s, ['alerts', 'confirm', fpA, '--by', 'op.two', '--timeout-ms', '90000']),
    ];
    await waitFor('both commands on the topic', async () => (await commandsSent()) >= before + 2);
    keeper = await keeperInProcess(s, { silenceRefreshMs: 500 });
    const [a, b] = await Promise.all(runs);
    expect([a!.status, b!.status].sort()).toEqual([0, 3]);
    const loser = a!.status === 3 ? a! : b!;
    expect(oneLine(loser.stderr)).toBe(true);
    expect(loser.stderr).toContain('conflict');
    expect(loser.stderr).toContain('version 3');
    expect((await getAlert(s.store, fpA))?.version).toBe(3);
  });

  it('dismiss without --note is a mistake named at once (exit 2), nothing sent', async () => {
    const r = await runCliIn(s, ['alerts', 'dismiss', fpB, '--by', 'chen.jie']);
    expect(r.status).toBe(2);
    expect(oneLine(r.stderr)).toBe(true);
    expect(r.stderr).toContain('reason');
    expect((await getAlert(s.store, fpB))?.version).toBe(1);
  });

  it('user mistakes: one line on stderr, exit 2', async () => {
    for (const args of [
      ['alerts', 'list', '--state', 'sleeping'],
      ['alerts', 'ack', 'not-a-fingerprint', '--by', 'x'],
      ['alerts', 'ack', fingerprintN(777), '--by', 'x'],
      ['alerts', 'ack', fpB],
      ['alerts', 'list', '--colour', 'red'],
      ['silence', 'add', '--by', 'x', '--reason', 'y', '--expires', '2h'],
      ['silence', 'add', '--by', 'x', '--reason', 'y', '--detector', 'backfill', '--expires', 'tomorrow'],
      ['silence', 'expire', 'sil-none', '--by', 'x'],
    ]) {
      const r = await runCliIn(s, args);
      expect({ args, status: r.status }).toEqual({ args, status: 2 });
      expect({ args, oneLine: oneLine(r.stderr) }).toEqual({ args, oneLine: true });
      expect(r.stderr).toMatch(/^tracewatch: /);
    }
  });

  it('a keeper that does not answer: a clear message, exit 1', async () => {
    await keeper.stop();
    try {
      const r = await runCliIn(s, ['alerts', 'confirm', fpB, '--by', 'x', '--timeout-ms', '1500']);
      expect(r.status).toBe(1);
      expect(r.stderr).toContain('did not answer');
    } finally {
      keeper = await keeperInProcess(s, { silenceRefreshMs: 500 });
    }
    // The command was sent: the restarted keeper applies it.
    await waitFor('the late confirmation applied', async () => (await getAlert(s.store, fpB))?.state === 'confirmed');
  });

  it('silence add / list / expire; the keeper marks matching alerts after its reload', async () => {
    const added = await runCliIn(s, [
      'silence',
      'add',
      '--by',
      'zhou.qi',
      '--reason',
      'planned migration',
      '--detector',
      'burst-before-evaluation',
      '--platform',
      'plat-a',
      '--org',
      'org-1',
      '--expires',
      '2h',
    ]);
    expect(added.status).toBe(0);
    const id = added.stdout.trim();
    expect(id).toMatch(/^sil-/);
    const listed = await runCliIn(s, ['silence', 'list', '--format', 'json']);
    const silences = JSON.parse(listed.stdout) as Array<{ id: string; createdBy: string; orgId: string }>;
    expect(silences).toEqual([expect.objectContaining({ id, createdBy: 'zhou.qi', orgId: 'org-1' })]);
    const table = await runCliIn(s, ['silence', 'list']);
    expect(table.stdout).toContain(id);

    const fpC = fingerprintN(503);
    await waitFor(
      'the keeper marks a new alert with the silence',
      async () => {
        await sendAlertCommands(s.producer, s.scope.topicPrefix, [findingCommand(finding({ fingerprint: fpC }), DAY1)]);
        return ((await getAlert(s.store, fpC))?.silencedBy ?? []).includes(id);
      },
      60_000,
      1_000,
    );

    const expired = await runCliIn(s, ['silence', 'expire', id, '--by', 'zhou.qi']);
    expect(expired.status).toBe(0);
    expect(JSON.parse((await runCliIn(s, ['silence', 'list', '--format', 'json'])).stdout)).toEqual([]);
    const all = await listSilences(s.store, { includeExpired: true });
    expect(all).toEqual([expect.objectContaining({ expiredBy: 'zhou.qi' })]);
  });

  it('alerts tail --from-beginning --format json prints committed changes', async () => {
    const r = await runCliIn(s, ['alerts', 'tail', '--from-beginning', '--limit', '3', '--format', 'json']);
    expect(r.status).toBe(0);
    const lines = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { fingerprint: string; version: number });
    expect(lines).toHaveLength(3);
    for (const l of lines) expect([fpA, fpB, fingerprintN(503)]).toContain(l.fingerprint);
    const text = await runCliIn(s, ['alerts', 'tail', '--from-beginning', '--limit', '1']);
    expect(text.stdout).toMatch(/v\d+ {2}/);
  });
});
