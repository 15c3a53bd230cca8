/**
 * Numbers the store cannot hold as sent are refused (issue 8, item 7, in part): ClickHouse
 * 18.16 stores a subnormal double as 0, so `valueDenominator` 5e-324 passed "positive" and
 * became 0. Both the fast path and zod refuse them; the smallest normal double and 0 pass.
 */
import { describe, expect, it } from 'vitest';
import { MIN_NORMAL_DOUBLE } from './common.js';
import { decodeReportedMetric, decodeTraceEvent, decodeTraceEventStrict } from './decode.js';
import { isTraceEventFast } from './prevalidate.js';
import { sampleTraceEvent } from './testing/samples.js';

const NOW = Date.parse('2026-06-01T00:00:00Z');
const event = (data: Record<string, unknown>) => sampleTraceEvent({}, data);

describe('subnormal numbers', () => {
  const refused: Array<Record<string, unknown>> = [
    { value: 1, valueDenominator: 5e-324 },
    { value: 1, valueDenominator: MIN_NORMAL_DOUBLE / 2 },
    { value: -1e-310 },
    { value: 2.225073858507201e-308 },
  ];
  for (const data of refused) {
    it(`refuses ${JSON.stringify(data)} on the fast path and in zod alike`, () => {
      const e = event(data);
      expect(isTraceEventFast(e)).toBe(false);
      for (const decode of [decodeTraceEvent, decodeTraceEventStrict]) {
        const d = decode(JSON.stringify(e), { now: NOW });
        expect(d.ok).toBe(false);
        if (!d.ok) expect(d.reason).toMatch(/subnormal/);
      }
    });
  }

  it('accepts 0, -0, the smallest normal double and its negative', () => {
    for (const value of [0, -0, MIN_NORMAL_DOUBLE, -MIN_NORMAL_DOUBLE]) {
      const e = event({ value, valueDenominator: MIN_NORMAL_DOUBLE });
      expect(isTraceEventFast(e)).toBe(true);
      expect(decodeTraceEvent(JSON.stringify(e), { now: NOW }).ok).toBe(true);
    }
  });

  it('refuses a subnormal reported metric value', () => {
    const metric = {
      id: 'm-1',
      platformId: 'zwfw',
      orgId: 'org-001',
      metric: 'cases.handled',
      periodStart: '2026-02-01',
      periodEnd: '2026-02-28',
      value: 4e-320,
      reportedAt: '2026-03-01T09:00:00+08:00',
    };
    expect(decodeReportedMetric(JSON.stringify(metric), { now: NOW }).ok).toBe(false);
    expect(decodeReportedMetric(JSON.stringify({ ...metric, value: 412 }), { now: NOW }).ok).toBe(true);
  });
});
