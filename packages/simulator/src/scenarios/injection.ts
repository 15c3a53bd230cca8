/**
 * How a scenario (fabrication or hard negative) changes one unit's traffic. Every hook is
 * optional; hooks of several injections on a unit compose (factors multiply, transforms run
 * in order).
 */
import type { UnitDayContext } from '../context.js';
import type { MetricName } from '../metric-names.js';
import type { SimEvent } from '../sim-event.js';
import type { StaffActor } from '../world.js';

export interface Injection {
  /** Multiplies the unit's expected honest staff work on a day. */
  staffFactor?(day: number): number;
  /** Multiplies the unit's expected public traffic on a day. */
  publicFactor?(day: number): number;
  /** Multiplies one actor's honest work on a day (0 silences the actor). */
  actorFactor?(day: number, actor: StaffActor): number;
  /** Rewrites a trace of the unit (honest or added) before it is recorded. */
  transform?(e: SimEvent, ctx: UnitDayContext): void;
  /** Adds traces on a day (drawn from the context's scenario stream). */
  addEvents?(ctx: UnitDayContext): void;
  /** The value the unit reports for a metric and month, given the honest one. */
  reportMetric?(metric: MetricName, monthKey: number, honest: number): number;
}
