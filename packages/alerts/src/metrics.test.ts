import { ALERT_SCHEMA_VERSION, type Alert } from '@tracewatch/schema';
import { describe, expect, it } from 'vitest';
import { keeperMetrics } from './metrics.js';
import { finding } from './testing/fixtures.js';

const alert = (state: Alert['state'], severity: Alert['finding']['severity']): Alert => ({
  schemaVersion: ALERT_SCHEMA_VERSION,
  fingerprint: finding().fingerprint,
  state,
  version: 1,
  finding: finding({ severity }),
  firstSeenAt: '2026-03-15T00:00:00.000Z',
  lastSeenAt: '2026-03-15T00:00:00.000Z',
  updatedAt: '2026-03-15T00:00:00.000Z',
  updatedBy: 'system:detector',
  silencedBy: [],
});

describe('keeper metrics', () => {
  it('alerts by state and severity come from memory at scrape time, zeros included', async () => {
    const held = [alert('open', 'critical'), alert('open', 'critical'), alert('resolved', 'warning')];
    const m = keeperMetrics(undefined, () => held);
    m.commands.inc({ kind: 'transition', outcome: 'conflict' });
    const text = await m.registry.metrics();
    expect(text).toContain('tracewatch_alerts{state="open",severity="critical"} 2');
    expect(text).toContain('tracewatch_alerts{state="resolved",severity="warning"} 1');
    expect(text).toContain('tracewatch_alerts{state="acknowledged",severity="warning"} 0');
    expect(text).toContain('tracewatch_alert_commands_total{kind="transition",outcome="conflict"} 1');
  });
});
