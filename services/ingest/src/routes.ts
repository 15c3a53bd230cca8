import {
  type Decoded,
  type DecodeOptions,
  decodeEvaluation,
  decodeReportedMetric,
  decodeTraceEvent,
  evaluationToRow,
  reportedMetricToRow,
  TOPICS,
  traceEventToRow,
} from '@tracewatch/schema';
import { TABLES, type TableName } from '@tracewatch/store';

/** How one input topic is decoded and where its records are stored. */
export interface Route {
  table: TableName;
  decodeToRow: (bytes: Buffer | null, opts: DecodeOptions) => Decoded<object>;
}

function route<T>(
  table: TableName,
  decode: (b: Buffer | null, o: DecodeOptions) => Decoded<T>,
  toRow: (v: T, now: number) => object,
): Route {
  return {
    table,
    decodeToRow: (bytes, opts) => {
      const d = decode(bytes, opts);
      return d.ok ? { ok: true, value: toRow(d.value, opts.now) } : d;
    },
  };
}

/** Input topic (unprefixed name) → route. */
export const ROUTES: Record<string, Route> = {
  [TOPICS.traceEvents]: route(TABLES.traceEvents, decodeTraceEvent, traceEventToRow),
  [TOPICS.evaluations]: route(TABLES.evaluations, decodeEvaluation, evaluationToRow),
  [TOPICS.reportedMetrics]: route(TABLES.reportedMetrics, decodeReportedMetric, reportedMetricToRow),
};
