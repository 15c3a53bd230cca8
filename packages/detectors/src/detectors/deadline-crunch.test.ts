import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { TestOutcome, TraceRecord } from '../types.js';
import { createDeadlineCrunchDetector, deadlinePosition, maxInWindow } from './deadline-crunch.js';
import { binomialTailByFormula, context, observeOnce, plain, shuffled, traceRecord } from './support/fixtures.js';
import { mulberry32 } from './support/prng.js';

/** Half the property runs keep everything, half a short retention window (1–40 days). */
const retentionFor = (seed: number) => (seed % 2 === 0 ? 400 : 1 + (Math.abs(seed) % 40));

const DAY_MS = 86_400_000;
const FEB = Date.parse('2026-02-02T09:00:00+08:00');
const MAR = Date.parse('2026-03-02T09:00:00+08:00');
const ctx = context(Date.parse('2026-04-01T00:00:00+08:00'));

function run(records: readonly TraceRecord[], options = {}): TestOutcome[] {
  const detector = createDeadlineCrunchDetector(options);
  for (const r of records) detector.observe(r);
  return detector.evaluate(ctx);
}

let task = 0;
/** A task allowed 10 days, completed at `position` of that time, by `actor`. */
function completion(completedAt: number, position: number, actorId = 'a1', orgId = 'o1'): TraceRecord {
  const allowed = 10 * DAY_MS;
  const assignedAt = completedAt - Math.round(position * allowed);
  task++;
  return traceRecord({
    action: 'task.complete',
    actorId,
    orgId,
    taskId: `t${task}`,
    assignedAt,
    deadline: assignedAt + allowed,
    occurredAt: completedAt,
  });
}

/** n completions in a month, spread over its days, 1 in 20 at p = 0.97, the rest in 0.1–0.9 (seeded). */
function ordinary(start: number, n: number, seed: number, orgId = 'o1'): TraceRecord[] {
  const random = mulberry32(seed);
  return Array.from({ length: n }, (_, i) =>
    completion(start + (i % 25) * DAY_MS + i * 60_000, i % 20 === 19 ? 0.97 : 0.1 + 0.8 * random(), `a${i % 6}`, orgId),
  );
}

describe('deadlinePosition and maxInWindow', () => {
  it('positions', () => {
    expect(deadlinePosition(50, 0, 100)).toBe(0.5);
    expect(deadlinePosition(120, 20, 120)).toBe(1);
    expect(deadlinePosition(5, 10, 10)).toBeNaN();
  });
  it('window counts include both ends', () => {
    expect(maxInWindow([0, 10, 60_000, 60_001, 120_000], 60_000)).toEqual({ count: 3, start: 0 });
    expect(maxInWindow([0, 60_000], 60_000)).toEqual({ count: 2, start: 0 });
    expect(maxInWindow([0, 60_001], 60_000)).toEqual({ count: 1, start: 0 });
    expect(maxInWindow([], 60_000)).toEqual({ count: 0, start: -1 });
  });
});

describe('deadline-crunch detector', () => {
  it('fires when half of March lands in the last 5 % against the org’s own February', () => {
    // February: 100 completions, 5 at p = 0.97 → p0 = (5 + 1)/(100 + 2) = 6/102 = 0.0588
    // March: 40 completions, 20 at p = 0.97 → P(X ≥ 20 | 40, 6/102)
    const march = Array.from({ length: 40 }, (_, i) =>
      completion(MAR + i * 3_600_000, i < 20 ? 0.97 : 0.5, `a${i % 5}`),
    );
    const outcomes = run([...ordinary(FEB, 100, 1), ...march]);
    const outcome = outcomes.find((o) => o.rule === 'last-moment' && o.period.start === '2026-03-01')!;
    expect(outcome.statistics).toMatchObject({ n: 40, lastMoment: 20, share: 0.5, baselineCompletions: 100 });
    expect(outcome.statistics.baselineShare).toBeCloseTo(6 / 102, 15);
    expect(outcome.pValue! / binomialTailByFormula(20, 40, 6 / 102)).toBeCloseTo(1, 9);
    expect(outcome.effectMet).toBe(true);
    expect(outcome.evidence.baseline).toBe('org-history');
    expect(outcome.explain(1e-9).en).toContain('20 (50.0%)');
    // February itself has no history of its own and no other org: not tested
    expect(outcomes.find((o) => o.rule === 'last-moment' && o.period.start === '2026-02-01')).toBeUndefined();
  });

  it('one actor at the last moment among punctual colleagues: diluted for the org, found for the actor', () => {
    // February: 100 ordinary completions, 5 at p = 0.97 → org p0 = 6/102 = 5.9 %. March: 400
    // ordinary (20 at 0.97) and 25 by 'crunch', all at 0.97. The org: 45 of 425 = 10.6 % < 2·p0 =
    // 11.8 %, its effect rule fails. The actor: 25 of 25; colleagues 20 of 400 → 21/402 = 5.2 %,
    // below the org's 6/102, so p0 = 6/102 (the larger) and p = (6/102)²⁵.
    const crunch = Array.from({ length: 25 }, (_, i) => completion(MAR + i * 3_600_000, 0.97, 'crunch'));
    const outcomes = run([...ordinary(FEB, 100, 1), ...ordinary(MAR, 400, 2), ...crunch]);
    const march = (rule: string, actorId?: string) =>
      outcomes.find((o) => o.rule === rule && o.period.start === '2026-03-01' && o.scope.actorId === actorId)!;
    const org = march('last-moment');
    expect(org.statistics).toMatchObject({ n: 425, lastMoment: 45 });
    expect(org.effectMet).toBe(false);
    const actor = march('last-moment-actor', 'crunch');
    expect(actor.statistics).toMatchObject({ n: 25, lastMoment: 25, baselineCompletions: 100 });
    expect(actor.statistics.baselineShare).toBeCloseTo(6 / 102, 15);
    expect(actor.pValue! / (6 / 102) ** 25).toBeCloseTo(1, 9);
    expect(actor.effectMet).toBe(true);
    expect(actor.evidence.baseline).toBe('org-history');
    // colleagues at the last moment more often than the org used to: they set p0
    const busy = run([
      ...ordinary(FEB, 100, 1),
      ...ordinary(MAR, 400, 2).map((r, i) => (i % 4 === 0 ? completion(r.occurredAt, 0.97, r.actorId) : r)),
      ...crunch,
    ]);
    const against = busy.find((o) => o.rule === 'last-moment-actor' && o.scope.actorId === 'crunch')!;
    expect(against.evidence.baseline).toBe('colleagues-same-month');
    expect(against.statistics.baselineCompletions).toBe(400);
    expect(actor.explain(1e-20).en).toContain('actor crunch of org o1');
    // the punctual colleagues are tested and stay below the effect rule
    const others = outcomes.filter((o) => o.rule === 'last-moment-actor' && o.scope.actorId !== 'crunch');
    expect(others.length).toBeGreaterThan(0);
    for (const o of others) expect(o.effectMet && o.pValue! <= 0.01).toBe(false);
  });

  it('deadline design: most units of a platform finish at the last moment — a platform finding, noted on the units', () => {
    // March: o1–o3 each 40 completions, 24 (60 %) at p = 0.97; o4 ordinary (2 of 40 at 0.97)
    const crunch = (orgId: string) =>
      Array.from({ length: 40 }, (_, i) => completion(MAR + i * 3_600_000, i < 24 ? 0.97 : 0.5, `a${i % 4}`, orgId));
    const records = [
      ...['o1', 'o2', 'o3', 'o4'].flatMap((o, j) => ordinary(FEB, 100, 20 + j, o)),
      ...crunch('o1'),
      ...crunch('o2'),
      ...crunch('o3'),
      ...ordinary(MAR, 40, 30, 'o4'),
    ];
    const outcomes = run(records);
    const design = outcomes.find((o) => o.rule === 'deadline-design' && o.period.start === '2026-03-01')!;
    expect(design.scope).toEqual({ kind: 'platform', platformId: 'p1' });
    expect(design.statistics).toEqual({ units: 4, crunchedUnits: 3, crunchedShare: 0.75 });
    expect(design.effectMet).toBe(true);
    expect(design.explain(null).en).toContain('the deadlines are the problem, not the units');
    const o1 = outcomes.find(
      (o) => o.rule === 'last-moment' && o.scope.orgId === 'o1' && o.period.start === '2026-03-01',
    )!;
    expect(o1.evidence.deadlineDesign).toMatchObject({ platformId: 'p1' });
    expect(o1.explain(0.001).en).toContain('do not read this as fabrication');
    // February: every unit ordinary (5 % at the last moment) — the rule is performed and silent
    const february = outcomes.find((o) => o.rule === 'deadline-design' && o.period.start === '2026-02-01')!;
    expect(february.statistics.crunchedUnits).toBe(0);
    expect(february.effectMet).toBe(false);
    // one crunched unit of four is that unit's matter, not the platform's
    const one = run([
      ...['o1', 'o2', 'o3', 'o4'].flatMap((o, j) => ordinary(FEB, 100, 20 + j, o)),
      ...crunch('o1'),
      ...['o2', 'o3', 'o4'].flatMap((o, j) => ordinary(MAR, 40, 40 + j, o)),
    ]);
    expect(one.find((o) => o.rule === 'deadline-design' && o.period.start === '2026-03-01')!.effectMet).toBe(false);
    expect(
      one.find((o) => o.rule === 'last-moment' && o.scope.orgId === 'o1' && o.period.start === '2026-03-01')!.evidence
        .deadlineDesign,
    ).toBeUndefined();
  });

  it('a young org is judged against the platform’s other orgs', () => {
    const newcomer = Array.from({ length: 30 }, (_, i) =>
      completion(MAR + i * 3_600_000, i < 15 ? 0.99 : 0.4, 'n1', 'o2'),
    );
    const outcome = run([...ordinary(MAR, 80, 2), ...newcomer]).find(
      (o) => o.rule === 'last-moment' && o.scope.orgId === 'o2',
    )!;
    // o1: 80 completions, 4 at 0.97 → p0 = 5/82
    expect(outcome.statistics.baselineShare).toBeCloseTo(5 / 82, 15);
    expect(outcome.evidence.baseline).toBe('platform');
    expect(outcome.effectMet).toBe(true);
  });

  it('a month in which the whole platform finishes late is not one org’s fabrication', () => {
    // both orgs: February ordinary (5 %); in March both put 22 of 60 in the last 5 %
    const crunch = (orgId: string) =>
      Array.from({ length: 60 }, (_, i) => completion(MAR + i * 3_600_000, i < 22 ? 0.97 : 0.5, `${orgId}-a`, orgId));
    const records = [...ordinary(FEB, 100, 6, 'o1'), ...ordinary(FEB, 100, 7, 'o2'), ...crunch('o1'), ...crunch('o2')];
    const o1 = run(records).find(
      (o) => o.rule === 'last-moment' && o.scope.orgId === 'o1' && o.period.start === '2026-03-01',
    )!;
    // o1's own February: 5/100 → 6/102 = 0.059; o2 in March: 22/60 → 23/62 = 0.371, the higher one
    expect(o1.evidence.baseline).toBe('platform-same-month');
    expect(o1.statistics.baselineShare).toBeCloseTo(23 / 62, 15);
    expect(o1.effectMet).toBe(false);
    expect(o1.pValue!).toBeGreaterThan(0.3);
  });

  it('stays silent when the org keeps its habits', () => {
    const outcomes = run([...ordinary(FEB, 120, 3), ...ordinary(MAR, 120, 4)]);
    const march = outcomes.find((o) => o.rule === 'last-moment' && o.period.start === '2026-03-01')!;
    expect(march.pValue!).toBeGreaterThan(0.05);
    for (const o of outcomes) expect(o.effectMet && (o.pValue === null || o.pValue <= 0.01)).toBe(false);
  });

  it('batch completion: 12 tasks 5 s apart fire, 12 tasks 10 min apart do not', () => {
    const batch = Array.from({ length: 12 }, (_, i) => completion(MAR + i * 5_000, 0.5, 'fast'));
    const paced = Array.from({ length: 12 }, (_, i) => completion(MAR + i * 600_000, 0.5, 'paced'));
    const outcomes = run([...batch, ...paced]).filter((o) => o.rule === 'batch-completion');
    const fast = outcomes.find((o) => o.scope.actorId === 'fast')!;
    expect(fast.statistics.maxInWindow).toBe(12); // 0 … 55 s
    expect(fast.effectMet).toBe(true);
    expect(fast.scope.kind).toBe('actor');
    const slow = outcomes.find((o) => o.scope.actorId === 'paced')!;
    expect(slow.statistics.maxInWindow).toBe(1);
    expect(slow.effectMet).toBe(false);
  });

  it('minimum samples, one completion per task, configurable actions', () => {
    const history = ordinary(FEB, 100, 5);
    const march = (n: number) =>
      Array.from({ length: n }, (_, i) => completion(MAR + i * 3_600_000, 0.97, `a${i % 5}`));
    expect(run([...history, ...march(29)]).find((o) => o.rule === 'last-moment')).toBeUndefined();
    expect(run([...history, ...march(30)]).find((o) => o.rule === 'last-moment')).toBeDefined();
    expect(run([...history.slice(0, 49), ...march(30)]).find((o) => o.rule === 'last-moment')).toBeUndefined();
    // a task completed twice counts once: its latest trace
    const first = march(30);
    const again = first.map((r) => ({ ...r, id: `${r.id}-again`, occurredAt: r.occurredAt - DAY_MS }));
    const outcome = run([...history, ...first, ...again]).find((o) => o.rule === 'last-moment')!;
    expect(outcome.statistics.n).toBe(30);
    expect(outcome.statistics.lastMoment).toBe(30);
    expect(run([...history, ...march(30)], { completionActions: ['case.close'] })).toEqual([]);
  });

  it('completions older than the retention window are forgotten', () => {
    const march = Array.from({ length: 40 }, (_, i) => completion(MAR + i * 3_600_000, 0.97, `a${i % 5}`));
    const late = completion(MAR + 500 * DAY_MS, 0.5);
    const detector = createDeadlineCrunchDetector();
    for (const r of [...ordinary(FEB, 100, 1), ...march, late]) detector.observe(r);
    expect(detector.evaluate(context(MAR + 600 * DAY_MS)).filter((o) => o.period.start < '2027-01-01')).toEqual([]);
  });

  it('never throws and gives the same outcomes in any order or split (property)', () => {
    const row = fc.record({
      day: fc.integer({ min: 0, max: 60 }),
      second: fc.integer({ min: 0, max: 600 }),
      position: fc.double({ min: 0, max: 1.2, noNaN: true }),
      actor: fc.integer({ min: 0, max: 2 }),
      org: fc.integer({ min: 0, max: 1 }),
      task: fc.integer({ min: 0, max: 80 }),
    });
    fc.assert(
      fc.property(fc.array(row, { maxLength: 150 }), fc.integer(), (rows, seed) => {
        const records = rows.map((r, i) => ({
          ...completion(FEB + r.day * DAY_MS + r.second * 1000, r.position, `a${r.actor}`, `o${r.org}`),
          id: `e${i}`,
          taskId: `t${r.task}`,
        }));
        const options = { minCompletions: 5, minBaseline: 5, minBatch: 3, retentionDays: retentionFor(seed) };
        const once = plain(run(records, options));
        const detector = createDeadlineCrunchDetector(options);
        const observe = observeOnce(detector); // replays dropped as by the engine
        const mixed = shuffled(records, mulberry32(seed));
        for (const r of mixed.slice(0, 50)) observe(r);
        detector.evaluate(ctx);
        for (const r of mixed.slice(50)) observe(r);
        for (const r of mixed.slice(0, 3)) observe(r);
        expect(plain(detector.evaluate(ctx))).toEqual(once);
      }),
      { numRuns: 60 },
    );
  });
});
