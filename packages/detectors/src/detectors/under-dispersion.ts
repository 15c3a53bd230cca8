/**
 * under-dispersion ("too steady") — daily counts that vary less than any human work does.
 *
 * Test: Pearson dispersion test, lower tail (Fisher's reading of Mendel: too good to be true).
 * Over the tested days of a window, daily counts x_1..x_n are compared with expected counts
 * e_i = level · w_i, level = Σx / Σw: X² = Σ (x_i − e_i)² / e_i, D = X² / (n − 1). Under a
 * Poisson null X² ~ χ²(n − 1); p = P(χ² ≤ X²). Two expectations are tried — flat (w_i = 1, the
 * classical index of dispersion D = s²/x̄) and the scope's day profile (w_i = weekday weight ×
 * month-end / quarter-end / after-holiday factors, so a script that copies a regular Monday peak
 * is still "too steady") — and p = min(1, 2·min(p_flat, p_profile)) (Bonferroni over the two;
 * only p_flat when the profile is flat). D and the evidence are those of the expectation with
 * the smaller X². Human work is overdispersed (D > 1), so the Poisson null is conservative. A
 * constant series gives X² = 0 against the flat expectation and p = 0.
 *
 * Why both, and why not divide the counts by the weights (the method before): a unit's own
 * profile is estimated from noisy history, and dividing a constant series by noisy weights adds
 * their noise as variance (measured on the quality bench: a script posting 45–47 a day had
 * D ≈ 0.015 raw but 0.59 after division, and was missed); and against a profile expectation alone
 * a flat script is off by the profile's swings, which grow with its volume.
 *
 * Null hypothesis: the daily counts are at least as variable as independent Poisson counts
 * around a constant level, and around the level times the day profile.
 *
 * Scope and period: per org, and per actor (`actorLevel`, on by default: a single scripted
 * account inside a busy unit is diluted at unit level). Windows of `windowWeeks` ISO weeks
 * (Monday to Sunday, local time) starting every Monday, judged once they have ended. Tested days
 * = the window's working days (PRC calendar, 调休 included) between the scope's first and last
 * day with data, whose profile weight is > 0; zero-count days among them are kept (dropping them
 * would truncate the distribution and make every scope look steadier). The outcome's period is
 * the first to the last tested day. Overlapping windows of one scope that are all findings are
 * merged by the runner into one finding over their span (see `runDetectors`), so one scripted
 * stretch gives one finding per scope.
 *
 * Why sliding 4-week windows and not calendar months (the method before): a script of 5–8 weeks
 * rarely fills a calendar month, and the honest days mixed into a month's window dominate its
 * variance (measured: a script of 03-07..04-11 gave D = 2.18 for March and 4.20 for April, and
 * 4 of 7 scripts on the bench were missed). Any stretch of ≥ 5 weeks contains 4 whole ISO
 * weeks, so one window lies entirely inside it.
 *
 * Minimum sample (else no outcome): n ≥ 14 tested days and mean ≥ 3 (DETECTION.md; below a mean
 * of 3 the χ² approximation of the dispersion test is poor and Poisson counts are lumpy).
 *
 * Finding: q ≤ 0.001 and D ≤ 0.3 (DETECTION.md; strict, because steady work by a disciplined
 * team does exist — D ≤ 0.3 is far below what Poisson variation alone allows).
 *
 * Defaults and reasons: minDays 14, minMean 3, maxDispersion 0.3, qThreshold 0.001 (above);
 * windowWeeks 4 (about 20 working days: enough for the test, short enough to fit inside a
 * 5-week script; a week's step keeps the alignment loss under a week); actorLevel true (above);
 * retentionDays 400 (a year of windows plus profile history); calendar PRC 2024–2027;
 * utcOffsetMinutes 480. The day profile: the org's own (≥ 8 weeks of history), else its
 * platform's pooled profile, else flat; actors use their org's profile.
 *
 * Memory: per retained day a count per org and per actor active that day. Bound:
 * retentionDays × (orgs + actors active per day); no raw events are kept.
 */
import { type Calendar, PRC_CALENDAR } from '../calendar/calendar.js';
import { chooseDayProfile, type DayProfile, estimateDayProfile } from '../calendar/day-profile.js';
import { formatNumber, formatProbability } from '../format.js';
import { dayRange, orgKeyOf, pruneDays, RetentionWindow } from '../retention.js';
import { type DispersionTest, pearsonDispersion } from '../stats/dispersion.js';
import { DEFAULT_UTC_OFFSET_MINUTES, dayNumberToIso, isoWeekday, localDayNumber } from '../time.js';
import type { Detector, EvaluateContext, Localized, Scope, TestOutcome, TraceRecord } from '../types.js';
import { ActorIndex } from './support/actor-index.js';
import { sortByKey, UnitIndex } from './support/unit-index.js';

export interface UnderDispersionOptions {
  minDays: number;
  minMean: number;
  maxDispersion: number;
  qThreshold: number;
  windowWeeks: number;
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
  windowWeeks: 4,
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

/** A window of whole ISO weeks: local day numbers of its Monday and its last Sunday. */
interface Window {
  first: number;
  last: number;
}

/** The Monday on or before a local day. */
function mondayOf(day: number): number {
  return day - (isoWeekday(day) - 1);
}

function increment(days: Map<number, number>, day: number): void {
  days.set(day, (days.get(day) ?? 0) + 1);
}

/** Creates the under-dispersion detector (see the module comment for the method). */
export function createUnderDispersionDetector(options: Partial<UnderDispersionOptions> = {}): Detector {
  const o: UnderDispersionOptions = { ...UNDER_DISPERSION_DEFAULTS, ...options };
  if (!(Number.isInteger(o.windowWeeks) && o.windowWeeks >= 1))
    throw new RangeError(`windowWeeks must be a positive integer, got ${o.windowWeeks}`);
  const windowDays = 7 * o.windowWeeks;
  const retention = new RetentionWindow(o.retentionDays);
  const orgs = new UnitIndex<Counted>();
  const actors = new ActorIndex<Counted>();
  const newOrg = (platformId: string, orgId: string): Counted => ({ platformId, orgId, days: new Map() });

  function observe(r: TraceRecord): void {
    const day = localDayNumber(r.occurredAt, o.utcOffsetMinutes);
    if (!retention.admit(day, Math.max(day, localDayNumber(r.recordedAt, o.utcOffsetMinutes)))) return;
    const org = orgs.getOrAdd(r.platformId, r.orgId, newOrg);
    increment(org.days, day);
    if (!o.actorLevel) return;
    let actor = actors.get(r.platformId, r.orgId, r.actorId);
    if (actor === undefined) {
      actor = { platformId: r.platformId, orgId: r.orgId, actorId: r.actorId, days: new Map() };
      actors.add(r.platformId, r.orgId, r.actorId, actor);
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
    for (const [key, org] of orgs.inKeyOrder()) {
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
    // orgs and their actors in one order: an actor's key is its org's key, NUL, its id
    const actorEntries = [...actors.values()].map((a): [string, Counted] => [
      `${orgKeyOf(a.platformId, a.orgId)}\u0000${a.actorId}`,
      a,
    ]);
    const scopes = sortByKey([...orgs.inKeyOrder(), ...actorEntries]);
    for (const [, counted] of scopes) {
      const profile = byOrg.get(orgKeyOf(counted.platformId, counted.orgId));
      const span = dayRange(counted.days);
      if (!profile || !span) continue;
      // every window of whole weeks that overlaps the span, stepping by a week
      for (let first = mondayOf(span.first) - windowDays + 7; first <= span.last; first += 7) {
        const window = { first, last: first + windowDays - 1 };
        if (window.last > lastComplete) {
          // this and the later windows have not ended: not judged yet
          for (let f = first; f <= span.last; f += 7) {
            const period = { start: dayNumberToIso(f), end: dayNumberToIso(f + windowDays - 1) };
            ctx.onPending?.({ detector: 'under-dispersion', scope: scopeOf(counted), period });
          }
          break;
        }
        const outcome = testWindow(
          counted,
          profile,
          Math.max(window.first, span.first),
          Math.min(window.last, span.last),
          window,
        );
        if (outcome) outcomes.push(outcome);
      }
    }
    return outcomes;
  }

  function scopeOf(counted: Counted): Scope {
    return counted.actorId === undefined
      ? { kind: 'org', platformId: counted.platformId, orgId: counted.orgId }
      : { kind: 'actor', platformId: counted.platformId, orgId: counted.orgId, actorId: counted.actorId };
  }

  function testWindow(
    counted: Counted,
    profile: DayProfile,
    first: number,
    last: number,
    window: Window,
  ): TestOutcome | null {
    const days: number[] = [];
    for (let day = first; day <= last; day++)
      if (o.calendar.isWorkingDay(day) && profile.weight(day) > 0) days.push(day);
    const n = days.length;
    if (n < o.minDays) return null;
    const counts = days.map((day) => counted.days.get(day) ?? 0);
    const mean = counts.reduce((s, v) => s + v, 0) / n;
    if (mean < o.minMean) return null;
    const flat = pearsonDispersion(
      counts,
      days.map(() => 1),
    );
    if (!flat) return null;
    const profiled = profile.isFlat
      ? null
      : pearsonDispersion(
          counts,
          days.map((day) => profile.weight(day)),
        );
    const chosen: DispersionTest = profiled && profiled.chiSquare < flat.chiSquare ? profiled : flat;
    const model = chosen === flat ? 'flat' : 'profile';
    const pValue = profiled ? Math.min(1, 2 * Math.min(flat.lowerTailP, profiled.lowerTailP)) : flat.lowerTailP;
    const { dispersion, chiSquare, df } = chosen;
    const scope = scopeOf(counted);
    const who =
      counted.actorId === undefined
        ? { zh: `单位${counted.orgId}`, en: `Unit ${counted.orgId}` }
        : {
            zh: `单位${counted.orgId}的人员${counted.actorId}`,
            en: `Actor ${counted.actorId} of unit ${counted.orgId}`,
          };
    const period = { start: dayNumberToIso(days[0]!), end: dayNumberToIso(days.at(-1)!) };
    const explain = (q: number | null): Localized => {
      const stat = `${formatProbability('p', pValue)}, ${formatProbability('q', q)}`;
      const against =
        model === 'flat'
          ? { zh: '相对于恒定水平', en: 'against a constant level' }
          : {
              zh: '相对于按星期和月末等日历规律的期望',
              en: 'against the expectation from the weekly and calendar pattern',
            };
      const twoModels = profiled
        ? {
            zh: '（恒定水平与日历规律两种期望各检验一次，p已按2次检验校正）',
            en: ' (tested against a constant level and against the calendar pattern; p corrected for the two tests)',
          }
        : { zh: '', en: '' };
      return {
        'zh-CN':
          `${who.zh}在${period.start}至${period.end}的${n}个工作日里每天的活动数异常平稳：平均每天${formatNumber(mean)}条，` +
          `${against.zh}离散指数D=${formatNumber(dispersion, 2)}（随机到达的泊松计数D≈1，真实人工工作通常D>1）。` +
          `Pearson离散度下尾χ²检验（自由度${df}，χ²=${formatNumber(chiSquare, 2)}）${twoModels.zh}，${stat}。判定阈值：D≤${o.maxDispersion}且q≤${o.qThreshold}。`,
        en:
          `${who.en} had unusually steady daily activity over ${n} working days from ${period.start} to ${period.end}: ${formatNumber(mean)} per day on average, ` +
          `dispersion index D=${formatNumber(dispersion, 2)} ${against.en} (random Poisson arrivals give D≈1 and real human work usually D>1). ` +
          `Lower-tail Pearson χ² dispersion test (${df} df, χ²=${formatNumber(chiSquare, 2)})${twoModels.en}, ${stat}. A finding needs D≤${o.maxDispersion} and q≤${o.qThreshold}.`,
      };
    };
    const statistics: Record<string, number> = {
      days: n,
      mean,
      dispersion,
      chiSquare,
      df,
      dispersionFlat: flat.dispersion,
    };
    if (profiled) statistics.dispersionProfile = profiled.dispersion;
    return {
      detector: 'under-dispersion',
      rule: 'dispersion-index',
      scope,
      period,
      pValue,
      qThreshold: o.qThreshold,
      effectMet: dispersion <= o.maxDispersion,
      score: 1 - dispersion,
      statistics,
      evidence: {
        window: { start: dayNumberToIso(window.first), end: dayNumberToIso(window.last) },
        expectation: model,
        profileSource: profile.source,
        series: days.map((day, i) => ({
          day: dayNumberToIso(day),
          observed: counts[i]!,
          expected: Number(chosen.expected[i]!.toFixed(3)),
        })),
      },
      explain,
    };
  }

  return { name: 'under-dispersion', observe, evaluate };
}
