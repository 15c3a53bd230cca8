import { describe, expect, it } from 'vitest';
import { WorkCalendar } from './calendar.js';
import { countBy, dayNumber, localDay, run } from './test-support/run.js';
import { burstiness, chiSquareUniform, dispersionIndex, mean, quantile } from './test-support/summaries.js';

// Clean traffic: no fabrication, no hard negative besides the calendar itself.
const sim = run({ seed: 7, units: 6, months: 3, scenarioRate: 0, hardNegativeRate: 0, outages: 0 });
const cal = new WorkCalendar();
const HOUR = 3_600_000;
const first = dayNumber('2025-01-01');
const last = dayNumber('2025-03-31');
const days = Array.from({ length: last - first + 1 }, (_, i) => first + i);
const perDay = countBy(sim.events, (e) => localDay(e.data.occurredAt));
const count = (d: number) => perDay.get(d) ?? 0;
const meanOn = (pick: (d: number) => boolean) => mean(days.filter(pick).map(count));
const staff = sim.events.filter((e) => e.data.actorRole === 'staff');
const workdayMean = meanOn((d) => cal.kind(d) === 'workday');

describe('clean traffic', () => {
  it('carries no fabrication label, only the holidays', () => {
    expect(sim.labels.length).toBeGreaterThan(0);
    expect(sim.labels.every((l) => l.kind === 'hard-negative' && l.scenario === 'holiday')).toBe(true);
  });

  it('has realistic volume: a typical unit records 30–150 events a working day', () => {
    const perUnit = countBy(
      sim.events.filter((e) => cal.isWorkingDay(localDay(e.data.occurredAt))),
      (e) => e.data.orgId,
    );
    const workingDays = days.filter((d) => cal.isWorkingDay(d)).length;
    const typical = quantile(
      [...perUnit.values()].map((n) => n / workingDays),
      0.5,
    );
    expect(typical).toBeGreaterThan(30);
    expect(typical).toBeLessThan(150);
  });

  it('follows the week: weekends far below weekdays', () => {
    expect(meanOn((d) => cal.kind(d) === 'weekend')).toBeLessThan(0.25 * workdayMean);
  });

  it('is low on holidays and works the 调休 days', () => {
    expect(meanOn((d) => cal.kind(d) === 'holiday')).toBeLessThan(0.2 * workdayMean);
    const ordinarySundays = meanOn((d) => cal.kind(d) === 'weekend' && new Date(d * 86_400_000).getUTCDay() === 0);
    // One day of six units varies by about ±20 %: the bar is set well below the expected ~0.9.
    for (const adjusted of ['2025-01-26', '2025-02-08']) {
      expect(count(dayNumber(adjusted))).toBeGreaterThan(0.5 * workdayMean);
      expect(count(dayNumber(adjusted))).toBeGreaterThan(4 * ordinarySundays);
    }
  });

  it('peaks at month and quarter ends', () => {
    // Staff traces on ordinary working days (no 调休, no catch-up after a holiday).
    const staffPerDay = countBy(staff, (e) => localDay(e.data.occurredAt));
    const catchUp = new Set(cal.holidayBlocks(first, last).flatMap((b) => b.catchUpDays));
    const ordinary = days.filter((d) => cal.kind(d) === 'workday' && !catchUp.has(d));
    const monthEnd = (d: number) => cal.lastWorkingDaysOfMonth(d, 3).includes(d);
    const staffMean = (ds: number[]) => mean(ds.map((d) => staffPerDay.get(d) ?? 0));
    // expected ratio about 1.25 (×1.2 at month ends, ×1.4 at the quarter end)
    expect(staffMean(ordinary.filter(monthEnd))).toBeGreaterThan(
      1.05 * staffMean(ordinary.filter((d) => !monthEnd(d))),
    );
  });

  it('has overdispersed daily counts per actor (variance/mean > 1)', () => {
    const workingDays = days.filter((d) => cal.isWorkingDay(d));
    const byActor = new Map<string, Map<number, number>>();
    for (const e of staff) {
      const m = byActor.get(e.data.actorId) ?? new Map<number, number>();
      byActor.set(e.data.actorId, m);
      const d = localDay(e.data.occurredAt);
      m.set(d, (m.get(d) ?? 0) + 1);
    }
    const series = [...byActor.values()].map((m) => workingDays.map((d) => m.get(d) ?? 0));
    const regular = series.filter((xs) => mean(xs) >= 1);
    expect(regular.length).toBeGreaterThan(20);
    expect(quantile(regular.map(dispersionIndex), 0.5)).toBeGreaterThan(1.5);
    // A light actor's sample D is noisy (SE ≈ D·sqrt(2/60)); an active one's is clearly above 1.
    const active = series.filter((xs) => mean(xs) >= 3);
    expect(active.length).toBeGreaterThan(10);
    for (const xs of active) expect(dispersionIndex(xs)).toBeGreaterThan(1.2);
  });

  it('has bursty gaps within working sessions (B > 0)', () => {
    const times = new Map<string, number[]>();
    for (const e of staff) {
      const list = times.get(e.data.actorId) ?? [];
      times.set(e.data.actorId, list);
      list.push(Date.parse(e.data.occurredAt));
    }
    const bs: number[] = [];
    const busy: number[] = [];
    for (const ts of times.values()) {
      ts.sort((a, b) => a - b);
      const gaps = ts.slice(1).map((t, i) => t - ts[i]!);
      const inSessions = gaps.filter((g) => g <= 8 * HOUR);
      if (inSessions.length >= 50) bs.push(burstiness(inSessions));
      if (inSessions.length >= 200) busy.push(burstiness(inSessions));
    }
    expect(busy.length).toBeGreaterThan(10);
    for (const b of busy) expect(b).toBeGreaterThan(0.2);
    // Light actors have few short gaps, but none comes near machine regularity (B ≤ −0.5).
    for (const b of bs) expect(b).toBeGreaterThan(-0.5);
    expect(quantile(bs, 0.5)).toBeGreaterThan(0.3);
  });

  it('records seconds to minutes after the fact, 1–2 % days late, in recording order', () => {
    const lags = staff.map((e) => Date.parse(e.time) - Date.parse(e.data.occurredAt));
    expect(Math.min(...lags)).toBeGreaterThanOrEqual(0);
    expect(quantile(lags, 0.5)).toBeGreaterThan(1_000);
    expect(quantile(lags, 0.5)).toBeLessThan(60_000);
    const lateShare = lags.filter((l) => l > 24 * HOUR).length / lags.length;
    expect(lateShare).toBeGreaterThan(0.005);
    expect(lateShare).toBeLessThan(0.025);
    const recorded = sim.events.map((e) => Date.parse(e.time));
    expect(recorded.every((t, i) => i === 0 || t >= recorded[i - 1]!)).toBe(true);
  });

  it('reports form values with free last digits where they are large, skewed small ones, plausible fill times', () => {
    const forms = sim.events.filter((e) => e.data.action === 'form.submit');
    expect(forms.length).toBeGreaterThan(1000);
    const digits = new Array<number>(10).fill(0);
    for (const e of forms) if (e.data.value! >= 60) digits[e.data.value! % 10]!++;
    // χ²(9) upper 0.001 point: 27.88; from 60 up the last digit is free
    expect(chiSquareUniform(digits)).toBeLessThan(27.88);
    // the small skewed counts (a third of staff, medians 15–40): a good share of values lies in 10–39
    const small = forms.filter((e) => e.data.value! >= 10 && e.data.value! < 40).length;
    expect(small / forms.length).toBeGreaterThan(0.1);
    const durations = forms.map((e) => e.data.durationMs!);
    expect(quantile(durations, 0.5)).toBeGreaterThan(60_000);
    expect(quantile(durations, 0.5)).toBeLessThan(130_000);
    // Under 10 s happens to humans about once in 5 000 forms.
    expect(durations.filter((ms) => ms < 10_000).length / durations.length).toBeLessThan(0.001);
    const texts = sim.events.filter((e) => e.data.contentHash !== undefined).map((e) => e.data.contentHash);
    expect(new Set(texts).size).toBe(texts.length);
  });

  it('reports rates as value/denominator', () => {
    const reports = sim.events.filter((e) => e.data.action === 'report.file');
    expect(reports.length).toBeGreaterThan(100);
    for (const e of reports) {
      expect(e.data.valueDenominator).toBeGreaterThanOrEqual(100);
      expect(e.data.value).toBeLessThanOrEqual(e.data.valueDenominator!);
    }
  });

  it('completes tasks late-heavy but not all at the end', () => {
    const positions = sim.events
      .filter((e) => e.data.action === 'task.complete')
      .map((e) => {
        const assigned = Date.parse(e.data.assignedAt!);
        return (Date.parse(e.data.occurredAt) - assigned) / (Date.parse(e.data.deadline!) - assigned);
      });
    expect(positions.length).toBeGreaterThan(500);
    const lastFivePercent = positions.filter((p) => p >= 0.95).length / positions.length;
    expect(lastFivePercent).toBeGreaterThan(0.04);
    expect(lastFivePercent).toBeLessThan(0.15);
    expect(quantile(positions, 0.5)).toBeGreaterThan(0.5);
    expect(quantile(positions, 0.5)).toBeLessThan(0.75);
  });

  it('has public users, some of them returning', () => {
    const publicEvents = sim.events.filter((e) => e.data.actorRole === 'public');
    expect(publicEvents.length / sim.events.length).toBeGreaterThan(0.05);
    const perUser = countBy(publicEvents, (e) => e.data.actorId);
    expect(Math.max(...perUser.values())).toBeGreaterThan(5);
  });

  it('reports monthly metrics close to the trace counts', () => {
    const action = { 'cases.handled': 'case.close', 'visits.recorded': 'visit.record', 'forms.filed': 'form.submit' };
    expect(sim.metrics).toHaveLength(6 * 3 * 3);
    for (const m of sim.metrics) {
      const from = dayNumber(m.periodStart);
      const to = dayNumber(m.periodEnd);
      const traces = sim.events.filter((e) => {
        const d = localDay(e.data.occurredAt);
        return (
          e.data.orgId === m.orgId && e.data.action === action[m.metric as keyof typeof action] && d >= from && d <= to
        );
      }).length;
      expect(Math.abs(m.value - traces)).toBeLessThanOrEqual(0.05 * traces + 3);
    }
  });

  it('announces several evaluations a year per unit', () => {
    const orgs = new Set(sim.events.map((e) => `${e.data.platformId}/${e.data.orgId}`));
    let concerning = 0;
    for (const key of orgs) {
      const [platformId, orgId] = key.split('/');
      concerning += sim.evaluations.filter(
        (e) => e.platformId === platformId && (e.orgId === undefined || e.orgId === orgId),
      ).length;
    }
    // per unit and year: count / units / (3/12)
    expect(concerning / orgs.size / 0.25).toBeGreaterThanOrEqual(3);
    for (const e of sim.evaluations) expect(Date.parse(e.announcedAt!)).toBeLessThan(Date.parse(e.start));
  });
});
