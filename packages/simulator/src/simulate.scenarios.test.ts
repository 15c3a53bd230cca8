import { evaluationSchema, reportedMetricSchema, type TraceEvent, traceEventSchema } from '@tracewatch/schema';
import { describe, expect, it } from 'vitest';
import { WorkCalendar } from './calendar.js';
import { countBy, dayNumber, eventsOf, localDay, run } from './test-support/run.js';
import { dispersionIndex, mean } from './test-support/summaries.js';
import { FABRICATION_SCENARIOS, type Label } from './types.js';

// Every unit fabricates: 12 eligible units deal all ten unit scenarios; the idle platform is
// the eleventh scenario.
const sim = run({
  seed: 11,
  units: 13,
  months: 3,
  scenarioRate: 1,
  hardNegativeRate: 0,
  outages: 0,
  unitDailyEventsMedian: 35,
});
const cal = new WorkCalendar();
const HOUR = 3_600_000;
const fabrications = sim.labels.filter((l) => l.kind === 'fabrication');
const labelOf = (scenario: string): Label => {
  const label = fabrications.find((l) => l.scenario === scenario && l.scope.kind !== 'platform');
  if (label === undefined) throw new Error(`no label for ${scenario}`);
  return label;
};
const orgEvents = (orgId: string) => sim.events.filter((e) => e.data.orgId === orgId);
const perWorkingDay = (events: TraceEvent[], from: number, to: number) => {
  const counts = countBy(events, (e) => localDay(e.data.occurredAt));
  return cal.workingDays(from, to).map((d) => counts.get(d) ?? 0);
};
const lagMs = (e: TraceEvent) => Date.parse(e.time) - Date.parse(e.data.occurredAt);

describe('injected scenarios', () => {
  it('labels every fabrication scenario, each expecting its own detector', () => {
    // deadline-design needs a platform with 6 units and 4 months: its own run below
    for (const scenario of FABRICATION_SCENARIOS.filter((s) => s !== 'deadline-design')) {
      const labels = fabrications.filter((l) => l.scenario === scenario);
      expect(labels.length, scenario).toBeGreaterThan(0);
      expect(
        labels.some((l) => l.detectors.includes(scenario)),
        scenario,
      ).toBe(true);
    }
  });

  it('gives labels unique ids, known scopes and periods inside the run', () => {
    expect(new Set(sim.labels.map((l) => l.id)).size).toBe(sim.labels.length);
    const actors = new Set(sim.events.map((e) => e.data.actorId));
    const orgs = new Set(sim.events.map((e) => `${e.data.platformId}/${e.data.orgId}`));
    for (const l of sim.labels) {
      expect(l.period.start <= l.period.end).toBe(true);
      expect(l.period.start >= '2025-01-01' && l.period.end <= '2025-03-31').toBe(true);
      if (l.scope.orgId !== undefined) expect(orgs.has(`${l.scope.platformId}/${l.scope.orgId}`)).toBe(true);
      if (l.scope.actorId !== undefined) expect(actors.has(l.scope.actorId)).toBe(true);
      if (l.kind === 'hard-negative') expect(l.detectors).toEqual([]);
    }
  });

  it('emits only records that pass the schemas, scenario traces included', () => {
    for (const e of sim.evaluations) expect(evaluationSchema.safeParse(e).success).toBe(true);
    for (const m of sim.metrics) expect(reportedMetricSchema.safeParse(m).success).toBe(true);
    const sample = sim.events.filter((_, i) => i % 50 === 0);
    for (const l of fabrications) sample.push(...eventsOf(sim, l).slice(0, 20));
    for (const e of sample) {
      const parsed = traceEventSchema.safeParse(e);
      expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
    }
    expect(new Set(sim.events.map((e) => e.id)).size).toBe(sim.events.length);
  });

  it('burst-before-evaluation: ×2.5–4 in the pre-window, back to normal after', () => {
    const l = labelOf('burst-before-evaluation');
    const events = orgEvents(l.scope.orgId!);
    const from = dayNumber(l.period.start);
    const to = dayNumber(l.period.end);
    const baseline = mean(perWorkingDay(events, from - 28, from - 1));
    const burst = mean(perWorkingDay(events, from, to));
    const after = mean(perWorkingDay(events, to + 2, to + 8));
    expect(burst / baseline).toBeGreaterThan(2);
    expect(after / baseline).toBeLessThan(2);
    expect(after / burst).toBeLessThan(0.6);
  });

  it('backfill: many traces recorded in the pre-window claim days or weeks earlier', () => {
    const l = labelOf('backfill');
    const from = dayNumber(l.period.start);
    const to = dayNumber(l.period.end);
    // the unit's clerks, or one clerk among honest colleagues (an actor label)
    const recorded = orgEvents(l.scope.orgId!).filter(
      (e) =>
        localDay(e.time) >= from &&
        localDay(e.time) <= to &&
        (l.scope.actorId === undefined || e.data.actorId === l.scope.actorId),
    );
    const late = recorded.filter((e) => lagMs(e) > 24 * HOUR);
    expect(late.length).toBeGreaterThanOrEqual(20);
    // honest share: about 1.5 %
    expect(late.length / recorded.length).toBeGreaterThan(0.1);
    expect(Math.min(...late.map((e) => localDay(e.data.occurredAt)))).toBeLessThan(from - 7);
    // the backfill detector's 8-week history before the window lies inside the run
    expect(from - 56).toBeGreaterThanOrEqual(dayNumber('2025-01-01'));
  });

  it('under-dispersion: working-day counts nearly constant (variance/mean < 0.3)', () => {
    const l = labelOf('under-dispersion');
    const counts = perWorkingDay(orgEvents(l.scope.orgId!), dayNumber(l.period.start), dayNumber(l.period.end));
    expect(counts.length).toBeGreaterThanOrEqual(14);
    expect(dispersionIndex(counts)).toBeLessThan(0.3);
  });

  it('machine-regular-timing: most gaps of the actor equal the modal gap ± 1 s', () => {
    const l = labelOf('machine-regular-timing');
    expect(l.scope.kind).toBe('actor');
    const times = eventsOf(sim, l)
      .map((e) => Date.parse(e.data.occurredAt))
      .sort((a, b) => a - b);
    const gaps = times
      .slice(1)
      .map((t, i) => Math.round((t - times[i]!) / 1000))
      .filter((g) => g <= 8 * 3600);
    expect(gaps.length).toBeGreaterThanOrEqual(30);
    const modal = [...countBy(gaps, (g) => g)].sort((a, b) => b[1] - a[1])[0]![0] as number;
    expect(gaps.filter((g) => Math.abs(g - modal) <= 1).length / gaps.length).toBeGreaterThan(0.5);
  });

  it('digit-preference: reported values heaped on multiples of 10', () => {
    const l = labelOf('digit-preference');
    const values = eventsOf(sim, l)
      .filter((e) => e.data.action === 'form.submit' && e.data.value! >= 10)
      .map((e) => e.data.value!);
    expect(values.length).toBeGreaterThanOrEqual(50);
    // honest share of multiples of 10: 0.1
    expect(values.filter((v) => v % 10 === 0).length / values.length).toBeGreaterThan(0.4);
  });

  it('cross-unit-sameness: ≥ 5 actors report the identical value on one day', () => {
    const l = labelOf('cross-unit-sameness');
    const groups = new Map<string, Set<string>>();
    for (const e of eventsOf(sim, l).filter((x) => x.data.action === 'form.submit')) {
      const key = `${localDay(e.data.occurredAt)}/${e.data.value}`;
      groups.set(key, (groups.get(key) ?? new Set()).add(e.data.actorId));
    }
    expect(Math.max(...[...groups.values()].map((s) => s.size))).toBeGreaterThanOrEqual(5);
  });

  it('duplicate-content: one text reused by several actors or on several days, and near-duplicates', () => {
    const l = labelOf('duplicate-content');
    const reports = eventsOf(sim, l).filter((e) => e.data.contentHash !== undefined);
    // the detector's exact rule: one content hash in ≥ 3 reports by ≥ 2 actors or on ≥ 3 days
    const byText = new Map<string, { reports: number; actors: Set<string>; days: Set<number> }>();
    for (const e of reports) {
      const t = byText.get(e.data.contentHash!) ?? { reports: 0, actors: new Set<string>(), days: new Set<number>() };
      t.reports++;
      t.actors.add(e.data.actorId);
      t.days.add(localDay(e.data.occurredAt));
      byText.set(e.data.contentHash!, t);
    }
    const reused = [...byText.values()].filter((t) => t.reports >= 3 && (t.actors.size >= 2 || t.days.size >= 3));
    expect(reused.length).toBeGreaterThan(0);
    const simhashes = [...new Map(reports.map((e) => [e.data.contentHash!, e.data.simhash!])).values()];
    const near = (a: string, b: string) => {
      let x = (BigInt(`0x${a}`) ^ BigInt(`0x${b}`)).toString(2);
      x = x.replaceAll('0', '');
      return x.length >= 1 && x.length <= 3;
    };
    expect(simhashes.some((a, i) => simhashes.slice(i + 1).some((b) => near(a, b)))).toBe(true);
  });

  it('implausible-durations: an actor files forms in seconds or in identical times', () => {
    const l = labelOf('implausible-durations');
    const byActor = new Map<string, number[]>();
    for (const e of eventsOf(sim, l).filter((x) => x.data.action === 'form.submit')) {
      byActor.set(e.data.actorId, [...(byActor.get(e.data.actorId) ?? []), e.data.durationMs!]);
    }
    const suspicious = [...byActor.values()].filter((ds) => {
      if (ds.length < 20) return false;
      const m = mean(ds);
      const cv = Math.sqrt(ds.reduce((s, d) => s + (d - m) ** 2, 0) / ds.length) / m;
      return ds.filter((d) => d < 10_000).length / ds.length > 0.5 || cv < 0.05;
    });
    expect(suspicious.length).toBeGreaterThan(0);
  });

  it('deadline-crunch: completions in the last 5 % and batches of ≥ 10 within 60 s (or one actor at the last moment)', () => {
    for (const l of fabrications.filter((x) => x.scenario === 'deadline-crunch')) {
      const tasks = eventsOf(sim, l).filter((e) => e.data.action === 'task.complete');
      const positions = tasks.map((e) => {
        const assigned = Date.parse(e.data.assignedAt!);
        return (Date.parse(e.data.occurredAt) - assigned) / (Date.parse(e.data.deadline!) - assigned);
      });
      expect(positions.filter((p) => p >= 0.95).length / positions.length).toBeGreaterThan(0.5);
      if (l.scope.kind === 'actor') {
        // one actor among punctual colleagues: the unit as a whole stays mostly on time
        const unit = eventsOf(sim, { ...l, scope: { ...l.scope, kind: 'org', actorId: undefined } }).filter(
          (e) => e.data.action === 'task.complete' && e.data.actorId !== l.scope.actorId,
        );
        const late = unit.filter((e) => {
          const assigned = Date.parse(e.data.assignedAt!);
          return (Date.parse(e.data.occurredAt) - assigned) / (Date.parse(e.data.deadline!) - assigned) >= 0.95;
        });
        expect(late.length / unit.length).toBeLessThan(0.2);
        continue;
      }
      const byActor = new Map<string, number[]>();
      for (const e of tasks)
        byActor.set(e.data.actorId, [...(byActor.get(e.data.actorId) ?? []), Date.parse(e.data.occurredAt)]);
      const batched = [...byActor.values()].some((ts) => {
        ts.sort((a, b) => a - b);
        return ts.some((t, i) => i + 9 < ts.length && ts[i + 9]! - t <= 60_000);
      });
      expect(batched).toBe(true);
    }
  });

  it('repeated-entry: the unit enters the same texts on a second platform, the next working day', () => {
    const l = labelOf('repeated-entry');
    const own = orgEvents(l.scope.orgId!).filter((e) => e.data.contentHash !== undefined);
    const platforms = new Set(own.map((e) => e.data.platformId));
    expect(platforms.size).toBe(2);
    expect(platforms.has(l.scope.platformId)).toBe(true);
    const byHash = countBy(own, (e) => e.data.contentHash!);
    const twice = [...byHash.values()].filter((n) => n >= 2).length;
    expect(twice).toBeGreaterThan(10);
  });

  it('presence-only: most of the unit’s staff traces become views in the window, volume kept', () => {
    const l = labelOf('presence-only');
    const staff = eventsOf(sim, l).filter((e) => e.data.actorRole === 'staff');
    const presence = staff.filter((e) => e.data.action === 'login' || e.data.action === 'doc.view');
    expect(presence.length / staff.length).toBeGreaterThan(0.8);
    expect(sim.events.filter((e) => e.data.action === 'doc.view' && e.data.orgId !== l.scope.orgId)).toEqual([]);
  });

  it('idle-platform: staff only, hardly any public users, activity in the pre-windows', () => {
    const platformLabel = fabrications.find((l) => l.scenario === 'idle-platform' && l.scope.kind === 'platform')!;
    const events = sim.events.filter((e) => e.data.platformId === platformLabel.scope.platformId);
    expect(events.length).toBeGreaterThan(0);
    const publicUsers = new Set(events.filter((e) => e.data.actorRole === 'public').map((e) => e.data.actorId));
    expect(publicUsers.size).toBeLessThanOrEqual(3);
    const windows = fabrications.filter(
      (l) =>
        l.scenario === 'idle-platform' &&
        l.scope.kind === 'org' &&
        l.scope.platformId === platformLabel.scope.platformId,
    );
    expect(windows.length).toBeGreaterThan(0);
    const inWindows = windows.flatMap((l) => eventsOf(sim, l)).length;
    expect(inWindows / events.length).toBeGreaterThan(0.5);
  });

  it('metric-inflation: a KPI reported at ≥ 1.5× its trace count', () => {
    const l = labelOf('metric-inflation');
    const action: Record<string, string> = {
      'cases.handled': 'case.close',
      'visits.recorded': 'visit.record',
      'forms.filed': 'form.submit',
    };
    const ratios = sim.metrics
      .filter((m) => m.orgId === l.scope.orgId && m.periodStart >= l.period.start && m.periodEnd <= l.period.end)
      .map((m) => {
        const from = dayNumber(m.periodStart);
        const to = dayNumber(m.periodEnd);
        const traces = orgEvents(m.orgId).filter((e) => {
          const d = localDay(e.data.occurredAt);
          return e.data.action === action[m.metric] && d >= from && d <= to;
        }).length;
        return m.value / traces;
      });
    expect(Math.max(...ratios)).toBeGreaterThan(1.4);
  });
});

describe('deadline-design: a platform whose deadlines are shorter than the work', () => {
  // Three platforms of about 7 units, 5 months: one platform's deadlines are cut for 1–2 months.
  const design = run({
    seed: 12,
    units: 21,
    months: 5,
    platforms: 3,
    scenarioRate: 1,
    scenarios: ['deadline-design'],
    hardNegativeRate: 0,
    outages: 0,
    unitDailyEventsMedian: 35,
  });
  const [label] = design.labels.filter((l) => l.scenario === 'deadline-design');
  const crunchedShare = (events: TraceEvent[]) => {
    const tasks = events.filter((e) => e.data.action === 'task.complete');
    const crunched = tasks.filter((e) => {
      const assigned = Date.parse(e.data.assignedAt!);
      return (Date.parse(e.data.occurredAt) - assigned) / (Date.parse(e.data.deadline!) - assigned) >= 0.95;
    });
    return crunched.length / tasks.length;
  };

  it('is labelled on the platform, for whole months, expecting deadline-crunch', () => {
    expect(label).toBeDefined();
    expect(label!.scope.kind).toBe('platform');
    expect(label!.detectors).toEqual(['deadline-crunch']);
    expect(label!.period.start.endsWith('-01')).toBe(true);
    expect(label!.period.start >= '2025-03-01' && label!.period.end <= '2025-04-30').toBe(true);
  });

  it('most units of the platform finish most tasks at the last moment or late, at the same work pace', () => {
    const inPeriod = eventsOf(design, label!);
    const units = [...new Set(inPeriod.map((e) => e.data.orgId))];
    expect(units.length).toBeGreaterThanOrEqual(3);
    const shares = units.map((orgId) => crunchedShare(inPeriod.filter((e) => e.data.orgId === orgId)));
    expect(shares.filter((s) => s >= 0.5).length / shares.length).toBeGreaterThan(0.5);
    // the month before on the same platform, and the other platforms in the same months, as usual
    const before = eventsOf(design, {
      ...label!,
      period: { start: '2025-02-01', end: '2025-02-28' },
    });
    expect(crunchedShare(before)).toBeLessThan(0.2);
    const elsewhere = design.events.filter(
      (e) =>
        e.data.platformId !== label!.scope.platformId &&
        e.data.occurredAt.slice(0, 10) >= label!.period.start &&
        e.data.occurredAt.slice(0, 10) <= label!.period.end,
    );
    expect(crunchedShare(elsewhere)).toBeLessThan(0.2);
  });
});
