import { ALERT_STATES, type Alert, type AlertCommand, alertChangeSchema, OPERATOR_STATES } from '@tracewatch/schema';
import { describe, expect, it } from 'vitest';
import { type AlertMemo, type ApplyResult, applyCommand, OPERATOR_MOVES, strongerThan } from './lifecycle.js';
import { finding, findingCommand, silence, transitionCommand, withdrawCommand } from './testing/fixtures.js';

const NOW = new Date('2026-12-01T10:00:00.000Z');
const FP = finding().fingerprint;
const DAY1 = '2026-03-15T00:00:00.000Z';
const DAY1_LATER = '2026-03-15T06:00:00.000Z';
const DAY2 = '2026-03-16T00:00:00.000Z';

/** Runs commands in order from no alert; returns every result and the final alert and memo. */
function run(commands: AlertCommand[], silences = [] as Parameters<typeof applyCommand>[2]) {
  let alert: Alert | undefined;
  let memo: AlertMemo | undefined;
  const results: ApplyResult[] = [];
  for (const c of commands) {
    const r = applyCommand(alert, c, silences, NOW, memo ? { memo } : {});
    results.push(r);
    if ('change' in r) {
      memo = r.memo;
      if (r.change) {
        alertChangeSchema.parse(r.change);
        alert = r.change.alert;
      }
    }
  }
  return { results, alert, memo };
}

const changeOf = (r: ApplyResult | undefined) => {
  if (!r || !('change' in r)) throw new Error(`expected an accepted command, got ${JSON.stringify(r)}`);
  return r.change;
};
const errorOf = (r: ApplyResult | undefined) => {
  if (!r || !('error' in r)) throw new Error(`expected an error, got ${JSON.stringify(r)}`);
  return r.error;
};

/** An alert in `state`, reached the way operators and the system would get it there. */
function alertIn(state: (typeof ALERT_STATES)[number]): Alert {
  const created = run([findingCommand(finding(), DAY1)]).alert!;
  if (state === 'open') return created;
  if (state === 'withdrawn') return changeOf(applyCommand(created, withdrawCommand(FP, DAY2), [], NOW))!.alert;
  const step = (a: Alert, to: (typeof OPERATOR_STATES)[number]) =>
    changeOf(applyCommand(a, transitionCommand(FP, to, a.version, { note: 'checked' }), [], NOW))!.alert;
  if (state === 'acknowledged') return step(created, 'acknowledged');
  return step(created, state);
}

describe('applyCommand: findings', () => {
  it('a finding for a new fingerprint creates an open alert at version 1', () => {
    const change = changeOf(run([findingCommand(finding(), DAY1)]).results[0])!;
    expect(change).toMatchObject({ kind: 'created', from: null, to: 'open', version: 1, by: 'system:detector' });
    expect(change.alert).toMatchObject({ state: 'open', firstSeenAt: DAY1, lastSeenAt: DAY1, silencedBy: [] });
    expect(change.at).toBe(NOW.toISOString());
  });

  it('the same finding re-sent is not published again, but is remembered', () => {
    const { results, alert } = run([findingCommand(finding(), DAY1), findingCommand(finding(), DAY1_LATER)]);
    expect(changeOf(results[1])).toBeNull();
    expect(alert?.version).toBe(1);
  });

  it('an unchanged finding a day of stream time later is published as updated (lastSeenAt)', () => {
    const { results } = run([findingCommand(finding(), DAY1), findingCommand(finding(), DAY2)]);
    const change = changeOf(results[1])!;
    expect(change).toMatchObject({ kind: 'updated', from: 'open', to: 'open', version: 2 });
    expect(change.alert).toMatchObject({ firstSeenAt: DAY1, lastSeenAt: DAY2 });
  });

  it.each([
    ['statistics', { statistics: { rateRatio: 3.5, pre: 130, baseline: 37.5 } }],
    ['p-value', { pValue: 0.0005 }],
    ['q-value', { qValue: 0.003 }],
    ['severity', { severity: 'critical' as const }],
    ['evidence', { evidence: { days: 15 } }],
    ['explanation', { explanation: { 'zh-CN': '另一说明', en: 'another explanation' } }],
    ['corroboration', { corroboratedBy: ['backfill'] }],
  ])('a material change (%s) is published at once as updated', (_what, change) => {
    const { results, alert } = run([findingCommand(finding(), DAY1), findingCommand(finding(change), DAY1_LATER)]);
    expect(changeOf(results[1])).toMatchObject({ kind: 'updated', version: 2 });
    expect(alert?.lastSeenAt).toBe(DAY1_LATER);
  });

  it('statistics with the same values in another key order are not a change', () => {
    const reordered = finding({ statistics: { baseline: 37.5, pre: 120, rateRatio: 3.2 } });
    const { results } = run([findingCommand(finding(), DAY1), findingCommand(reordered, DAY1_LATER)]);
    expect(changeOf(results[1])).toBeNull();
  });

  it('a finding older than lastSeenAt (stale) changes nothing', () => {
    const { results, alert } = run([
      findingCommand(finding(), DAY2),
      findingCommand(finding({ pValue: 0.0001, severity: 'critical' }), DAY1),
    ]);
    expect(changeOf(results[1])).toBeNull();
    expect(alert?.finding.severity).toBe('warning');
  });

  it('a finding naming another detector, scope or period under the same fingerprint is refused', () => {
    const { results } = run([
      findingCommand(finding(), DAY1),
      findingCommand(finding({ scope: { kind: 'org', platformId: 'plat-a', orgId: 'org-2' } }), DAY2),
    ]);
    expect(errorOf(results[1])).toMatchObject({ code: 'invalid' });
    expect(errorOf(results[1]).message).toContain('fingerprint collision');
  });
});

describe('applyCommand: severity does not flap', () => {
  const critical = finding({ severity: 'critical', pValue: 0.0001 });
  const warning = finding({ severity: 'warning', pValue: 0.002 });
  const at = (h: number) => new Date(Date.parse(DAY1) + h * 3_600_000).toISOString();

  it('critical stays until 3 warnings from 3 later evaluations; then warning', () => {
    const { results } = run([
      findingCommand(critical, at(0)),
      findingCommand(warning, at(1)),
      findingCommand(warning, at(2)),
      findingCommand(warning, at(3)),
    ]);
    expect(changeOf(results[1])?.alert.finding.severity).toBe('critical');
    // The p-value moved (material), so the held alert is published with the new statistics.
    expect(changeOf(results[1])?.alert.finding.pValue).toBe(0.002);
    expect(changeOf(results[2])).toBeNull();
    expect(changeOf(results[3])?.alert.finding.severity).toBe('warning');
  });

  it('a critical finding in between starts the count again', () => {
    const { alert } = run([
      findingCommand(critical, at(0)),
      findingCommand(warning, at(1)),
      findingCommand(warning, at(2)),
      findingCommand(critical, at(3)),
      findingCommand(warning, at(4)),
      findingCommand(warning, at(5)),
    ]);
    expect(alert?.finding.severity).toBe('critical');
  });

  it('warnings re-sent for the same evaluation (same asOf) count once', () => {
    const { alert } = run([
      findingCommand(critical, at(0)),
      findingCommand(warning, at(1)),
      findingCommand(warning, at(1)),
      findingCommand(warning, at(1)),
      findingCommand(warning, at(1)),
    ]);
    expect(alert?.finding.severity).toBe('critical');
  });

  it('the hold is a parameter', () => {
    let alert: Alert | undefined;
    let memo: AlertMemo | undefined;
    for (const [f, h] of [
      [critical, 0],
      [warning, 1],
    ] as const) {
      const r = applyCommand(alert, findingCommand(f, at(h)), [], NOW, {
        ...(memo ? { memo } : {}),
        options: { criticalHold: 1 },
      });
      const c = changeOf(r);
      if (c) alert = c.alert;
      if ('memo' in r) memo = r.memo;
    }
    expect(alert?.finding.severity).toBe('warning');
  });

  it('warning → critical is immediate', () => {
    const { alert } = run([findingCommand(warning, at(0)), findingCommand(critical, at(1))]);
    expect(alert?.finding.severity).toBe('critical');
  });
});

describe('applyCommand: operator transitions (every state × every target)', () => {
  for (const from of ALERT_STATES) {
    for (const to of OPERATOR_STATES) {
      const allowed = OPERATOR_MOVES[from].includes(to);
      it(`${from} → ${to}: ${allowed ? 'accepted' : 'invalid-transition'}`, () => {
        const alert = alertIn(from);
        expect(alert.state).toBe(from);
        const r = applyCommand(alert, transitionCommand(FP, to, alert.version, { note: 'reason given' }), [], NOW);
        if (allowed) {
          const change = changeOf(r)!;
          expect(change).toMatchObject({ kind: 'transition', from, to, version: alert.version + 1, by: 'li.wei' });
          expect(change.note).toBe('reason given');
          expect(change.alert.finding).toEqual(alert.finding);
        } else {
          const e = errorOf(r);
          expect(e.code).toBe('invalid-transition');
          expect(e.message).toContain(`is ${from}`);
          expect(e.message).toContain(`cannot become ${to}`);
        }
      });
    }
  }

  it('the table: open may go anywhere an operator decides; verdicts only re-open', () => {
    expect(OPERATOR_MOVES.open).toEqual(['acknowledged', 'resolved', 'dismissed', 'confirmed']);
    expect(OPERATOR_MOVES.acknowledged).toEqual(['resolved', 'dismissed', 'confirmed']);
    for (const s of ['resolved', 'dismissed', 'confirmed'] as const) expect(OPERATOR_MOVES[s]).toEqual(['open']);
    expect(OPERATOR_MOVES.withdrawn).toEqual([]);
  });

  it('dismiss without a note is refused (a reason is required)', () => {
    const alert = alertIn('open');
    const e = errorOf(applyCommand(alert, transitionCommand(FP, 'dismissed', 1, { note: '  ' }), [], NOW));
    expect(e).toMatchObject({ code: 'invalid' });
    expect(e.message).toContain('reason');
  });

  it('re-open without a note is refused', () => {
    const alert = alertIn('resolved');
    const e = errorOf(applyCommand(alert, transitionCommand(FP, 'open', alert.version), [], NOW));
    expect(e).toMatchObject({ code: 'invalid' });
  });

  it('acknowledge and resolve need no note', () => {
    const alert = alertIn('open');
    const acked = changeOf(applyCommand(alert, transitionCommand(FP, 'acknowledged', 1), [], NOW))!.alert;
    expect(changeOf(applyCommand(acked, transitionCommand(FP, 'resolved', 2), [], NOW))?.to).toBe('resolved');
  });

  it('a stale expectedVersion is a conflict naming the current version, state, who and when', () => {
    const acked = alertIn('acknowledged');
    const e = errorOf(applyCommand(acked, transitionCommand(FP, 'resolved', 1), [], NOW));
    expect(e.code).toBe('conflict');
    expect(e.message).toContain('version 2');
    expect(e.message).toContain('acknowledged');
    expect(e.message).toContain('li.wei');
    expect(e.message).toContain(NOW.toISOString());
  });

  it('two acknowledgements of one version: the first is accepted, the second is a conflict', () => {
    const alert = alertIn('open');
    const first = changeOf(applyCommand(alert, transitionCommand(FP, 'acknowledged', 1, { by: 'a' }), [], NOW))!;
    const second = applyCommand(first.alert, transitionCommand(FP, 'acknowledged', 1, { by: 'b' }), [], NOW);
    expect(errorOf(second).code).toBe('conflict');
  });

  it('a transition of an unknown alert is unknown-alert', () => {
    expect(errorOf(applyCommand(undefined, transitionCommand(FP, 'acknowledged', 1), [], NOW)).code).toBe(
      'unknown-alert',
    );
  });
});

describe('applyCommand: withdraw and re-open', () => {
  it('withdraw moves open and acknowledged to withdrawn, with its reason', () => {
    for (const state of ['open', 'acknowledged'] as const) {
      const alert = alertIn(state);
      const change = changeOf(applyCommand(alert, withdrawCommand(FP, DAY2, 'not confirmed'), [], NOW))!;
      expect(change).toMatchObject({ kind: 'transition', from: state, to: 'withdrawn', note: 'not confirmed' });
    }
  });

  it('withdraw leaves verdicts and resolved alerts alone (nothing published)', () => {
    for (const state of ['resolved', 'dismissed', 'confirmed', 'withdrawn'] as const) {
      expect(changeOf(applyCommand(alertIn(state), withdrawCommand(FP, DAY2), [], NOW))).toBeNull();
    }
  });

  it('withdraw of an unknown alert is unknown-alert', () => {
    expect(errorOf(applyCommand(undefined, withdrawCommand(FP, DAY2), [], NOW)).code).toBe('unknown-alert');
  });

  it('a withdrawn alert re-opens when its finding comes back (by the system)', () => {
    const withdrawn = alertIn('withdrawn');
    const change = changeOf(applyCommand(withdrawn, findingCommand(finding(), DAY2), [], NOW))!;
    expect(change).toMatchObject({ kind: 'transition', from: 'withdrawn', to: 'open', by: 'system:detector' });
    expect(change.note).toContain('re-opened');
  });

  it('a withdrawn alert does not re-open on a finding of the evaluation it was last seen in', () => {
    const withdrawn = alertIn('withdrawn');
    expect(changeOf(applyCommand(withdrawn, findingCommand(finding(), DAY1), [], NOW))).toBeNull();
  });

  it('a resolved alert re-opens when the finding comes back stronger (lower p)', () => {
    const resolved = alertIn('resolved');
    const change = changeOf(applyCommand(resolved, findingCommand(finding({ pValue: 0.0001 }), DAY2), [], NOW))!;
    expect(change).toMatchObject({ kind: 'transition', from: 'resolved', to: 'open' });
    expect(change.alert.finding.pValue).toBe(0.0001);
    expect(change.note).toContain('stronger');
  });

  it('a resolved alert stays resolved when the finding is as strong or weaker, and keeps its reference', () => {
    const resolved = alertIn('resolved');
    const same = applyCommand(resolved, findingCommand(finding(), DAY1_LATER), [], NOW);
    expect(changeOf(same)).toBeNull();
    const weaker = changeOf(applyCommand(resolved, findingCommand(finding({ pValue: 0.01 }), DAY2), [], NOW))!;
    // Published only because lastSeenAt moved a day; the finding it was resolved with stays.
    expect(weaker).toMatchObject({ kind: 'updated', to: 'resolved' });
    expect(weaker.alert.finding.pValue).toBe(0.001);
    expect(weaker.alert.lastSeenAt).toBe(DAY2);
  });

  it('score rules (no p-value) compare scores', () => {
    const ref = finding({ pValue: null, qValue: null, score: 0.4 });
    expect(strongerThan(finding({ pValue: null, qValue: null, score: 0.5 }), ref)).toBe(true);
    expect(strongerThan(finding({ pValue: null, qValue: null, score: 0.4 }), ref)).toBe(false);
    expect(strongerThan(finding({ pValue: 0.01 }), finding({ pValue: 0.001 }))).toBe(false);
  });

  it('dismissed and confirmed keep their state; a recurring finding updates their data', () => {
    for (const state of ['dismissed', 'confirmed'] as const) {
      const alert = alertIn(state);
      const change = changeOf(applyCommand(alert, findingCommand(finding({ pValue: 0.00001 }), DAY2), [], NOW))!;
      expect(change).toMatchObject({ kind: 'updated', from: state, to: state });
      expect(change.alert.finding.pValue).toBe(0.00001);
    }
  });

  it('an operator re-opens a resolved, dismissed or confirmed alert with a note', () => {
    for (const state of ['resolved', 'dismissed', 'confirmed'] as const) {
      const alert = alertIn(state);
      const r = applyCommand(alert, transitionCommand(FP, 'open', alert.version, { note: 'new evidence' }), [], NOW);
      expect(changeOf(r)).toMatchObject({ from: state, to: 'open' });
    }
  });
});

describe('applyCommand: idempotency', () => {
  it('a command id already applied is a duplicate no-op', () => {
    const created = run([findingCommand(finding(), DAY1)]);
    const ack = transitionCommand(FP, 'acknowledged', 1, { commandId: 'ack-1' });
    const first = applyCommand(created.alert, ack, [], NOW, { memo: created.memo! });
    const c = changeOf(first)!;
    const again = applyCommand(c.alert, ack, [], NOW, { memo: (first as { memo: AlertMemo }).memo });
    expect(again).toMatchObject({ change: null, duplicate: true });
  });

  it('the same command gives the same change id (a replay is recognisable)', () => {
    const cmd = findingCommand(finding(), DAY1, 'find-fixed');
    const a = changeOf(applyCommand(undefined, cmd, [], NOW))!;
    const b = changeOf(applyCommand(undefined, cmd, [], NOW))!;
    expect(a.changeId).toBe(b.changeId);
  });

  it('only the latest command ids are kept', () => {
    let memo: AlertMemo | undefined;
    let alert: Alert | undefined;
    for (let i = 0; i < 5; i++) {
      const r = applyCommand(alert, findingCommand(finding(), DAY1, `c${i}`), [], NOW, {
        ...(memo ? { memo } : {}),
        options: { rememberCommands: 3 },
      });
      if ('memo' in r) memo = r.memo;
      alert = changeOf(r)?.alert ?? alert;
    }
    expect(memo?.recentCommandIds).toEqual(['c2', 'c3', 'c4']);
  });
});

describe('applyCommand: silences mark, never suppress', () => {
  it('a matching silence marks the alert, which is still created and published', () => {
    const s = silence({ id: 'sil-x' });
    const change = changeOf(applyCommand(undefined, findingCommand(finding(), DAY1), [s], NOW))!;
    expect(change.kind).toBe('created');
    expect(change.alert.silencedBy).toEqual(['sil-x']);
  });

  it('a silence that starts to match (or expires) is a material change of a recurring finding', () => {
    const created = run([findingCommand(finding(), DAY1)]);
    const s = silence({ id: 'sil-y' });
    const marked = changeOf(applyCommand(created.alert, findingCommand(finding(), DAY1_LATER), [s], NOW))!;
    expect(marked.alert.silencedBy).toEqual(['sil-y']);
    const later = new Date('2026-12-03T00:00:00.000Z'); // after the silence expired
    const unmarked = changeOf(applyCommand(marked.alert, findingCommand(finding(), DAY1_LATER), [s], later))!;
    expect(unmarked.alert.silencedBy).toEqual([]);
  });

  it('a silence for another detector does not mark', () => {
    const s = silence({ detector: 'backfill' });
    expect(changeOf(applyCommand(undefined, findingCommand(finding(), DAY1), [s], NOW))!.alert.silencedBy).toEqual([]);
  });
});
