/**
 * presence only (只留痕) — traces kept for their own sake: a unit whose staff traces are mostly
 * presence (log-ins, views, check-ins) with few substantive actions (cases closed, forms filed,
 * reports submitted), against its own history and its peers.
 *
 * Action classes are configuration: an action is presence when the last word of its dotted name
 * is in `presenceWords` (default login, logout, view, checkin, check_in, browse, open — e.g.
 * `login`, `doc.view`, `site.checkin`); every other staff action is substantive. Public and
 * system traces are left out (the question is what the unit's own staff do).
 *
 * Rule 'presence-share' (org scope, per calendar month, local days): b of n staff traces are
 * presence. H0: the unit's presence share is no higher than its reference p0 = the larger of its
 * own share over its previous 3 months (≥ 100 traces in all) and the pooled share of the
 * platform's other units in the same month (≥ 100 traces), each Beta(1,1)-smoothed; with neither,
 * not tested. Staff traces come in clumps (sessions open with a log-in, a day of reading), so the
 * test is quasi-binomial, as in backfill: φ = Pearson χ²/df of the reference groups (the unit's
 * previous months and the peers' months; floor 1), p = P(B ≥ b/φ) for B ~ Binomial(n/φ, p0)
 * (Beta-function tail). Finding when q ≤ 0.01 (BH over the detector's outcomes), the presence
 * share is ≥ 0.8 and the substantive share is at most half the reference's: 1 − b/n ≤ 0.5·(1 − p0)
 * — and, when the unit has its own history, the substantive actions themselves fell to at most
 * half its mean month of that history (n − b ≤ 0.5·mean(n_i − b_i)). A share rises when presence
 * is added as well as when work is dropped: a month of mandatory online study (staff reading
 * course pages 3–4× as often as they work, work unchanged) reaches a presence share of 0.8 while
 * every case is still closed — "few substantive actions" is a count, not only a share
 * (simulator hard negative `training-month`). Without own history (a new unit, peers only) only
 * the shares are judged.
 * Minimum sample: n ≥ 100 staff traces in the month.
 *
 * Memory: per platform, org and month two counts (presence, substantive). Months are judged once
 * they have ended. Counts older than 400 days (option retentionDays) before the latest day seen
 * are dropped, and a month reaching back past that cutoff is no longer judged.
 */
import { RetentionWindow } from '../retention.js';
import { type BinomialGroup, binomialOverdispersion, quasiBinomialSf } from '../stats/index.js';
import { DEFAULT_UTC_OFFSET_MINUTES, isoToDayNumber, localDayNumber } from '../time.js';
import type { Detector, EvaluateContext, Scope, TestOutcome, TraceRecord } from '../types.js';
import { num, pct, prob, qSuffix } from './support/format.js';
import { endedElsePending, monthOfDay, monthPeriod, previousMonth, startsBefore } from './support/periods.js';

export interface PresenceOnlyOptions {
  /** Last words of dotted action names that are presence, not substance. */
  presenceWords: readonly string[];
  /** Minimum staff traces of the unit in the month. */
  minTraces: number;
  /** Minimum traces in a reference (the unit's previous months, or the peers' month). */
  minReference: number;
  /** Previous months in the unit's own reference. */
  historyMonths: number;
  /** Effect: presence share at least this … */
  minPresenceShare: number;
  /** … and the substantive share at most this fraction of the reference's (and, with own history, the substantive count at most this fraction of its usual month). */
  maxSubstantiveRatio: number;
  /** q-value level (0.01, as burst and backfill). */
  qThreshold: number;
  /** Days of history kept before the latest day seen (400, as the other detectors). */
  retentionDays: number;
  /** Local time as minutes east of UTC (480: Asia/Shanghai). */
  utcOffsetMinutes: number;
}

export const DEFAULT_PRESENCE_ONLY_OPTIONS: PresenceOnlyOptions = {
  presenceWords: ['login', 'logout', 'view', 'checkin', 'check_in', 'browse', 'open'],
  minTraces: 100,
  minReference: 100,
  historyMonths: 3,
  minPresenceShare: 0.8,
  maxSubstantiveRatio: 0.5,
  qThreshold: 0.01,
  retentionDays: 400,
  utcOffsetMinutes: DEFAULT_UTC_OFFSET_MINUTES,
};

/** Whether an action is presence: the last word of its dotted name is one of `words`. */
export function isPresence(action: string, words: ReadonlySet<string>): boolean {
  return words.has(action.slice(action.lastIndexOf('.') + 1));
}

interface MonthCounts {
  /** Presence traces (b) and all staff traces (n). */
  b: number;
  n: number;
}

const DETECTOR = 'presence-only' as const;

const smoothed = (g: MonthCounts) => (g.b + 1) / (g.n + 2);

export function createPresenceOnlyDetector(options: Partial<PresenceOnlyOptions> = {}): Detector {
  const opts = { ...DEFAULT_PRESENCE_ONLY_OPTIONS, ...options };
  const words = new Set(opts.presenceWords);
  /** platform → org → month → counts. */
  const platforms = new Map<string, Map<string, Map<string, MonthCounts>>>();
  const retention = new RetentionWindow(opts.retentionDays);

  function observe(record: TraceRecord): void {
    if (record.actorRole !== 'staff') return;
    const day = localDayNumber(record.occurredAt, opts.utcOffsetMinutes);
    if (!retention.admit(day)) return;
    let orgs = platforms.get(record.platformId);
    if (orgs === undefined) {
      orgs = new Map();
      platforms.set(record.platformId, orgs);
    }
    let months = orgs.get(record.orgId);
    if (months === undefined) {
      months = new Map();
      orgs.set(record.orgId, months);
    }
    const month = monthOfDay(day);
    const counts = months.get(month) ?? { b: 0, n: 0 };
    counts.n++;
    if (isPresence(record.action, words)) counts.b++;
    months.set(month, counts);
  }

  function evaluate(ctx: EvaluateContext): TestOutcome[] {
    const outcomes: TestOutcome[] = [];
    const cutoff = retention.cutoff();
    const judged = (month: string) => !startsBefore(monthPeriod(month), cutoff);
    for (const platformId of [...platforms.keys()].sort()) {
      const orgs = platforms.get(platformId)!;
      for (const months of orgs.values()) {
        for (const month of [...months.keys()]) {
          if (isoToDayNumber(monthPeriod(month).end) < cutoff) months.delete(month); // older than retention
        }
      }
      for (const orgId of [...orgs.keys()].sort()) {
        const months = orgs.get(orgId)!;
        for (const month of [...months.keys()].sort()) {
          const own = months.get(month)!;
          const period = monthPeriod(month);
          const scope: Scope = { kind: 'org', platformId, orgId };
          if (!judged(month) || own.n < opts.minTraces) continue;
          if (!endedElsePending(ctx, DETECTOR, scope, period, opts.utcOffsetMinutes)) continue;
          // own history: the previous months with data, inside retention
          const history: BinomialGroup[] = [];
          for (let m = previousMonth(month), k = 0; k < opts.historyMonths; m = previousMonth(m), k++) {
            const c = months.get(m);
            if (c !== undefined && judged(m)) history.push(c);
          }
          const peers: BinomialGroup[] = [];
          for (const [peerId, peerMonths] of orgs) {
            const c = peerMonths.get(month);
            if (peerId !== orgId && c !== undefined) peers.push(c);
          }
          const pool = (groups: readonly BinomialGroup[]) =>
            groups.reduce((s, g) => ({ b: s.b + g.b, n: s.n + g.n }), { b: 0, n: 0 });
          const ownHistory = pool(history);
          const peerMonth = pool(peers);
          const references = [
            ...(ownHistory.n >= opts.minReference ? [{ ...ownHistory, source: 'own-history' as const }] : []),
            ...(peerMonth.n >= opts.minReference ? [{ ...peerMonth, source: 'peers-same-month' as const }] : []),
          ];
          if (references.length === 0) continue;
          const reference = references.reduce((a, r) => (smoothed(r) > smoothed(a) ? r : a));
          const p0 = smoothed(reference);
          const groups = [...history, ...peers];
          const dispersion = binomialOverdispersion(groups);
          const phi = Number.isFinite(dispersion.phi) ? Math.max(1, dispersion.phi) : 1;
          const pValue = quasiBinomialSf(own.b, own.n, p0, phi);
          const share = own.b / own.n;
          const substantive = own.n - own.b;
          const usualSubstantive =
            ownHistory.n >= opts.minReference ? (ownHistory.n - ownHistory.b) / history.length : null;
          const workFell = usualSubstantive === null || substantive <= opts.maxSubstantiveRatio * usualSubstantive;
          outcomes.push({
            detector: DETECTOR,
            rule: 'presence-share',
            scope,
            period,
            pValue,
            qThreshold: opts.qThreshold,
            effectMet: share >= opts.minPresenceShare && 1 - share <= opts.maxSubstantiveRatio * (1 - p0) && workFell,
            score: (1 - p0) / Math.max(1 - share, 1e-9),
            statistics: {
              n: own.n,
              presence: own.b,
              share,
              referenceShare: p0,
              referenceTraces: reference.n,
              phi,
              substantive,
              ...(usualSubstantive === null ? {} : { usualSubstantivePerMonth: usualSubstantive }),
            },
            evidence: { reference: reference.source, presenceWords: [...opts.presenceWords] },
            explain: (q) => {
              const qs = qSuffix(q);
              const zhRef = reference.source === 'own-history' ? '该单位此前几个月' : '同平台其他单位当月';
              const enRef =
                reference.source === 'own-history'
                  ? "the unit's previous months"
                  : "the platform's other units that month";
              return {
                'zh-CN':
                  `只留痕检查（拟二项检验，离散度 φ = ${num(phi)}）：单位 ${orgId} 在 ${period.start} 至 ${period.end} 的 ${own.n} 条工作人员记录中，` +
                  `${own.b} 条（${pct(share)}）只是登录、浏览、签到等留痕操作，实质办理只占 ${pct(1 - share)}；对照${zhRef}的留痕占比 ${pct(p0)}。` +
                  `p = ${prob(pValue)}${qs.zh}。${usualSubstantive === null ? '' : `实质办理 ${substantive} 条，此前每月平均 ${num(usualSubstantive)} 条。`}正常工作中留痕操作伴随办件、填报等实际工作。`,
                en:
                  `Traces for their own sake (quasi-binomial test, dispersion φ = ${num(phi)}): of ${own.n} staff traces of unit ${orgId} ` +
                  `from ${period.start} to ${period.end}, ${own.b} (${pct(share)}) are presence only (log-ins, views, check-ins) and ` +
                  `${pct(1 - share)} substantive, against a presence share of ${pct(p0)} in ${enRef}. p = ${prob(pValue)}${qs.en}. ` +
                  (usualSubstantive === null
                    ? ''
                    : `${substantive} substantive actions, against ${num(usualSubstantive)} in its average previous month. `) +
                  `In real work, presence comes with cases closed, forms filed and reports submitted.`,
              };
            },
          });
        }
      }
    }
    return outcomes;
  }

  return { name: DETECTOR, observe, evaluate };
}
