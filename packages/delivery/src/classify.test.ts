import { describe, expect, it } from 'vitest';
import { classifySmtpError, composeEmail } from './email.js';
import { classifyStatus, parseRetryAfter } from './webhook.js';

describe('outcomes', () => {
  it('HTTP: 2xx delivered; 408, 429, 5xx retry; 3xx, 410 and other 4xx failed', () => {
    const cases: [number, string][] = [
      [200, 'delivered'],
      [204, 'delivered'],
      [299, 'delivered'],
      [301, 'failed'],
      [308, 'failed'],
      [400, 'failed'],
      [401, 'failed'],
      [404, 'failed'],
      [408, 'retry'],
      [410, 'failed'],
      [413, 'failed'],
      [429, 'retry'],
      [500, 'retry'],
      [502, 'retry'],
      [503, 'retry'],
      [504, 'retry'],
    ];
    for (const [status, outcome] of cases) expect(classifyStatus(status), String(status)).toBe(outcome);
  });

  it('Retry-After as seconds or as a date', () => {
    const now = Date.UTC(2026, 2, 1, 0, 0, 0);
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter(new Date(now + 30_000).toUTCString(), now)).toBe(30_000);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });

  it('SMTP: 4xx and broken connections retry; 5xx and refused credentials fail', () => {
    expect(classifySmtpError({ responseCode: 421 })).toBe('retry');
    expect(classifySmtpError({ responseCode: 451, code: 'EENVELOPE' })).toBe('retry');
    expect(classifySmtpError({ responseCode: 550, code: 'EENVELOPE' })).toBe('failed');
    expect(classifySmtpError({ code: 'ECONNECTION' })).toBe('retry');
    expect(classifySmtpError({ code: 'ETIMEDOUT' })).toBe('retry');
    expect(classifySmtpError({ code: 'EAUTH' })).toBe('failed');
  });

  it('a bilingual e-mail puts zh-CN first in subject, HTML and text', () => {
    const m = composeEmail(
      [
        { language: 'en', subject: 'Notice', html: '<p>Found</p>', text: 'Found' },
        { language: 'zh-CN', subject: '通报', html: '<p>发现</p>', text: '发现' },
      ],
      ['a@example.org'],
      'msg_1',
    );
    expect(m.subject).toBe('通报 / Notice');
    expect(m.html.indexOf('lang="zh-CN"')).toBeLessThan(m.html.indexOf('lang="en"'));
    expect(m.text.indexOf('发现')).toBeLessThan(m.text.indexOf('Found'));
    expect(m.language).toBe('zh-CN, en');
    expect(() => composeEmail([], ['a@example.org'], 'msg_1')).toThrow();
  });
});
