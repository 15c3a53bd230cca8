/** What every piece of traffic generation for one unit on one local day can see. */
import type { WorkCalendar } from './calendar.js';
import type { Rng } from './random.js';
import type { Seasonality } from './seasonality.js';
import type { SimEvent } from './sim-event.js';
import type { Unit } from './world.js';

export interface UnitDayContext {
  readonly seed: number;
  /** Local day number. */
  readonly day: number;
  /** Epoch ms of the day's local midnight. */
  readonly dayStart: number;
  readonly rng: Rng;
  readonly unit: Unit;
  readonly calendar: WorkCalendar;
  readonly seasonality: Seasonality;
  /** Shared by every context of the unit-day, so task ids stay unique. */
  readonly counters: { task: number };
  /** Hands a finished event to the unit's scenarios and then to the recorder. */
  emit(e: SimEvent): void;
}
