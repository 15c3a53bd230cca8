/**
 * under-dispersion ("too steady") — daily counts that vary less than any human work does.
 *
 * Test: index-of-dispersion test, lower tail (Fisher's reading of Mendel: too good to be true).
 * Over the tested days of a scope, daily counts x1..xn — divided by relative day weights
 * r_d = w_d / mean(w) when the day profile is not flat, so a regular Monday peak is not mistaken
 * for variation — give D = s²/x̄ and T = (n − 1)·s²/x̄. Under a Poisson null T ~ χ²(n − 1);
 * p = P(χ² ≤ T). Human work is overdispersed (D > 1), so the Poisson null is conservative.
 * A constant series gives T = 0 and p = 0.
 *
 * Null hypothesis: the daily counts are at least as variable as independent Poisson counts.
 *
 * Scope and period: per org, and per actor (`actorLevel`, on by default: a single scripted
 * account inside a busy unit is diluted at unit level). Evaluated per calendar month (local
 * time), once the month has ended. Tested days = the month's working days (PRC calendar, 调休
 * included) between the scope's first and last day with data, whose profile weight is > 0;
 * zero-count days among them are kept (dropping them would truncate the distribution and make
 * every scope look steadier). The outcome's period is the first to the last tested day.
 *
 * Minimum sample (else no outcome): n ≥ 14 tested days and mean ≥ 3 (DETECTION.md; below a mean
 * of 3 the χ² approximation of the dispersion test is poor and Poisson counts are lumpy).
 *
 * Finding: q ≤ 0.001 and D ≤ 0.3 (DETECTION.md; strict, because steady work by a disciplined
 * team does exist — D ≤ 0.3 is far below what Poisson variation alone allows).
 *
 * Defaults and reasons: minDays 14, minMean 3, maxDispersion 0.3, qThreshold 0.001 (above);
 * actorLevel true (above); retentionDays 400 (a year of months plus profile history);
 * calendar PRC 2024–2027; utcOffsetMinutes 480. The day profile: the org's own (≥ 8 weeks of
 * history), else its platform's pooled profile, else flat; actors use their org's profile.
 *
 * Memory: per retained day a count per org and per actor active that day. Bound:
 * retentionDays × (orgs + actors active per day); no raw events are kept.
 */
import { type Calendar, PRC_CALENDAR } from '../calendar/calendar.js';
import { chooseDayProfile, type DayProfile, estimateDayProfile } from '../calendar/day-profile.js';
import { formatNumber, formatProbability } from '../format.js';
import { dayRange, orgKeyOf, pruneDays, RetentionWindow } from '../retention.js';
import { chiSquareCdf } from '../stats/chi-square.js';
import { DEFAULT_UTC_OFFSET_MINUTES, dayNumberToIso, isoToDayNumber, localDayNumber } from '../time.js';
import type { Detector, EvaluateContext, Localized, Scope, TestOutcome, TraceRecord } from '../types.js';

export interface UnderDispersionOptions {
  minDays: number;
  minMean: number;
  maxDispersion: number;
  qThreshold: number;
  actorLevel: boolean;
  retentionDays: number;
  calendar: Calendar;
  utcOffsetMinutes: number;
}

export const UNDER_DISPERSION_DEFAULTS: UnderDispersionOptions = {
  minDays: 14,
  minMean: 3,
  maxDispersion: 0.3,
  qThreshold: 0.001,
  actorLevel: true,
  retentionDays: 400,
  calendar: PRC_CALENDAR,
  utcOffsetMinutes: DEFAULT_UTC_OFFSET_MINUTES,
};

interface Counted {
  platformId: string;
  orgId: string;
  actorId?: string;
  days: Map<number, number>;
}

/** Local day numbers of the first and last day of each calendar month touching [first, last]. */
function months(first: number, last: number): { first: number; last: number; label: string }[] {
  const out: { first: number; last: number; label: string }[] = [];
  let label = dayNumberToIso(first).slice(0, 7);
  while (true) {
    const monthFirst = isoToDayNumber(`${label}-01`);
    if (monthFirst > last) break;
    const [y, m] = label.split('-').map(Number) as [number, number];
    const next = m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
    out.push({ first: monthFirst, last: isoToDayNumber(`${next}-01`) - 1, label });
    label = next;
  }
  return out;
}

function increment(days: Map<number, number>, day: number): void {
  days.set(day, (days.get(day) ?? 0) + 1);
}

/** Creates the under-dispersion detector (see the module comment for the method). */
export function createUnderDispersionDetector(options: Partial<UnderDispersionOptions> = {}): Detector {
  const o: UnderDispersionOptions = { ...UNDER_DISPERSION_DEFAULTS, ...options };
  const orgs = new Map<string, Counted>();
  const actors = new Map<string, Counted>();
  const retention = new RetentionWindow(o.retentionDays);

  function observe(r: TraceRecord): void {
    const day = localDayNumber(r.occurredAt, o.utcOffsetMinutes);
    if (!retention.admit(day, Math.max(day, localDayNumber(r.recordedAt, o.utcOffsetMinutes)))) return;
    const key = orgKeyOf(r.platformId, r.orgId);
    let org = orgs.get(key);
    if (!org) {
      org = { platformId: r.platformId, orgId: r.orgId, days: new Map() };
      orgs.set(key, org);
    }
    increment(org.days, day);
    if (!o.actorLevel) return;
    const actorKey = `${key}\u0000${r.actorId}`;
    let actor = actors.get(actorKey);
    if (!actor) {
      actor = { platformId: r.platformId, orgId: r.orgId, actorId: r.actorId, days: new Map() };
      actors.set(actorKey, actor);
    }
    increment(actor.days, day);
  }

  function profiles(lastComplete: number): Map<string, DayProfile> {
    const pooledCounts = new Map<string, Map<number, number>>();
    for (const org of orgs.values()) {
      let sum = pooledCounts.get(org.platformId);
      if (!sum) {
        sum = new Map();
        pooledCounts.set(org.platformId, sum);
      }
      for (const [day, n] of org.days) sum.set(day, (sum.get(day) ?? 0) + n);
    }
    const pooled = new Map<string, DayProfile | null>();
    for (const [platformId, counts] of pooledCounts) {
      const span = dayRange(counts);
      pooled.set(
        platformId,
        span
          ? estimateDayProfile(
              { counts, firstDay: span.first, lastDay: Math.min(span.last, lastComplete) },
              o.calendar,
              'pooled',
            )
          : null,
      );
    }
    const byOrg = new Map<string, DayProfile>();
    for (const [key, org] of orgs) {
      const span = dayRange(org.days);
      if (!span) continue;
      byOrg.set(
        key,
        chooseDayProfile(
          { counts: org.days, firstDay: span.first, lastDay: Math.min(span.last, lastComplete) },
          o.calendar,
          pooled.get(org.platformId) ?? null,
        ),
      );
    }
    return byOrg;
  }

  function evaluate(ctx: EvaluateContext): TestOutcome[] {
    const cutoff = retention.cutoff();
    for (const c of [...orgs.values(), ...actors.values()]) pruneDays(c.days, cutoff);
    const lastComplete = localDayNumber(ctx.asOf, o.utcOffsetMinutes) - 1;
    const byOrg = profiles(lastComplete);
    const outcomes: TestOutcome[] = [];
    const scopes: [string, Counted][] = [...orgs.entries(), ...actors.entries()];
    scopes.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    for (const [, counted] of scopes) {
      const profile = byOrg.get(orgKeyOf(counted.platformId, counted.orgId));
      const span = dayRange(counted.days);
      if (!profile || !span) continue;
      for (const month of months(span.first, span.last)) {
        if (month.last > lastComplete) break;
        const outcome = testMonth(
          counted,
          profile,
          Math.max(month.first, span.first),
          Math.min(month.last, span.last),
          month.label,
        );
        if (outcome) outcomes.push(outcome);
      }
    }
    return outcomes;
  }

  function testMonth(
    counted: Counted,
    profile: DayProfile,
    first: number,
    last: number,
    month: string,
  ): TestOutcome | null {
    const days: number[] = [];
    for (let day = first; day <= last; day++)
      if (o.calendar.isWorkingDay(day) && profile.weight(day) > 0) days.push(day);
    const n = days.length;
    if (n < o.minDays) return null;
    const meanWeight = days.reduce((s, d) => s + profile.weight(d), 0) / n;
    const relative = (day: number) => (profile.isFlat ? 1 : profile.weight(day) / meanWeight);
    const values = days.map((day) => (counted.days.get(day) ?? 0) / relative(day));
    const mean = values.reduce((s, v) => s + v, 0) / n;
    if (mean < o.minMean) return null;
    const variance = values.reduce((s, v) => s + (v - mean) ** 2, 0) / (n - 1);
    const dispersion = variance / mean;
    const T = (n - 1) * dispersion;
    const pValue = chiSquareCdf(T, n - 1);
    const scope: Scope =
      counted.actorId === undefined
        ? { kind: 'org', platformId: counted.platformId, orgId: counted.orgId }
        : { kind: 'actor', platformId: counted.platformId, orgId: counted.orgId, actorId: counted.actorId };
    const who =
      counted.actorId === undefined
        ? { zh: `单位${counted.orgId}`, en: `Unit ${counted.orgId}` }
        : {
            zh: `单位${counted.orgId}的人员${counted.actorId}`,
            en: `Actor ${counted.actorId} of unit ${counted.orgId}`,
          };
    const explain = (q: number | null): Localized => {
      const stat = `${formatProbability('p', pValue)}, ${formatProbability('q', q)}`;
      return {
        'zh-CN':
          `${who.zh}在${month}的${n}个工作日里每天的活动数异常平稳：平均每天${formatNumber(mean)}条，方差${formatNumber(variance, 2)}，离散指数D=${formatNumber(dispersion, 2)}` +
          `（${profile.isFlat ? '' : '已按星期规律调整；'}随机到达的泊松计数D≈1，真实人工工作通常D>1）。离散指数下尾χ²检验（自由度${n - 1}）${stat}。判定阈值：D≤${o.maxDispersion}且q≤${o.qThreshold}。`,
        en:
          `${who.en} had unusually steady daily activity over ${n} working days in ${month}: ${formatNumber(mean)} per day on average, variance ${formatNumber(variance, 2)}, dispersion index D=${formatNumber(dispersion, 2)} ` +
          `(${profile.isFlat ? '' : 'adjusted for the weekly pattern; '}random Poisson arrivals give D≈1 and real human work usually D>1). Lower-tail χ² dispersion test (${n - 1} df), ${stat}. A finding needs D≤${o.maxDispersion} and q≤${o.qThreshold}.`,
      };
    };
    return {
      detector: 'under-dispersion',
      rule: 'dispersion-index',
      scope,
      period: { start: dayNumberToIso(days[0]!), end: dayNumberToIso(days.at(-1)!) },
      pValue,
      qThreshold: o.qThreshold,
      effectMet: dispersion <= o.maxDispersion,
      score: 1 - dispersion,
      statistics: { days: n, mean, variance, dispersion, chiSquare: T, df: n - 1 },
      evidence: {
        month,
        profileSource: profile.source,
        series: days.map((day, i) => ({
          day: dayNumberToIso(day),
          observed: counted.days.get(day) ?? 0,
          weight: Number(relative(day).toFixed(4)),
          adjusted: Number(values[i]!.toFixed(3)),
        })),
      },
      explain,
    };
  }

  return { name: 'under-dispersion', observe, evaluate };
}
