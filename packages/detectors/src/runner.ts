/**
 * Turns the outcomes of a detection run into findings: multiple-testing control per detector,
 * the finding rule, severity, corroboration across detectors, explanations and fingerprints.
 */
import { fingerprint } from './fingerprint.js';
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
}

export const RUN_DEFAULTS: RunOptions = { method: 'bh', criticalFactor: 100 };

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

const detectorOrder = (name: DetectorName) => DETECTOR_NAMES.indexOf(name);
const sortableScore = (score: number) => (Number.isNaN(score) ? Number.NEGATIVE_INFINITY : score);

/**
 * Runs detectors on a context and returns their findings.
 *
 * Per detector, the q-values come from BH (or BY) over all its outcomes with a p-value. An outcome
 * is a finding when its effect conditions hold and it has no p-value (a score rule) or
 * q ≤ its qThreshold. Severity is 'critical' when q ≤ qThreshold / criticalFactor, or when
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
    outcomes.forEach((outcome, i) => {
      const qValue = q[i] ?? null;
      if (!outcome.effectMet || (qValue !== null && !(qValue <= outcome.qThreshold))) return;
      findings.push({
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
  }

  const byUnit = new Map<string, Finding[]>();
  for (const f of findings) byUnit.set(unitKey(f.scope), [...(byUnit.get(unitKey(f.scope)) ?? []), f]);
  for (const group of byUnit.values()) {
    for (const f of group) {
      const others = new Set<DetectorName>();
      for (const g of group) if (g.detector !== f.detector && overlaps(f, g)) others.add(g.detector);
      f.corroboratedBy = [...others].sort((a, b) => detectorOrder(a) - detectorOrder(b));
      if (f.corroboratedBy.length > 0) f.severity = 'critical';
    }
  }

  return findings.sort(
    (a, b) =>
      (a.severity === b.severity ? 0 : a.severity === 'critical' ? -1 : 1) ||
      detectorOrder(a.detector) - detectorOrder(b.detector) ||
      sortableScore(b.score) - sortableScore(a.score) ||
      (a.fingerprint < b.fingerprint ? -1 : a.fingerprint > b.fingerprint ? 1 : 0),
  );
}
