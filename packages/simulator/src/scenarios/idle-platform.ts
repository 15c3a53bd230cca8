/**
 * idle-platform (摆设): a platform nobody really uses. Its units (built small by the world:
 * a handful of staff, a trace every few working days, almost no public users) come alive
 * only in the pre-windows of their evaluations, at 12–25 traces a working day.
 */
import { BASELINE_DAYS, PRE_WINDOW_DAYS, preWindow } from '../evaluations.js';
import type { Platform, Unit } from '../world.js';
import type { Injection } from './injection.js';
import { type DayWindow, isoPeriod, orgScope, type PlanContext, platformScope, within } from './plan-context.js';

/** Labels the platform and returns the injection of each of its units, by unit index. */
export function planIdlePlatform(ctx: PlanContext, platform: Platform, units: readonly Unit[]): Map<number, Injection> {
  ctx.label({
    scenario: 'idle-platform',
    kind: 'fabrication',
    detectors: ['idle-platform'],
    scope: platformScope(platform),
    period: isoPeriod({ start: ctx.firstDay, end: ctx.lastDay }),
    description: 'staff-only platform with near-zero public users; activity mostly in evaluation pre-windows',
  });
  const injections = new Map<number, Injection>();
  for (const unit of units) {
    const usable = ctx.evaluations
      .forUnit(unit)
      .filter((e) => ctx.evaluations.hasUsablePreWindow(e.day, { before: PRE_WINDOW_DAYS, after: 0 }));
    if (usable.length === 0) {
      const added = ctx.evaluations.pickFor(ctx.rng, unit, { before: PRE_WINDOW_DAYS, after: 0 });
      if (added !== null) usable.push(added);
    }
    const windows: DayWindow[] = [];
    for (const evaluation of usable) {
      const window = preWindow(evaluation);
      if (windows.some((w) => w.start === window.start)) continue;
      windows.push(window);
      // Without a baseline inside the run no burst test can see it: expected detectors [].
      const testable = ctx.evaluations.hasBaseline(evaluation.day, unit, BASELINE_DAYS);
      ctx.label({
        scenario: 'idle-platform',
        kind: 'fabrication',
        detectors: testable ? ['burst-before-evaluation'] : [],
        scope: orgScope(unit),
        period: isoPeriod(window),
        description: `idle-platform unit active only before evaluation ${evaluation.id}`,
      });
    }
    const boost = ctx.rng.uniform(12, 25) / unit.staffDailyMean;
    injections.set(unit.index, { staffFactor: (day) => (windows.some((w) => within(day, w)) ? boost : 1) });
  }
  return injections;
}
