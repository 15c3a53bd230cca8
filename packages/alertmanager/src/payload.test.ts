import { describe, expect, it } from 'vitest';
import { alertAnnotations, alertLabels, generatorUrl, isForwarded, labelKey, toPostableAlert } from './payload.js';
import { sampleAlert } from './testing/alerts.js';

const fp = 'aa'.repeat(16);

describe('isForwarded', () => {
  it.each([
    ['open', true],
    ['acknowledged', true],
    ['resolved', false],
    ['dismissed', false],
    ['confirmed', false],
    ['withdrawn', false],
  ] as const)('%s → %s', (state, forwarded) => {
    expect(isForwarded(sampleAlert({ state }))).toBe(forwarded);
  });

  it('a silenced open alert is not forwarded', () => {
    expect(isForwarded(sampleAlert({ state: 'open', silencedBy: ['s-1'] }))).toBe(false);
  });
});

describe('alertLabels', () => {
  it('names the detector, severity, scope and fingerprint', () => {
    expect(alertLabels(sampleAlert({ fingerprint: fp }))).toEqual({
      alertname: 'burst-before-evaluation',
      severity: 'critical',
      platform: 'gov-portal',
      org: 'org-17',
      fingerprint: fp,
    });
  });

  it('adds the actor when the scope has one', () => {
    expect(alertLabels(sampleAlert({ actorId: 'u-9' })).actor).toBe('u-9');
  });

  it('labelKey ignores the order of the labels', () => {
    expect(labelKey({ a: '1', b: '2' })).toBe(labelKey({ b: '2', a: '1' }));
    expect(labelKey({ a: '1', b: '2' })).not.toBe(labelKey({ a: '1', b: '3' }));
  });
});

describe('alertAnnotations', () => {
  it('has a summary and a description in zh-CN and en, and the state', () => {
    const a = alertAnnotations(sampleAlert({ state: 'acknowledged' }));
    expect(a.summary_zh).toBe(
      '疑似数据造假：burst-before-evaluation（平台 gov-portal，单位 org-17，2026-02-20 至 2026-02-28）',
    );
    expect(a.summary_en).toBe(
      'Suspected fabrication: burst-before-evaluation (platform gov-portal, org org-17, 2026-02-20 to 2026-02-28)',
    );
    expect(a.description_zh).toBe('评估前 7 天的活动量是预期的 3.4 倍。');
    expect(a.description_en).toBe('Activity in the 7 days before the evaluation was 3.4× the expected.');
    expect(a.state).toBe('acknowledged');
    expect(a.p_value).toBe('1e-9');
    expect(a.period).toBe('2026-02-20/2026-02-28');
  });
});

describe('toPostableAlert', () => {
  const now = Date.parse('2026-03-05T12:00:00.000Z');

  it('starts when the alert was first seen and ends at the given time', () => {
    const p = toPostableAlert(sampleAlert({ fingerprint: fp }), { nowMs: now, endsAtMs: now + 240_000 });
    expect(p.startsAt).toBe('2026-03-01T00:00:00.000Z');
    expect(p.endsAt).toBe('2026-03-05T12:04:00.000Z');
    expect(p.generatorURL).toBeUndefined();
    expect(p.labels.fingerprint).toBe(fp);
  });

  it('never starts in the future nor ends before it starts', () => {
    const future = sampleAlert({ firstSeenAt: '2026-04-01T00:00:00.000Z' });
    const p = toPostableAlert(future, { nowMs: now, endsAtMs: now - 1000 });
    expect(p.startsAt).toBe('2026-03-05T12:00:00.000Z');
    expect(p.endsAt).toBe('2026-03-05T12:00:00.000Z');
  });

  it('links the console when one is configured', () => {
    const p = toPostableAlert(sampleAlert({ fingerprint: fp }), {
      nowMs: now,
      endsAtMs: now,
      consoleUrl: 'https://tw.example.gov/console',
    });
    expect(p.generatorURL).toBe(`https://tw.example.gov/console/alerts/${fp}`);
    expect(generatorUrl('https://tw.example.gov/', fp)).toBe(`https://tw.example.gov/alerts/${fp}`);
  });
});
