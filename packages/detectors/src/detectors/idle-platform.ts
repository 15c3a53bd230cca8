/**
 * idle platform (摆设) — a platform nobody really uses: its activity is near zero, staff-only,
 * or appears only just before evaluations.
 *
 * Per platform and calendar month (local days), over human traces (roles staff and public;
 * 'system' traces are automation and left out), the statistics are: traces T, distinct public
 * actors (MAU), mean daily distinct public actors (DAU) and DAU/MAU, the staff share of traces,
 * and the share of traces on evaluation pre-window days (the 7 days before the start of each
 * evaluation covering the whole platform) against the share of the month's days those windows
 * cover. Rules (score rules; thresholds are options, the finding says which rule fired):
 * - 'near-zero': T < 20 in a month between the platform's first and last observed month
 *   (a month with no trace at all counts); 20 traces a month is under one a working day.
 * - 'staff-only': staff share ≥ 95 % (T ≥ 20) — and the public's use is low in absolute terms
 *   and against a reference: fewer than 200 distinct public actors in the month (option
 *   minPublicActorsInUse; ~10 a working day: a platform with more is in use, whatever staff add
 *   on top — measured by an outside inspector: a platform with well over 1,000 public users was
 *   flagged for a 95.x % staff share), and its public share of traces at most 1/10 of the median
 *   public share of the other public-facing platforms in the same month, or at most 1/4 of its
 *   own median over the previous 3 months (≥ 20 traces each) — a platform far below comparable
 *   ones, or one whose public use collapsed. With neither reference (one platform, no history)
 *   the share and the absolute rule decide alone.
 * - 'few-public-actors': fewer than 5 distinct public actors in the month (T ≥ 20).
 * - 'evaluation-driven': ≥ 50 % of the month's traces on pre-window days and that share ≥ 2.5×
 *   the share of days the windows cover (T ≥ 20, windows cover some but not all days). A genuine
 *   campaign that quadruples steady use for 7 days of 30 reaches 55 % at 2.35×: not enough.
 * - 'low-dau-mau': DAU/MAU below a threshold; off by default (null), because on service
 *   platforms citizens genuinely come once a month (DAU/MAU ≈ 1/30) — set it for platforms
 *   meant for daily use.
 * Staff-facing platforms (option staffFacingPlatforms: a deployment declares its internal
 * platforms) are not judged on public use: no staff-only, few-public-actors or low-dau-mau;
 * near-zero and evaluation-driven still apply. They are not peers of public-facing ones either.
 * No p-values: traces are too clustered for a count test to mean what it says here.
 *
 * Memory: per platform and day two trace counts (staff, public; exact: the engine drops
 * replays, so every record is a distinct trace) and a distinct-count sketch of public actors,
 * per platform and month one more (public actors); each sketch keeps at most 2k hashes
 * (k = 1024 per day, 4096 per month): actor counts are exact up to k and estimated beyond with
 * a relative error of about 1/√k (3 % and 1.6 %). Per platform, a cache of public actors'
 * hashes (emptied at 100,000 actors). Months are judged once they have ended. Days older than
 * 400 (option retentionDays) before the latest day seen are dropped, and a month reaching back
 * past that cutoff is no longer judged.
 */
import type { Evaluation } from '@tracewatch/schema';
import { pruneDays, RetentionWindow } from '../retention.js';
import { DEFAULT_UTC_OFFSET_MINUTES, dayNumberToIso, isoToDayNumber, localDayNumber } from '../time.js';
import type { Detector, EvaluateContext, Scope, TestOutcome, TraceRecord } from '../types.js';
import { DistinctCounter } from './support/distinct-count.js';
import { num, pct } from './support/format.js';
import { hash53 } from './support/hash.js';
import {
  daysInMonth,
  endedElsePending,
  monthOfDay,
  monthPeriod,
  nextMonth,
  previousMonth,
  startsBefore,
} from './support/periods.js';

export interface IdlePlatformOptions {
  /** near-zero fires below this many human traces in a month. */
  minMonthlyTraces: number;
  /** staff-only fires at or above this staff share. */
  maxStaffShare: number;
  /** few-public-actors fires below this many distinct public actors. */
  minPublicActors: number;
  /** staff-only never fires with at least this many distinct public actors in the month. */
  minPublicActorsInUse: number;
  /** staff-only: public share at most this fraction of the peers' median public share … */
  maxPublicShareVsPeers: number;
  /** … or at most this fraction of the platform's own median over its previous months. */
  maxPublicShareVsHistory: number;
  /** Previous months (with ≥ minMonthlyTraces traces) in the platform's own reference. */
  historyMonths: number;
  /** Platforms declared staff-facing (internal): not judged on public use. */
  staffFacingPlatforms: readonly string[];
  /** evaluation-driven: at least this share of traces on pre-window days … */
  minWindowTraceShare: number;
  /** … and at least this multiple of the share of days the windows cover. */
  minWindowConcentration: number;
  /** Pre-window length in days before an evaluation's start. */
  preWindowDays: number;
  /** low-dau-mau fires below this; null = rule off. */
  maxDauMau: number | null;
  /** Sketch size per platform-day (exact distinct public actors up to this many per day). */
  dailySketchSize: number;
  /** Sketch size per platform-month for distinct public actors. */
  monthlySketchSize: number;
  /**
   * Days of history kept before the latest day seen; older records are dropped, which bounds
   * memory over time (400: a year of months plus their baselines, as in the other detectors).
   */
  retentionDays: number;
  /** Local time as minutes east of UTC (480: Asia/Shanghai, UTC+8 without daylight saving since 1991). */
  utcOffsetMinutes: number;
}

export const DEFAULT_IDLE_PLATFORM_OPTIONS: IdlePlatformOptions = {
  minMonthlyTraces: 20,
  maxStaffShare: 0.95,
  minPublicActors: 5,
  minPublicActorsInUse: 200,
  maxPublicShareVsPeers: 0.1,
  maxPublicShareVsHistory: 0.25,
  historyMonths: 3,
  staffFacingPlatforms: [],
  minWindowTraceShare: 0.5,
  minWindowConcentration: 2.5,
  preWindowDays: 7,
  maxDauMau: null,
  dailySketchSize: 1024,
  monthlySketchSize: 4096,
  retentionDays: 400,
  utcOffsetMinutes: DEFAULT_UTC_OFFSET_MINUTES,
};

interface DayState {
  staffTraces: number;
  publicTraces: number;
  publicActors: DistinctCounter;
}

interface PlatformState {
  days: Map<number, DayState>;
  monthlyPublicActors: Map<string, DistinctCounter>;
  /** Cache: org → actor → hash53 of JSON [org, actor], the key the actor sketches count. */
  actorHashes: Map<string, Map<string, number>>;
  /** Actors in actorHashes (the cache is emptied at ACTOR_CACHE_LIMIT, bounding memory). */
  cachedActors: number;
  /** First and last local day of the platform's admitted traces. */
  firstDay: number;
  lastDay: number;
  /** Whether a trace was dropped for being older than the retention window. */
  reachesBack: boolean;
}

/** The statistics of one platform-month. */
export interface PlatformMonthStatistics {
  traces: number;
  staffTraces: number;
  publicTraces: number;
  publicActors: number;
  meanDailyPublicActors: number;
  dauMau: number;
  staffShare: number;
  windowDays: number;
  windowDayShare: number;
  windowTraceShare: number;
}

/**
 * Local days (numbers) inside the pre-windows of the evaluations that cover a whole platform:
 * the `length` days before each evaluation's first day.
 *
 * @returns a set of local day numbers (empty when no evaluation applies).
 */
export function preWindowDays(
  evaluations: readonly Evaluation[],
  platformId: string,
  length: number,
  offsetMinutes: number,
): Set<number> {
  const days = new Set<number>();
  for (const e of evaluations) {
    if (e.orgId !== undefined) continue; // an evaluation of one org says nothing about the platform's use
    if (e.platformId !== undefined && e.platformId !== platformId) continue;
    const start = localDayNumber(Date.parse(e.start), offsetMinutes);
    for (let d = start - length; d < start; d++) days.add(d);
  }
  return days;
}

const DETECTOR = 'idle-platform' as const;

/** Actor hashes cached per platform before the cache is emptied (~10 MB at most). */
const ACTOR_CACHE_LIMIT = 100_000;

export function createIdlePlatformDetector(options: Partial<IdlePlatformOptions> = {}): Detector {
  const opts = { ...DEFAULT_IDLE_PLATFORM_OPTIONS, ...options };
  const platforms = new Map<string, PlatformState>();
  const retention = new RetentionWindow(opts.retentionDays);

  function observe(record: TraceRecord): void {
    if (record.actorRole === 'system') return;
    const day = localDayNumber(record.occurredAt, opts.utcOffsetMinutes);
    let platform = platforms.get(record.platformId);
    if (platform === undefined) {
      platform = {
        days: new Map(),
        monthlyPublicActors: new Map(),
        actorHashes: new Map(),
        cachedActors: 0,
        firstDay: day,
        lastDay: day,
        reachesBack: false,
      };
      platforms.set(record.platformId, platform);
    }
    if (!retention.admit(day)) {
      platform.reachesBack = true;
      return;
    }
    if (day < platform.firstDay) platform.firstDay = day;
    if (day > platform.lastDay) platform.lastDay = day;
    let state = platform.days.get(day);
    if (state === undefined) {
      state = { staffTraces: 0, publicTraces: 0, publicActors: new DistinctCounter(opts.dailySketchSize) };
      platform.days.set(day, state);
    }
    if (record.actorRole === 'staff') {
      state.staffTraces++;
      return;
    }
    state.publicTraces++;
    const actor = actorHash(platform, record.orgId, record.actorId);
    state.publicActors.addHash(actor);
    const month = monthOfDay(day);
    let monthly = platform.monthlyPublicActors.get(month);
    if (monthly === undefined) {
      monthly = new DistinctCounter(opts.monthlySketchSize);
      platform.monthlyPublicActors.set(month, monthly);
    }
    monthly.addHash(actor);
  }

  /** The actor's sketch key, hashed once per actor rather than once per trace. */
  function actorHash(platform: PlatformState, orgId: string, actorId: string): number {
    if (platform.cachedActors >= ACTOR_CACHE_LIMIT) {
      platform.actorHashes.clear();
      platform.cachedActors = 0;
    }
    let actors = platform.actorHashes.get(orgId);
    if (actors === undefined) {
      actors = new Map();
      platform.actorHashes.set(orgId, actors);
    }
    let hash = actors.get(actorId);
    if (hash === undefined) {
      hash = hash53(JSON.stringify([orgId, actorId]));
      actors.set(actorId, hash);
      platform.cachedActors++;
    }
    return hash;
  }

  function monthStatistics(
    platform: PlatformState,
    month: string,
    windowDays: ReadonlySet<number>,
  ): { stats: PlatformMonthStatistics; estimated: boolean } {
    const first = isoToDayNumber(`${month}-01`);
    const length = daysInMonth(month);
    let staff = 0;
    let pub = 0;
    let inWindow = 0;
    let dailyActors = 0;
    let covered = 0;
    let estimated = false;
    for (let d = first; d < first + length; d++) {
      if (windowDays.has(d)) covered++;
      const state = platform.days.get(d);
      if (state === undefined) continue;
      const s = state.staffTraces;
      const p = state.publicTraces;
      staff += s;
      pub += p;
      dailyActors += state.publicActors.count();
      if (windowDays.has(d)) inWindow += s + p;
      estimated ||= !state.publicActors.exact;
    }
    const monthly = platform.monthlyPublicActors.get(month);
    const mau = monthly?.count() ?? 0;
    estimated ||= monthly !== undefined && !monthly.exact;
    const traces = staff + pub;
    const meanDaily = dailyActors / length;
    return {
      stats: {
        traces,
        staffTraces: staff,
        publicTraces: pub,
        publicActors: mau,
        meanDailyPublicActors: meanDaily,
        dauMau: mau > 0 ? meanDaily / mau : 0,
        staffShare: traces > 0 ? staff / traces : 0,
        windowDays: covered,
        windowDayShare: covered / length,
        windowTraceShare: traces > 0 ? inWindow / traces : 0,
      },
      estimated,
    };
  }

  const staffFacing = new Set(opts.staffFacingPlatforms);

  function evaluate(ctx: EvaluateContext): TestOutcome[] {
    const outcomes: TestOutcome[] = [];
    const cutoff = retention.cutoff();
    for (const platform of platforms.values()) {
      pruneDays(platform.days, cutoff);
      for (const month of platform.monthlyPublicActors.keys()) {
        if (isoToDayNumber(monthPeriod(month).end) < cutoff) platform.monthlyPublicActors.delete(month);
      }
    }
    const windowsOf = new Map<string, Set<number>>();
    const windowsFor = (platformId: string) => {
      let w = windowsOf.get(platformId);
      if (w === undefined) {
        w = preWindowDays(ctx.evaluations, platformId, opts.preWindowDays, opts.utcOffsetMinutes);
        windowsOf.set(platformId, w);
      }
      return w;
    };
    /** Public share of a platform-month with ≥ minMonthlyTraces traces wholly inside retention, else null. */
    const publicShareOf = (platformId: string, month: string): number | null => {
      if (startsBefore(monthPeriod(month), cutoff)) return null;
      const { stats } = monthStatistics(platforms.get(platformId)!, month, windowsFor(platformId));
      return stats.traces >= opts.minMonthlyTraces ? stats.publicTraces / stats.traces : null;
    };
    /** Median public share of the other public-facing platforms in the month; null without any. */
    const peerShare = (platformId: string, month: string): number | null =>
      median(
        [...platforms.keys()]
          .filter((id) => id !== platformId && !staffFacing.has(id))
          .map((id) => publicShareOf(id, month))
          .filter((v): v is number => v !== null),
      );
    /** Median public share of the platform's previous months (up to historyMonths with data). */
    const historyShare = (platformId: string, month: string, firstMonth: string): number | null => {
      const shares: number[] = [];
      for (let m = previousMonth(month); m >= firstMonth && shares.length < opts.historyMonths; m = previousMonth(m)) {
        const share = publicShareOf(platformId, m);
        if (share !== null) shares.push(share);
      }
      return median(shares);
    };
    for (const platformId of [...platforms.keys()].sort()) {
      const platform = platforms.get(platformId)!;
      // The platform existed from its first trace — or from the cutoff, when older traces were
      // seen (kept or dropped); either way the same whatever the order of arrival.
      const first = platform.reachesBack || platform.firstDay < cutoff ? cutoff : platform.firstDay;
      if (platform.lastDay < first) continue;
      const windows = windowsFor(platformId);
      const last = monthOfDay(platform.lastDay);
      for (let month = monthOfDay(first); month <= last; month = nextMonth(month)) {
        const period = monthPeriod(month);
        const scope: Scope = { kind: 'platform', platformId };
        if (startsBefore(period, cutoff) || !endedElsePending(ctx, DETECTOR, scope, period, opts.utcOffsetMinutes)) {
          continue;
        }
        const { stats, estimated } = monthStatistics(platform, month, windows);
        const windowList = [...windows]
          .filter((d) => dayNumberToIso(d).startsWith(month))
          .sort((a, b) => a - b)
          .map(dayNumberToIso);
        const make = (
          rule: string,
          effectMet: boolean,
          score: number,
          text: { zh: string; en: string },
        ): TestOutcome => ({
          detector: DETECTOR,
          rule,
          scope,
          period,
          pValue: null,
          qThreshold: 1,
          effectMet,
          score,
          statistics: { ...stats },
          evidence: { estimated, preWindowDays: windowList },
          explain: () => ({ 'zh-CN': `${text.zh}${summary(stats).zh}`, en: `${text.en} ${summary(stats).en}` }),
        });
        outcomes.push(
          make('near-zero', stats.traces < opts.minMonthlyTraces, opts.minMonthlyTraces / Math.max(stats.traces, 1), {
            zh: `平台活跃度检查（近乎无人使用）：平台 ${platformId} 在 ${month} 仅有 ${stats.traces} 条人工操作记录，阈值为每月 ${opts.minMonthlyTraces} 条（不到每个工作日一条）。`,
            en: `Platform activity check (near zero): platform ${platformId} had ${stats.traces} human traces in ${month}; the threshold is ${opts.minMonthlyTraces} a month (under one per working day).`,
          }),
        );
        if (stats.traces < opts.minMonthlyTraces) continue;
        if (!staffFacing.has(platformId)) {
          const publicShare = stats.publicTraces / stats.traces;
          const peers = peerShare(platformId, month);
          const history = historyShare(platformId, month, monthOfDay(first));
          const belowPeers = peers !== null && publicShare <= opts.maxPublicShareVsPeers * peers;
          const belowHistory = history !== null && publicShare <= opts.maxPublicShareVsHistory * history;
          const reference = (peers === null && history === null) || belowPeers || belowHistory;
          const staffOnly = make(
            'staff-only',
            stats.staffShare >= opts.maxStaffShare && stats.publicActors < opts.minPublicActorsInUse && reference,
            stats.staffShare,
            {
              zh:
                `平台使用者构成检查（只有工作人员在用）：平台 ${platformId} 在 ${month} 的记录中 ${pct(stats.staffShare)} 来自工作人员（阈值 ${pct(opts.maxStaffShare, 0)}），` +
                `群众账号 ${stats.publicActors} 个（不少于 ${opts.minPublicActorsInUse} 个即视为在用）；群众记录占比 ${pct(publicShare)}，` +
                `同类平台中位数 ${peers === null ? '无' : pct(peers)}，本平台此前中位数 ${history === null ? '无' : pct(history)}` +
                `（低于前者的 ${pct(opts.maxPublicShareVsPeers, 0)} 或后者的 ${pct(opts.maxPublicShareVsHistory, 0)} 才算偏低）。面向群众的平台应有相当部分来自群众。`,
              en:
                `Who uses the platform (staff only): ${pct(stats.staffShare)} of platform ${platformId}'s traces in ${month} came ` +
                `from staff (threshold ${pct(opts.maxStaffShare, 0)}), from ${stats.publicActors} public actors (${opts.minPublicActorsInUse} ` +
                `or more count as in use); the public's share, ${pct(publicShare)}, against the median of comparable platforms ` +
                `${peers === null ? '(none)' : pct(peers)} and the platform's own earlier median ${history === null ? '(none)' : pct(history)} ` +
                `(low means at most ${pct(opts.maxPublicShareVsPeers, 0)} of the first or ${pct(opts.maxPublicShareVsHistory, 0)} of the second). ` +
                `A platform for the public should see a real part of its use from the public.`,
            },
          );
          staffOnly.statistics.peerPublicShare = peers ?? Number.NaN;
          staffOnly.statistics.historyPublicShare = history ?? Number.NaN;
          outcomes.push(staffOnly);
        }
        // staff-facing platforms are not judged on public use
        if (!staffFacing.has(platformId)) {
          outcomes.push(
            make(
              'few-public-actors',
              stats.publicActors < opts.minPublicActors,
              opts.minPublicActors / Math.max(stats.publicActors, 1),
              {
                zh: `群众用户数检查：平台 ${platformId} 在 ${month} 只有 ${stats.publicActors} 个不同的群众账号，阈值为 ${opts.minPublicActors} 个。`,
                en: `Public users check: platform ${platformId} had ${stats.publicActors} distinct public actors in ${month}; the threshold is ${opts.minPublicActors}.`,
              },
            ),
          );
        }
        if (stats.windowDays > 0 && stats.windowDayShare < 1) {
          const concentration = stats.windowTraceShare / stats.windowDayShare;
          outcomes.push(
            make(
              'evaluation-driven',
              stats.windowTraceShare >= opts.minWindowTraceShare && concentration >= opts.minWindowConcentration,
              concentration,
              {
                zh: `考核前集中使用检查：平台 ${platformId} 在 ${month} 的记录中 ${pct(stats.windowTraceShare)} 落在考核前 ${opts.preWindowDays} 天内，这些天只占当月的 ${pct(stats.windowDayShare)}（集中度 ${num(concentration)} 倍；阈值为至少 ${pct(opts.minWindowTraceShare, 0)} 且 ${opts.minWindowConcentration} 倍）。日常在用的平台，使用量不会只出现在考核前。`,
                en: `Use only before evaluations: ${pct(stats.windowTraceShare)} of platform ${platformId}'s traces in ${month} fell in the ${opts.preWindowDays} days before an evaluation, days that are ${pct(stats.windowDayShare)} of the month (${num(concentration)}× concentration; the rule needs ${pct(opts.minWindowTraceShare, 0)} and ${opts.minWindowConcentration}×). A platform in daily use is not used only before evaluations.`,
              },
            ),
          );
        }
        if (opts.maxDauMau !== null && stats.publicActors > 0 && !staffFacing.has(platformId)) {
          outcomes.push(
            make('low-dau-mau', stats.dauMau < opts.maxDauMau, opts.maxDauMau / Math.max(stats.dauMau, 1e-9), {
              zh: `用户黏性检查（日活/月活）：平台 ${platformId} 在 ${month} 的日活/月活为 ${num(stats.dauMau)}，阈值为 ${opts.maxDauMau}。`,
              en: `Stickiness check (DAU/MAU): platform ${platformId} had DAU/MAU ${num(stats.dauMau)} in ${month}; the threshold is ${opts.maxDauMau}.`,
            }),
          );
        }
      }
    }
    return outcomes;
  }

  return { name: DETECTOR, observe, evaluate };
}

function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function summary(s: PlatformMonthStatistics): { zh: string; en: string } {
  return {
    zh: `（当月：人工记录 ${s.traces} 条，工作人员占 ${pct(s.staffShare)}，群众账号 ${s.publicActors} 个，日活/月活 ${num(s.dauMau)}。）`,
    en: `(Month: ${s.traces} human traces, ${pct(s.staffShare)} by staff, ${s.publicActors} public actors, DAU/MAU ${num(s.dauMau)}.)`,
  };
}
