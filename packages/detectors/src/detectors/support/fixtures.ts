/**
 * Builders shared by the detector tests (no test framework inside, so it type-checks with the
 * sources): a record with sensible defaults, and outcomes without their explain closures.
 */
import { ReplayFilter } from '../../replay-filter.js';
import type { Detector, EvaluateContext, TestOutcome, TraceRecord } from '../../types.js';

let sequence = 0;

/** A trace record: platform p1, org o1, public actor a1, action 'form.submit', now-ish times. */
export function traceRecord(fields: Partial<TraceRecord> & { occurredAt: number }): TraceRecord {
  sequence++;
  return {
    id: `r${sequence}`,
    platformId: 'p1',
    orgId: 'o1',
    actorId: 'a1',
    actorRole: 'public',
    action: 'form.submit',
    recordedAt: fields.occurredAt,
    ...fields,
  };
}

/** An evaluation context with nothing in it, judged as of `asOf`. */
export function context(asOf: number, more: Partial<EvaluateContext> = {}): EvaluateContext {
  return { asOf, evaluations: [], metrics: [], ...more };
}

/** Outcomes as plain data (explanations rendered with q = 0.001), for comparing runs. */
export function plain(outcomes: readonly TestOutcome[]): unknown[] {
  return outcomes.map(({ explain, ...rest }) => ({ ...rest, explanation: explain(0.001) }));
}

/** Fisher–Yates shuffle with a given uniform source (for order-independence tests). */
export function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy;
}

/**
 * Observes records as the DetectionEngine does: a replay (same id, same times) of a record
 * already fed is dropped, so tests can replay records at a detector that relies on unique ids.
 */
export function observeOnce(detector: Detector): (record: TraceRecord) => void {
  const replays = new ReplayFilter();
  return (record) => {
    if (replays.firstSeen(record)) detector.observe(record);
  };
}

/**
 * P(X ≥ k) for X ~ Binomial(n, p), summed term by term from the binomial formula: the
 * independent reference the detector tests check the library's tails against.
 */
export function binomialTailByFormula(k: number, n: number, p: number): number {
  let total = 0;
  for (let x = k; x <= n; x++) {
    let choose = 1;
    for (let i = 0; i < x; i++) choose = (choose * (n - i)) / (i + 1);
    total += choose * p ** x * (1 - p) ** (n - x);
  }
  return total;
}
