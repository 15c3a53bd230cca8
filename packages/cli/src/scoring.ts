/**
 * Detection quality against simulator ground truth (DETECTION.md, "Judging detection
 * quality"): which findings match which labels, precision and recall per detector and per
 * scenario, false positives on hard negatives, and false findings per 1,000 clean unit-months.
 */
import type { Label } from '@tracewatch/simulator';
import type { UnitMonths } from './unit-months.js';

/** What scoring needs of a finding (a subset of the detectors' Finding). */
export interface ScoredFinding {
  fingerprint: string;
  detector: string;
  rule: string;
  scope: Label['scope'];
  period: Label['period'];
}

/** Inclusive YYYY-MM-DD periods overlap when each starts no later than the other ends. */
export function periodsOverlap(a: Label['period'], b: Label['period']): boolean {
  return a.start <= b.end && b.start <= a.end;
}

/**
 * Whether a finding's scope is covered by a label's scope:
 * - platform label: platform findings of that platform only;
 * - org label: org and actor findings of that platform and org;
 * - actor label: findings of that actor, or org findings of its platform and org.
 */
export function scopeMatches(finding: Label['scope'], label: Label['scope']): boolean {
  if (finding.platformId !== label.platformId) return false;
  if (label.kind === 'platform') return finding.kind === 'platform';
  if (finding.kind === 'platform' || finding.orgId !== label.orgId) return false;
  if (label.kind === 'org') return true;
  return finding.kind === 'org' || finding.actorId === label.actorId;
}

/** A finding matches a label when the scopes match and the periods overlap. */
export function findingMatchesLabel(finding: ScoredFinding, label: Label): boolean {
  return scopeMatches(finding.scope, label.scope) && periodsOverlap(finding.period, label.period);
}

export interface ScenarioScore {
  scenario: string;
  /** Labels of the scenario. */
  labels: number;
  /** Labels that name at least one expected detector (the denominator of recallExpected). */
  expectable: number;
  /** Expectable labels matched by a finding of one of their expected detectors. */
  detectedExpected: number;
  /** Labels matched by a finding of any detector. */
  detectedAny: number;
  /** detectedExpected / expectable; null when no label is expectable. */
  recallExpected: number | null;
  /** detectedAny / labels; null when there are no labels. */
  recallAny: number | null;
}

export interface DetectorScore {
  detector: string;
  findings: number;
  /** Findings that match some fabrication label (of any scenario). */
  truePositives: number;
  /** truePositives / findings; null without findings. */
  precision: number | null;
  /** Fabrication labels that list this detector as expected. */
  expectedLabels: number;
  /** Of those, labels matched by a finding of this detector. */
  detectedLabels: number;
  /** detectedLabels / expectedLabels; null when no label expects this detector. */
  recall: number | null;
  /** False findings (matching no fabrication label) by rule. */
  falseByRule: Record<string, number>;
}

export interface HardNegativeScore {
  scenario: string;
  labels: number;
  /** Findings matching a label of this scenario and no fabrication label. */
  falseFindings: number;
  byDetector: Record<string, number>;
  fingerprints: string[];
}

/** A fabrication label its expected detectors missed, with what was found on the same unit. */
export interface Miss {
  label: Label;
  /** Findings on the label's unit (its platform for a platform label), any period. */
  sameUnitFindings: ScoredFinding[];
}

export interface UnitMonthCounts {
  /** Unit-months with data. */
  covered: number;
  /** Covered unit-months touched by no fabrication label. */
  clean: number;
  /** 'events': coverage from the events file; 'labels': estimated from the labels alone. */
  source: 'events' | 'labels';
}

export interface QualityReport {
  findings: number;
  /** Findings matching some fabrication label. */
  truePositives: number;
  /** truePositives / findings; null without findings. */
  precision: number | null;
  /** Findings matching no fabrication label. */
  falseFindings: number;
  /** False findings that match no label at all (neither fabrication nor hard negative). */
  falseOnCleanTraffic: number;
  unitMonths: UnitMonthCounts;
  /** falseFindings / clean unit-months × 1000; null when no unit-month is clean. */
  falsePer1000CleanUnitMonths: number | null;
  scenarios: ScenarioScore[];
  detectors: DetectorScore[];
  hardNegatives: HardNegativeScore[];
  misses: Miss[];
}

const unitOf = (scope: Label['scope']) =>
  scope.kind === 'platform' ? `p\u0000${scope.platformId}` : `o\u0000${scope.platformId}\u0000${scope.orgId ?? ''}`;

const share = (part: number, whole: number): number | null => (whole > 0 ? part / whole : null);

function increment(map: Record<string, number>, key: string): void {
  map[key] = (map[key] ?? 0) + 1;
}

/**
 * Scores findings against labels.
 *
 * @param findings the detectors' findings of one run
 * @param labels every label of the simulation (fabrications and hard negatives)
 * @param unitMonths the unit-months the data covers (see unit-months.ts)
 * @param detectorNames detectors to report even when they produced nothing and no label
 *   expects them (e.g. every detector of the engine)
 * @returns the report; shares are null where their denominator is zero
 */
export function scoreFindings(
  findings: readonly ScoredFinding[],
  labels: readonly Label[],
  unitMonths: UnitMonths,
  detectorNames: readonly string[] = [],
): QualityReport {
  const fabrications = labels.filter((l) => l.kind === 'fabrication');
  const hardNegatives = labels.filter((l) => l.kind === 'hard-negative');
  // Labels by platform: a finding can only match labels of its own platform.
  const byPlatform = new Map<string, Label[]>();
  for (const l of labels) byPlatform.set(l.scope.platformId, [...(byPlatform.get(l.scope.platformId) ?? []), l]);
  const matches = findings.map((f) =>
    (byPlatform.get(f.scope.platformId) ?? []).filter((l) => findingMatchesLabel(f, l)),
  );
  const isTrue = matches.map((ls) => ls.some((l) => l.kind === 'fabrication'));

  // Which labels each detector's findings matched.
  const matchedBy = new Map<Label, Set<string>>();
  findings.forEach((f, i) => {
    for (const l of matches[i]!) {
      const set = matchedBy.get(l) ?? new Set<string>();
      set.add(f.detector);
      matchedBy.set(l, set);
    }
  });
  const detectedByExpected = (l: Label) => l.detectors.some((d) => matchedBy.get(l)?.has(d));

  const scenarioNames = [...new Set(fabrications.map((l) => l.scenario))].sort();
  const scenarios: ScenarioScore[] = scenarioNames.map((scenario) => {
    const own = fabrications.filter((l) => l.scenario === scenario);
    const expectable = own.filter((l) => l.detectors.length > 0);
    const detectedExpected = expectable.filter(detectedByExpected).length;
    const detectedAny = own.filter((l) => matchedBy.has(l)).length;
    return {
      scenario,
      labels: own.length,
      expectable: expectable.length,
      detectedExpected,
      detectedAny,
      recallExpected: share(detectedExpected, expectable.length),
      recallAny: share(detectedAny, own.length),
    };
  });

  const names = [
    ...new Set([...detectorNames, ...findings.map((f) => f.detector), ...fabrications.flatMap((l) => l.detectors)]),
  ];
  const detectors: DetectorScore[] = names.map((detector) => {
    const own = findings.flatMap((f, i) => (f.detector === detector ? [i] : []));
    const truePositives = own.filter((i) => isTrue[i]).length;
    const expected = fabrications.filter((l) => l.detectors.includes(detector));
    const detectedLabels = expected.filter((l) => matchedBy.get(l)?.has(detector)).length;
    const falseByRule: Record<string, number> = {};
    for (const i of own) if (!isTrue[i]) increment(falseByRule, findings[i]!.rule || '(none)');
    return {
      detector,
      findings: own.length,
      truePositives,
      precision: share(truePositives, own.length),
      expectedLabels: expected.length,
      detectedLabels,
      recall: share(detectedLabels, expected.length),
      falseByRule,
    };
  });

  const hardNegativeNames = [...new Set(hardNegatives.map((l) => l.scenario))].sort();
  const hardNegativeScores: HardNegativeScore[] = hardNegativeNames.map((scenario) => {
    const byDetector: Record<string, number> = {};
    const fingerprints: string[] = [];
    findings.forEach((f, i) => {
      if (isTrue[i] || !matches[i]!.some((l) => l.scenario === scenario)) return;
      increment(byDetector, f.detector);
      fingerprints.push(f.fingerprint);
    });
    return {
      scenario,
      labels: hardNegatives.filter((l) => l.scenario === scenario).length,
      falseFindings: fingerprints.length,
      byDetector,
      fingerprints,
    };
  });

  const misses: Miss[] = fabrications
    .filter((l) => l.detectors.length > 0 && !detectedByExpected(l))
    .map((label) => ({ label, sameUnitFindings: findings.filter((f) => unitOf(f.scope) === unitOf(label.scope)) }));

  const truePositives = isTrue.filter(Boolean).length;
  const falseFindings = findings.length - truePositives;
  const clean = unitMonths.cleanCount(fabrications);
  return {
    findings: findings.length,
    truePositives,
    precision: share(truePositives, findings.length),
    falseFindings,
    falseOnCleanTraffic: matches.filter((ls) => ls.length === 0).length,
    unitMonths: { covered: unitMonths.size, clean, source: unitMonths.source },
    falsePer1000CleanUnitMonths: clean > 0 ? (falseFindings / clean) * 1000 : null,
    scenarios,
    detectors,
    hardNegatives: hardNegativeScores,
    misses,
  };
}
