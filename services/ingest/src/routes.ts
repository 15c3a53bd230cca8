import { COLUMNS_BY_KIND, type RecordKind, TOPICS } from '@tracewatch/schema';
import { TABLES, type TableName } from '@tracewatch/store';

/** How one input topic is decoded and where its records are stored. */
export interface Route {
  kind: RecordKind;
  table: TableName;
  columns: readonly string[];
}

const route = (kind: RecordKind, table: TableName): Route => ({ kind, table, columns: COLUMNS_BY_KIND[kind] });

/** Input topic (unprefixed name) → route. */
export const ROUTES: Record<string, Route> = {
  [TOPICS.traceEvents]: route('trace-event', TABLES.traceEvents),
  [TOPICS.evaluations]: route('evaluation', TABLES.evaluations),
  [TOPICS.reportedMetrics]: route('reported-metric', TABLES.reportedMetrics),
};
