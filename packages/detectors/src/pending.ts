/**
 * What a run could not judge yet: windows with data that had not ended by asOf (e.g. the data's
 * last month), counted per detector and period so a caller can say so instead of staying silent.
 */
import type { DetectorName, PendingWindow, Period } from './types.js';

export interface PendingSummary {
  /** Why these windows were not judged. */
  reason: 'window-not-ended';
  /** Windows not judged, over all detectors and scopes. */
  windows: number;
  /** Per detector (by name), and per period within each (by start, then end). */
  byDetector: { detector: DetectorName; windows: number; periods: (Period & { windows: number })[] }[];
}

/** Collects PendingWindows (pass `add` as EvaluateContext.onPending) and summarises them. */
export class PendingWindows {
  private readonly counts = new Map<DetectorName, Map<string, number>>();
  private total = 0;

  readonly add = (window: PendingWindow): void => {
    let periods = this.counts.get(window.detector);
    if (periods === undefined) {
      periods = new Map();
      this.counts.set(window.detector, periods);
    }
    const key = `${window.period.start}..${window.period.end}`;
    periods.set(key, (periods.get(key) ?? 0) + 1);
    this.total++;
  };

  /** Detectors by name, periods by start then end: the same summary whatever the order of calls. */
  summary(): PendingSummary {
    const byDetector = [...this.counts.keys()].sort().map((detector) => {
      const periods = [...this.counts.get(detector)!]
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([key, windows]) => {
          const [start, end] = key.split('..') as [string, string];
          return { start, end, windows };
        });
      return { detector, windows: periods.reduce((s, p) => s + p.windows, 0), periods };
    });
    return { reason: 'window-not-ended', windows: this.total, byDetector };
  }
}
