import type { Evaluated, LiveDetectorOptions } from '@tracewatch/live';
import type { Evaluation, ReportedMetric } from '@tracewatch/schema';

/** What the engine thread is asked; it answers each in order. */
export type EngineRequest =
  | { op: 'init'; options: LiveDetectorOptions }
  /** Whole TSV lines of stored trace events (readStoredChunks), transferred. */
  | { op: 'stored'; chunk: Uint8Array }
  | { op: 'messages'; partition: number; lag: number; receivedAt: number; values: (Uint8Array | null)[] }
  | { op: 'behind'; partition: number; behind: boolean }
  | { op: 'reset-sent'; active: Array<{ fingerprint: string; periodEnd: string }> }
  | { op: 'adopt'; active: Array<{ fingerprint: string; periodEnd: string }> }
  | { op: 'is-due'; now: number }
  | {
      op: 'evaluate';
      now: number;
      force: boolean;
      evaluations: Evaluation[];
      metrics: ReportedMetric[];
    };

/** The engine's state, sent back with every answer (read by /metrics and /readyz). */
export interface EngineStats {
  watermark: number | null;
  latestRecordedAt: number | null;
  caughtUp: boolean;
  replayIds: number;
  replayBytes: number;
  trackedFindings: number;
  events: number;
  replays: number;
  invalid: number;
  /** Engine-thread time spent on stored lines (the rebuild): parsing the TSV, feeding the detectors (ms). */
  storedParseMs: number;
  storedObserveMs: number;
}

export interface EngineReply {
  stats: EngineStats;
  due?: boolean;
  adopted?: number;
  evaluated?: Evaluated | null;
}
