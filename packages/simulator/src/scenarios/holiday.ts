/**
 * Hard negative — holidays: the dip over a holiday block and, after a block of three days or
 * more, the catch-up surge on the next two working days. Labelled per platform and per unit.
 */
import type { World } from '../world.js';
import { isoPeriod, orgScope, type PlanContext, platformScope } from './plan-context.js';

export function labelHolidays(ctx: PlanContext, world: World): void {
  for (const block of ctx.calendar.holidayBlocks(ctx.firstDay, ctx.lastDay)) {
    const long = block.end - block.start + 1 >= 3;
    const end = long ? block.catchUpDays[block.catchUpDays.length - 1]! : block.end;
    const start = Math.max(ctx.firstDay, block.start);
    if (start > ctx.lastDay) continue;
    const period = isoPeriod({ start, end: Math.min(ctx.lastDay, end) });
    const description = `${block.holiday.name} ${block.holiday.nameZh}: dip${long ? ' and catch-up after' : ''}`;
    for (const platform of world.platforms) {
      if (!world.units.some((u) => u.platform === platform)) continue;
      ctx.label({
        scenario: 'holiday',
        kind: 'hard-negative',
        detectors: [],
        scope: platformScope(platform),
        period,
        description,
      });
    }
    for (const unit of world.units) {
      if (unit.activeFrom > Math.min(ctx.lastDay, end)) continue;
      ctx.label({
        scenario: 'holiday',
        kind: 'hard-negative',
        detectors: [],
        scope: orgScope(unit),
        period,
        description,
      });
    }
  }
}
