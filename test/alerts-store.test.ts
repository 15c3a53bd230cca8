/** The alert tables on the real ClickHouse 18.16: idempotent writes, FINAL reads, filters, silences. */
import {
  alertHistory,
  applyCommand,
  createSilence,
  expireSilence,
  getAlert,
  listAlerts,
  listSilences,
  loadActiveAlerts,
  loadActiveSilences,
  loadPartitionAlerts,
  loadRecentCommandIds,
  type PlacedChange,
  readProgress,
  silencesStamp,
  writeChanges,
  writeProgress,
} from '@tracewatch/alerts';
import type { Alert, AlertCommand } from '@tracewatch/schema';
import { migrate, type Store } from '@tracewatch/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { finding, findingCommand, fingerprintN, transitionCommand } from '../packages/alerts/src/testing/fixtures.js';
import { testStore, uniqueScope } from './support/harness.js';

const NOW = new Date('2026-12-01T10:00:00.000Z');
let store: Store;
let offset = 0;

/** Applies commands in order and returns the changes as the keeper would place them. */
function changesOf(commands: AlertCommand[], partition: number, start?: Alert): PlacedChange[] {
  let alert = start;
  const out: PlacedChange[] = [];
  for (const c of commands) {
    const r = applyCommand(alert, c, [], NOW);
    if (!('change' in r) || !r.change) throw new Error(`not a change: ${JSON.stringify(r)}`);
    alert = r.change.alert;
    out.push({ change: r.change, partition, offset: String(offset++) });
  }
  return out;
}

beforeAll(async () => {
  store = testStore(uniqueScope('alerts_store').database);
  await migrate(store);
});
afterAll(async () => {
  await store.close();
});

describe('alert tables', () => {
  const hostile = "it's \\ a 'note'\n\twith 中文 and ; DROP TABLE alerts; --";
  const fpA = fingerprintN(601);
  const fpB = fingerprintN(602);

  it('a change written twice (a replay) stays one version; FINAL gives the latest', async () => {
    const a = changesOf(
      [
        findingCommand(finding({ fingerprint: fpA }), '2026-03-15T00:00:00.000Z'),
        transitionCommand(fpA, 'acknowledged', 1, { by: "o'brien", note: hostile }),
      ],
      1,
    );
    // Separate inserts (separate parts, unmerged), each twice.
    for (const c of [...a, ...a]) await writeChanges(store, [c]);
    const alert = await getAlert(store, fpA);
    expect(alert).toMatchObject({ version: 2, state: 'acknowledged', updatedBy: "o'brien" });
    const history = await alertHistory(store, fpA);
    expect(history.map((h) => h.version)).toEqual([1, 2]);
    expect(history[1]!.note).toBe(hostile);
    expect((await loadRecentCommandIds(store, [1], 5)).get(fpA)).toEqual(a.map((c) => c.change.commandId));
    expect((await loadPartitionAlerts(store, [1])).map((x) => [x.alert.fingerprint, x.partition])).toEqual([[fpA, 1]]);
    expect(await loadPartitionAlerts(store, [0, 2])).toEqual([]);
  });

  it('filters: state, detector, severity, platform, org, period overlap; active alerts', async () => {
    await writeChanges(
      store,
      changesOf(
        [
          findingCommand(
            finding({
              fingerprint: fpB,
              detector: 'backfill',
              severity: 'critical',
              scope: { kind: 'org', platformId: 'plat-z', orgId: 'org-z' },
              period: { start: '2026-05-01', end: '2026-05-31' },
            }),
            '2026-06-01T00:00:00.000Z',
          ),
        ],
        2,
      ),
    );
    const fps = async (filter: Parameters<typeof listAlerts>[1]) =>
      (await listAlerts(store, filter)).map((a) => a.fingerprint).sort();
    expect(await fps({ limit: 10 })).toEqual([fpA, fpB]);
    expect(await fps({ state: 'acknowledged', limit: 10 })).toEqual([fpA]);
    expect(await fps({ state: 'open', limit: 10 })).toEqual([fpB]);
    expect(await fps({ detector: 'backfill', limit: 10 })).toEqual([fpB]);
    expect(await fps({ severity: 'warning', limit: 10 })).toEqual([fpA]);
    expect(await fps({ platformId: 'plat-z', orgId: 'org-z', limit: 10 })).toEqual([fpB]);
    expect(await fps({ from: '2026-04-01', limit: 10 })).toEqual([fpB]);
    expect(await fps({ to: '2026-04-01', limit: 10 })).toEqual([fpA]);
    expect(await fps({ detector: "x' OR '1'='1", limit: 10 })).toEqual([]);
    expect(await fps({ limit: 1, offset: 1 })).toHaveLength(1);
    expect((await loadActiveAlerts(store)).map((a) => a.fingerprint).sort()).toEqual([fpA, fpB]);
  });

  it('progress: the highest offset written wins', async () => {
    await writeProgress(store, 'alerts', 0, 10n);
    await writeProgress(store, 'alerts', 0, 7n);
    await writeProgress(store, 'alerts', 2, 3n);
    await writeProgress(store, 'other.alerts', 0, 99n);
    expect(await readProgress(store, 'alerts')).toEqual(
      new Map([
        [0, 10n],
        [2, 3n],
      ]),
    );
  });

  it('silences: refused when invalid, listed while in force, expired by a new row', async () => {
    await expect(
      createSilence(store, { createdBy: 'x', reason: 'r', expiresAt: '2099-01-01T00:00:00.000Z' }),
    ).rejects.toThrow(/detector or a platform/);
    await expect(
      createSilence(store, { detector: 'backfill', createdBy: 'x', reason: '', expiresAt: '2099-01-01T00:00:00.000Z' }),
    ).rejects.toThrow(/reason/);
    const before = await silencesStamp(store);
    const s = await createSilence(store, {
      detector: 'backfill',
      platformId: 'plat-z',
      createdBy: 'qian.li',
      reason: hostile,
      expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
    });
    expect(await silencesStamp(store)).not.toBe(before);
    expect((await loadActiveSilences(store)).map((x) => x.id)).toEqual([s.id]);
    expect((await listSilences(store))[0]?.silence.reason).toBe(hostile);
    const expired = await expireSilence(store, s.id, 'qian.li');
    expect(Date.parse(expired!.expiresAt)).toBeLessThanOrEqual(Date.now());
    expect(await loadActiveSilences(store)).toEqual([]);
    expect(await listSilences(store, { includeExpired: true })).toEqual([{ silence: expired, expiredBy: 'qian.li' }]);
    expect(await expireSilence(store, 'sil-nope', 'x')).toBeUndefined();
  });
});
