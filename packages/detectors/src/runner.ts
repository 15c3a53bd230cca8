/**
 * Turns the outcomes of a detection run into findings: multiple-testing control per detector,
 * the finding rule, merging of overlapping sliding windows, severity, corroboration across
 * detectors, explanations and fingerprints.
 */
import { fingerprint, scopeKey } from './fingerprint.js';
import { benjaminiHochberg } from './stats/benjamini-hochberg.js';
import { benjaminiYekutieli } from './stats/benjamini-yekutieli.js';
import {
  DETECTOR_NAMES,
  type Detector,
  type DetectorName,
  type EvaluateContext,
  type Finding,
  type Scope,
  type TestOutcome,
} from './types.js';

export interface RunOptions {
  /**
   * 'bh' (default): Benjamini–Hochberg over each detector's p-values; 'by': Benjamini–Yekutieli,
   * valid under any dependence (for heavily overlapping tests), at the cost of power.
   */
  method: 'bh' | 'by';
  /** q-values this many times below the threshold make a finding critical (DETECTION.md: 100). */
  criticalFactor: number;
  /**
   * Called when a detector throws; the run goes on without it. Without a handler the error
   * propagates (a detector bug should not be silent).
   */
  onDetectorError?: (detector: DetectorName, error: unknown) => void;
  /**
   * Detectors that test overlapping sliding windows (under-dispersion: 4-week windows stepping by
   * a week). Their findings with the same rule and scope whose periods overlap are one finding
   * (see `mergeOverlapping`), so one scripted stretch is reported once, not once per window.
   */
  mergeOverlapping: readonly DetectorName[];
}

export const RUN_DEFAULTS: RunOptions = {
  method: 'bh',
  criticalFactor: 100,
  mergeOverlapping: ['under-dispersion'],
};

/** A p-value the multiple-testing step can use: NaN counts as 1 (no evidence), clamped to [0, 1]. */
function sanitizeP(p: number): number {
  if (Number.isNaN(p)) return 1;
  return Math.min(1, Math.max(0, p));
}

/** q-values per outcome (null for score rules), BH or BY over the outcomes that have a p-value. */
function qValuesOf(outcomes: readonly TestOutcome[], method: RunOptions['method']): (number | null)[] {
  const tested = outcomes.flatMap((o, i) => (o.pValue === null ? [] : [i]));
  const adjust = method === 'by' ? benjaminiYekutieli : benjaminiHochberg;
  const q = adjust(tested.map((i) => sanitizeP(outcomes[i]!.pValue!)));
  const result: (number | null)[] = outcomes.map(() => null);
  tested.forEach((index, k) => {
    result[index] = q[k]!;
  });
  return result;
}

/** The unit a scope belongs to, for corroboration: actors count for their org. */
function unitKey(scope: Scope): string {
  return scope.kind === 'platform'
    ? JSON.stringify(['platform', scope.platformId])
    : JSON.stringify(['org', scope.platformId, scope.orgId ?? '']);
}

function overlaps(a: Finding, b: Finding): boolean {
  return a.period.start <= b.period.end && b.period.start <= a.period.end;
}

/**
 * Merges chains of overlapping findings of one detector, rule and scope into one finding per
 * contiguous span. The merged finding carries the strongest window (smallest p, then the
 * earliest) — its statistics, p, q, score and explanation — with the period widened to the span,
 * the severity of the most severe window, and `evidence.span` listing every window. Its
 * fingerprint is that of the span's *first* window, so a span that grows at its end as new
 * windows are judged keeps its identity (replays update it); only a span that gains an earlier
 * window (e.g. after more data lowered that window's q) gets a new one.
 *
 * @returns the findings, merged ones in place of their windows (input order otherwise kept).
 */
export function mergeOverlapping(findings: readonly Finding[]): Finding[] {
  const groups = new Map<string, Finding[]>();
  for (const f of findings) {
    const key = JSON.stringify([f.detector, f.rule, scopeKey(f.scope)]);
    groups.set(key, [...(groups.get(key) ?? []), f]);
  }
  const merged: Finding[] = [];
  for (const group of groups.values()) {
    group.sort((a, b) => (a.period.start < b.period.start ? -1 : a.period.start > b.period.start ? 1 : 0));
    let chain: Finding[] = [];
    let chainEnd = '';
    for (const f of group) {
      if (chain.length > 0 && f.period.start > chainEnd) {
        merged.push(mergeChain(chain));
        chain = [];
      }
      chain.push(f);
      if (chain.length === 1 || f.period.end > chainEnd) chainEnd = f.period.end;
    }
    if (chain.length > 0) merged.push(mergeChain(chain));
  }
  return merged;
}

/** One finding for a chain of overlapping findings sorted by start (see mergeOverlapping). */
function mergeChain(chain: readonly Finding[]): Finding {
  if (chain.length === 1) return chain[0]!;
  const first = chain[0]!;
  let strongest = first;
  let end = first.period.end;
  for (const f of chain) {
    if (sanitizeP(f.pValue ?? 1) < sanitizeP(strongest.pValue ?? 1)) strongest = f;
    if (f.period.end > end) end = f.period.end;
  }
  const period = { start: first.period.start, end };
  const k = chain.length;
  return {
    ...strongest,
    fingerprint: fingerprint(first.detector, first.rule, first.scope, first.period),
    period,
    statistics: { ...strongest.statistics, windows: k },
    severity: chain.some((f) => f.severity === 'critical') ? 'critical' : 'warning',
    evidence: {
      ...strongest.evidence,
      span: {
        period,
        strongest: strongest.period,
        windows: chain.map((f) => ({ period: f.period, pValue: f.pValue, qValue: f.qValue })),
      },
    },
    explanation: {
      'zh-CN': `${strongest.explanation['zh-CN']}从${period.start}至${period.end}共有${k}个相互重叠的窗口达到判定标准，以上为其中最显著的一个。`,
      en: `${strongest.explanation.en} ${k} overlapping windows from ${period.start} to ${period.end} met the rule; the strongest is described above.`,
    },
  };
}

/**
 * The closed-window test that confirms an early warning, by detector. A warning and its
 * confirmation are one question asked twice, so they never corroborate each other.
 */
const CONFIRMED_BY: Partial<Record<DetectorName, DetectorName>> = { 'burst-rising': 'burst-before-evaluation' };

const samePeriod = (a: Finding, b: Finding) => a.period.start === b.period.start && a.period.end === b.period.end;

/**
 * Early warnings (burst-rising) whose window has closed (`evidence.windowClosed`) are kept only
 * when the closed-window test has a finding on the same scope and window (same period: both use
 * the evaluation's pre-window): then they carry `evidence.confirmedBy` = that finding's
 * fingerprint, its severity when higher, and say so; otherwise they are dropped (the live service
 * then withdraws the alert). Warnings of a window still open pass unchanged.
 */
export function confirmEarlyWarnings(findings: readonly Finding[]): Finding[] {
  const out: Finding[] = [];
  for (const f of findings) {
    const confirming = CONFIRMED_BY[f.detector];
    if (confirming === undefined || f.evidence.windowClosed !== true) {
      out.push(f);
      continue;
    }
    const key = scopeKey(f.scope);
    const confirmation = findings.find(
      (g) => g.detector === confirming && scopeKey(g.scope) === key && samePeriod(f, g),
    );
    if (!confirmation) continue;
    out.push({
      ...f,
      severity: confirmation.severity === 'critical' ? 'critical' : f.severity,
      evidence: { ...f.evidence, confirmedBy: confirmation.fingerprint },
      explanation: {
        'zh-CN': `${f.explanation['zh-CN']}前窗突增检验已确认（${confirmation.fingerprint}）。`,
        en: `${f.explanation.en} Confirmed by the closed-window burst test (${confirmation.fingerprint}).`,
      },
    });
  }
  return out;
}

/** Whether two detectors ask one question (an early warning and its confirmation). */
const sameQuestion = (a: DetectorName, b: DetectorName) => CONFIRMED_BY[a] === b || CONFIRMED_BY[b] === a;

const detectorOrder = (name: DetectorName) => DETECTOR_NAMES.indexOf(name);
const sortableScore = (score: number) => (Number.isNaN(score) ? Number.NEGATIVE_INFINITY : score);

/**
 * Runs detectors on a context and returns their findings.
 *
 * Per detector, the q-values come from BH (or BY) over all its outcomes with a p-value: one family
 * per detector and run (DETECTION.md), whatever the rule. Not per rule: some rules name a cluster
 * or a metric (duplicate-content's 'near:<hash>'), which would make one-test families with no
 * correction at all; and under-dispersion's org and actor windows ask the same question. An
 * outcome is a finding when its effect conditions hold and it has no p-value (a score rule) or
 * q ≤ its qThreshold. Findings of the `mergeOverlapping` detectors are then merged per rule,
 * scope and contiguous span of overlapping windows. Early warnings whose window has closed are
 * kept only when confirmed (`confirmEarlyWarnings`). Severity is 'critical' when q ≤ qThreshold / criticalFactor, or when
 * another detector has a finding on the same unit (an actor finding counts for its org; platform
 * findings only meet platform findings) over an overlapping period — listed in corroboratedBy.
 *
 * @returns findings sorted deterministically: critical first, then by detector (DETECTOR_NAMES
 *   order), score (descending) and fingerprint.
 */
export function runDetectors(
  detectors: readonly Detector[],
  ctx: EvaluateContext,
  options: Partial<RunOptions> = {},
): Finding[] {
  const o: RunOptions = { ...RUN_DEFAULTS, ...options };
  const findings: Finding[] = [];
  for (const detector of detectors) {
    let outcomes: TestOutcome[];
    try {
      outcomes = detector.evaluate(ctx);
    } catch (error) {
      if (!o.onDetectorError) throw error;
      o.onDetectorError(detector.name, error);
      continue;
    }
    const q = qValuesOf(outcomes, o.method);
    const own: Finding[] = [];
    outcomes.forEach((outcome, i) => {
      const qValue = q[i] ?? null;
      if (!outcome.effectMet || (qValue !== null && !(qValue <= outcome.qThreshold))) return;
      own.push({
        fingerprint: fingerprint(outcome.detector, outcome.rule, outcome.scope, outcome.period),
        detector: outcome.detector,
        rule: outcome.rule,
        scope: outcome.scope,
        period: outcome.period,
        statistics: outcome.statistics,
        pValue: outcome.pValue,
        qValue,
        score: outcome.score,
        severity: qValue !== null && qValue <= outcome.qThreshold / o.criticalFactor ? 'critical' : 'warning',
        evidence: outcome.evidence,
        explanation: outcome.explain(qValue),
        corroboratedBy: [],
      });
    });
    findings.push(...(o.mergeOverlapping.includes(detector.name) ? mergeOverlapping(own) : own));
  }

  const confirmed = confirmEarlyWarnings(findings);
  const byUnit = new Map<string, Finding[]>();
  for (const f of confirmed) byUnit.set(unitKey(f.scope), [...(byUnit.get(unitKey(f.scope)) ?? []), f]);
  for (const group of byUnit.values()) {
    for (const f of group) {
      const others = new Set<DetectorName>();
      for (const g of group) {
        if (g.detector !== f.detector && !sameQuestion(f.detector, g.detector) && overlaps(f, g))
          others.add(g.detector);
      }
      f.corroboratedBy = [...others].sort((a, b) => detectorOrder(a) - detectorOrder(b));
      if (f.corroboratedBy.length > 0) f.severity = 'critical';
    }
  }

  return confirmed.sort(
    (a, b) =>
      (a.severity === b.severity ? 0 : a.severity === 'critical' ? -1 : 1) ||
      detectorOrder(a.detector) - detectorOrder(b.detector) ||
      sortableScore(b.score) - sortableScore(a.score) ||
      (a.fingerprint < b.fingerprint ? -1 : a.fingerprint > b.fingerprint ? 1 : 0),
  );
}
