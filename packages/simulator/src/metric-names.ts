/** The monthly KPIs units report, and the trace action each one counts. */
export const REPORTED_METRICS = [
  { metric: 'cases.handled', action: 'case.close' },
  { metric: 'visits.recorded', action: 'visit.record' },
  { metric: 'forms.filed', action: 'form.submit' },
] as const;
export type MetricName = (typeof REPORTED_METRICS)[number]['metric'];
