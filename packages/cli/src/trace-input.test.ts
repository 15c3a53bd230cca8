import { simulate } from '@tracewatch/simulator';
import { describe, expect, it } from 'vitest';
import { trustedRecord, validatedRecord } from './trace-input.js';

describe('trusted and validated decoding', () => {
  it('give identical records for every event of a small simulation', () => {
    let n = 0;
    for (const r of simulate({ seed: 11, units: 3, months: 1 })) {
      if (r.kind !== 'event') continue;
      const line = JSON.stringify(r.event);
      const v = validatedRecord(line);
      expect(v.ok).toBe(true);
      expect(trustedRecord(line)).toEqual(v);
      n++;
    }
    expect(n).toBeGreaterThan(100);
  });

  it('the validated path ignores the wall clock (an export is judged as of its own content)', () => {
    const future = JSON.stringify({
      specversion: '1.0',
      id: 'e1',
      source: 'p',
      type: 'gov.trace.v1',
      time: '2099-01-01T00:00:00Z',
      data: {
        platformId: 'p',
        orgId: 'o',
        actorId: 'a',
        actorRole: 'public',
        action: 'login',
        occurredAt: '2099-01-01T00:00:00Z',
      },
    });
    expect(validatedRecord(future)).toMatchObject({
      ok: true,
      value: { recordedAt: Date.parse('2099-01-01T00:00:00Z') },
    });
  });

  it.each([
    ['[1,2]', /\(root\): expected an object/],
    ['{"id":"x","time":"2025-01-01T00:00:00Z"}', /data: expected an object/],
    ['{"id":"","time":"2025-01-01T00:00:00Z","data":{}}', /^id:/],
    ['{"id":"x","time":"nope","data":{}}', /^time:/],
    // A number would pass Date.parse (5 → the year 2005): times must be strings.
    ['{"id":"x","time":5,"data":{}}', /^time:/],
    [
      '{"id":"x","time":"2025-01-01T00:00:00Z","data":{"platformId":"p","orgId":"o","actorId":"a","actorRole":"staff","action":"a","occurredAt":"2025-01-01T00:00:00Z","deadline":"later"}}',
      /data\.deadline: expected an ISO timestamp/,
    ],
    [
      '{"id":"x","time":"2025-01-01T00:00:00Z","data":{"platformId":"p","orgId":"o","actorId":"a","actorRole":"staff","action":"a","occurredAt":"2025-01-01T00:00:00Z","value":"12"}}',
      /data\.value: expected a finite number/,
    ],
    [
      '{"id":"x","time":"2025-01-01T00:00:00Z","data":{"platformId":"p","orgId":7,"actorId":"a","actorRole":"staff","action":"a","occurredAt":"2025-01-01T00:00:00Z"}}',
      /data\.orgId/,
    ],
  ])('trusted path refuses %s', (line, reason) => {
    const r = trustedRecord(line);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(reason);
  });
});
