/**
 * deadline-crunch's `deadline-design` rule end to end: the simulator's deadline-design burden
 * (one platform's deadlines shorter than the work for 1–2 months) through the detector, as
 * analyze runs it. The platform is found for those months and nowhere else, and its units are
 * not reported as fabricating in a crunch that is the platform's.
 */
import { DetectionEngine, type Finding } from '@tracewatch/detectors';
import type { Evaluation } from '@tracewatch/schema';
import { type Label, simulate } from '@tracewatch/simulator';
import { describe, expect, it } from 'vitest';

// ~0.5 M events, a few seconds of CPU; the timeout leaves room for a loaded machine
describe('deadline-design on a simulated platform', { timeout: 180_000 }, () => {
  it('finds the platform in the months its deadlines were cut, and not its units', () => {
    const engine = new DetectionEngine({ enabled: ['deadline-crunch'] });
    const evaluations: Evaluation[] = [];
    const labels: Label[] = [];
    let asOf = 0;
    for (const r of simulate({
      seed: 12,
      units: 21,
      months: 5,
      platforms: 3,
      scenarioRate: 1,
      scenarios: ['deadline-design'],
      hardNegativeRate: 0,
      outages: 0,
      unitDailyEventsMedian: 35,
    })) {
      if (r.kind === 'evaluation') evaluations.push(r.evaluation);
      else if (r.kind === 'label') labels.push(r.label);
      else if (r.kind === 'event') {
        engine.observeEvent(r.event);
        asOf = Math.max(asOf, Date.parse(r.event.time));
      }
    }
    const findings: Finding[] = engine.findings({ asOf: asOf + 86_400_000, evaluations, metrics: [] });
    const label = labels.find((l) => l.scenario === 'deadline-design')!;
    const inLabel = (f: Finding) =>
      f.scope.platformId === label.scope.platformId &&
      f.period.start <= label.period.end &&
      label.period.start <= f.period.end;
    const design = findings.filter((f) => f.rule === 'deadline-design');
    // every month of the label, on its platform, and nothing else
    const months = new Set(design.map((f) => f.period.start.slice(0, 7)));
    expect(design.length).toBeGreaterThan(0);
    expect(design.every((f) => f.scope.kind === 'platform' && inLabel(f))).toBe(true);
    expect(months.has(label.period.start.slice(0, 7))).toBe(true);
    expect(months.has(label.period.end.slice(0, 7))).toBe(true);
    expect(design[0]!.explanation.en).toContain('the deadlines are the problem, not the units');
    // the units' own last-moment tests compare with the platform's month, so none is flagged
    expect(findings.filter((f) => f.rule.startsWith('last-moment'))).toEqual([]);
  });
});
