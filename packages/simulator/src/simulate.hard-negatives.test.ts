import { describe, expect, it } from 'vitest';
import { WorkCalendar } from './calendar.js';
import { countBy, dayNumber, localDay, run } from './test-support/run.js';
import { mean } from './test-support/summaries.js';

// No fabrication; every unit gets a hard negative (campaigns and ramp-ups alternate); one outage.
const sim = run({
  seed: 5,
  units: 12,
  months: 4,
  scenarioRate: 0,
  hardNegativeRate: 1,
  outages: 1,
  unitDailyEventsMedian: 35,
});
const cal = new WorkCalendar();
const HOUR = 3_600_000;
const labels = (scenario: string) => sim.labels.filter((l) => l.scenario === scenario);
// Indexed once: filtering every event per label made the tests slow on a loaded machine.
const eventsByOrg = new Map<string, typeof sim.events>();
for (const e of sim.events) {
  const list = eventsByOrg.get(e.data.orgId);
  if (list === undefined) eventsByOrg.set(e.data.orgId, [e]);
  else list.push(e);
}
const orgEvents = (orgId: string) => eventsByOrg.get(orgId) ?? [];
const workingDayMean = (orgId: string, from: number, to: number) => {
  const counts = countBy(orgEvents(orgId), (e) => localDay(e.data.occurredAt));
  return mean(cal.workingDays(from, to).map((d) => counts.get(d) ?? 0));
};

describe('hard negatives', () => {
  it('are labelled as such, expecting no detector; there is no idle platform', () => {
    for (const scenario of [
      'genuine-campaign',
      'new-unit-ramp',
      'platform-outage',
      'holiday',
      'busy-staff-platform',
      'staff-facing-platform',
    ]) {
      expect(labels(scenario).length, scenario).toBeGreaterThan(0);
    }
    expect(sim.labels.every((l) => l.kind === 'hard-negative' && l.detectors.length === 0)).toBe(true);
    expect(new Set(sim.events.map((e) => e.data.actorRole))).toEqual(new Set(['staff', 'public']));
  });

  it('genuine campaign: more work before the evaluation, but well under ×2, with the usual lag', () => {
    const campaigns = labels('genuine-campaign');
    const outages = labels('platform-outage').filter((l) => l.scope.kind === 'platform');
    let during = 0;
    let before = 0;
    for (const l of campaigns) {
      const from = dayNumber(l.period.start);
      const to = dayNumber(l.period.end);
      const window = workingDayMean(l.scope.orgId!, from, to);
      const baseline = workingDayMean(l.scope.orgId!, from - 28, from - 1);
      // One small unit's five working days vary by ±25 %: the lift is checked over all campaigns.
      during += window;
      before += baseline;
      const outageDays = (day: number) =>
        outages.some(
          (o) =>
            o.scope.platformId === l.scope.platformId &&
            day >= dayNumber(o.period.start) &&
            day <= dayNumber(o.period.end),
        );
      const inWindow = orgEvents(l.scope.orgId!).filter((e) => {
        const d = localDay(e.data.occurredAt);
        return d >= from && d <= to && e.data.actorRole === 'staff' && !outageDays(localDay(e.time));
      });
      const late = inWindow.filter((e) => Date.parse(e.time) - Date.parse(e.data.occurredAt) > 24 * HOUR);
      expect(late.length / inWindow.length).toBeLessThan(0.04);
    }
    // ×1.3–1.6 on staff work, public traffic unchanged
    expect(campaigns.length).toBeGreaterThanOrEqual(5);
    expect(during / before).toBeGreaterThan(1.1);
    expect(during / before).toBeLessThan(1.8);
  });

  it('new unit: nothing before its start, then a ramp up', () => {
    for (const l of labels('new-unit-ramp')) {
      const start = dayNumber(l.period.start);
      const events = orgEvents(l.scope.orgId!);
      expect(Math.min(...events.map((e) => localDay(e.data.occurredAt)))).toBeGreaterThanOrEqual(start);
      const firstWeek = workingDayMean(l.scope.orgId!, start, start + 6);
      const rampEnd = dayNumber(l.period.end);
      const afterRamp = workingDayMean(l.scope.orgId!, rampEnd - 13, rampEnd);
      expect(firstWeek).toBeLessThan(0.5 * afterRamp);
    }
  });

  it('platform outage: nothing recorded, then every unit uploads late on the catch-up day', () => {
    const platformLabel = labels('platform-outage').find((l) => l.scope.kind === 'platform')!;
    const from = dayNumber(platformLabel.period.start);
    const catchUp = dayNumber(platformLabel.period.end);
    const platformEvents = sim.events.filter((e) => e.data.platformId === platformLabel.scope.platformId);
    const recordedDuring = platformEvents.filter((e) => {
      const d = localDay(e.time);
      return d >= from && d < catchUp;
    });
    expect(recordedDuring).toHaveLength(0);
    const uploaded = platformEvents.filter(
      (e) =>
        localDay(e.time) === catchUp && localDay(e.data.occurredAt) >= from && localDay(e.data.occurredAt) < catchUp,
    );
    expect(uploaded.length).toBeGreaterThan(0);
    const units = new Set(
      labels('platform-outage').flatMap((l) => (l.scope.kind === 'org' && l.scope.orgId ? [l.scope.orgId] : [])),
    );
    const uploaders = new Set(uploaded.map((e) => e.data.orgId));
    // every unit that uploads late is labelled; every labelled unit uploads, except a new unit
    // whose ramp from zero starts during the outage (it has next to nothing to upload yet)
    for (const orgId of uploaders) expect(units.has(orgId)).toBe(true);
    const rampingDuring = new Set(
      labels('new-unit-ramp')
        .filter((l) => dayNumber(l.period.start) >= from - 7)
        .map((l) => l.scope.orgId),
    );
    for (const orgId of units) if (!rampingDuring.has(orgId)) expect(uploaders.has(orgId), orgId).toBe(true);
    // Work went on during the outage: claimed times are spread over the outage days.
    expect(Math.max(...uploaded.map((e) => Date.parse(e.time) - Date.parse(e.data.occurredAt)))).toBeGreaterThan(
      12 * HOUR,
    );
  });

  it('holidays: the Spring Festival block and its catch-up days are labelled per platform and unit', () => {
    const spring = labels('holiday').filter((l) => l.period.start === '2025-01-28');
    expect(spring.some((l) => l.scope.kind === 'platform')).toBe(true);
    expect(spring.every((l) => l.period.end === '2025-02-06')).toBe(true);
    // every unit except those that start only after the holiday
    const laterUnits = labels('new-unit-ramp').filter((l) => l.period.start > '2025-02-06').length;
    expect(spring.filter((l) => l.scope.kind === 'org')).toHaveLength(12 - laterUnits);
  });

  it('a busy platform with a staff majority: > 95 % staff traces, yet public users every month', () => {
    const [busy] = labels('busy-staff-platform');
    expect(busy!.scope.kind).toBe('platform');
    const events = sim.events.filter((e) => e.data.platformId === busy!.scope.platformId);
    const staff = events.filter((e) => e.data.actorRole === 'staff').length;
    expect(staff / events.length).toBeGreaterThan(0.95);
    const byMonth = countBy(
      events.filter((e) => e.data.actorRole === 'public'),
      (e) => e.data.occurredAt.slice(0, 7),
    );
    expect(byMonth.size).toBe(4);
    const users = new Set(events.filter((e) => e.data.actorRole === 'public').map((e) => e.data.actorId));
    expect(users.size).toBeGreaterThan(20);
  });

  it('a staff-facing platform has no public traffic', () => {
    const [internal] = labels('staff-facing-platform');
    const events = sim.events.filter((e) => e.data.platformId === internal!.scope.platformId);
    expect(events.length).toBeGreaterThan(1000);
    expect(events.filter((e) => e.data.actorRole === 'public').length).toBe(0);
    expect(internal!.scope.platformId).not.toBe(labels('busy-staff-platform')[0]!.scope.platformId);
  });
});

describe('hard negatives of the newer detectors', () => {
  // Half the honest units get the older hard negatives, the rest's half these three (one each or more).
  const more = run({
    seed: 6,
    units: 24,
    months: 5,
    scenarioRate: 0,
    hardNegativeRate: 0.5,
    outages: 0,
    unitDailyEventsMedian: 35,
  });
  const moreLabels = (scenario: string) => more.labels.filter((l) => l.scenario === scenario);
  const unitEvents = (orgId: string) => more.events.filter((e) => e.data.orgId === orgId);

  it('are labelled as hard negatives, expecting no detector', () => {
    for (const scenario of ['short-spike', 'shared-circular', 'training-month']) {
      expect(moreLabels(scenario).length, scenario).toBeGreaterThan(0);
      for (const l of moreLabels(scenario)) expect([l.kind, l.detectors]).toEqual(['hard-negative', []]);
    }
  });

  it('short spike: the first working days of a pre-window ×2–2.6, the window as a whole well under ×2', () => {
    // One unit-day varies by ±30 %: the first day's lift is checked over all spikes.
    let firstDays = 0;
    let baselines = 0;
    for (const l of moreLabels('short-spike')) {
      const from = dayNumber(l.period.start);
      const to = dayNumber(l.period.end);
      const counts = countBy(
        unitEvents(l.scope.orgId!).filter((e) => e.data.actorRole === 'staff'),
        (e) => localDay(e.data.occurredAt),
      );
      const days = (a: number, b: number) => cal.workingDays(a, b).map((d) => counts.get(d) ?? 0);
      const baseline = mean(days(from - 28, from - 1));
      const window = days(from, to);
      firstDays += window[0]!;
      baselines += baseline;
      expect(mean(window) / baseline).toBeLessThan(1.8);
    }
    expect(firstDays / baselines).toBeGreaterThan(1.6);
  });

  it('shared circulars: at most two texts a month on both platforms, by the same unit', () => {
    for (const l of moreLabels('shared-circular')) {
      const posts = unitEvents(l.scope.orgId!).filter((e) => e.data.action === 'notice.post');
      const byHash = new Map<string, Set<string>>();
      for (const e of posts)
        byHash.set(e.data.contentHash!, (byHash.get(e.data.contentHash!) ?? new Set()).add(e.data.platformId));
      expect([...byHash.values()].every((platforms) => platforms.size === 2)).toBe(true);
      const perMonth = countBy(
        posts.filter((e) => e.data.platformId === l.scope.platformId),
        (e) => e.data.occurredAt.slice(0, 7),
      );
      expect(Math.max(...perMonth.values())).toBeLessThanOrEqual(2);
      expect(byHash.size).toBeGreaterThanOrEqual(2);
    }
  });

  it('training month: presence rises to about 0.8 of staff traces, substantive work unchanged', () => {
    for (const l of moreLabels('training-month')) {
      const staff = unitEvents(l.scope.orgId!).filter((e) => e.data.actorRole === 'staff');
      const month = (m: string) => staff.filter((e) => e.data.occurredAt.slice(0, 7) === m);
      const presence = (es: typeof staff) => es.filter((e) => ['login', 'course.view'].includes(e.data.action));
      const inMonth = month(l.period.start.slice(0, 7));
      expect(presence(inMonth).length / inMonth.length).toBeGreaterThan(0.7);
      const prior = `2025-0${Number(l.period.start.slice(5, 7)) - 1}`;
      const substantive = (es: typeof staff) => es.length - presence(es).length;
      const ratio = substantive(inMonth) / substantive(month(prior));
      expect(ratio).toBeGreaterThan(0.7);
      expect(ratio).toBeLessThan(1.4);
    }
  });
});
