import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { fingerprint } from './fingerprint.js';

describe('fingerprint', () => {
  const period = { start: '2024-03-01', end: '2024-03-07' };
  it('is the first 16 bytes of sha-256 over the JSON identity', () => {
    const expected = createHash('sha256')
      .update('["backfill","weekly","org","p1","o1",null,"2024-03-01","2024-03-07"]')
      .digest('hex')
      .slice(0, 32);
    expect(fingerprint('backfill', 'weekly', { kind: 'org', platformId: 'p1', orgId: 'o1' }, period)).toBe(expected);
  });
  it('separates ids that would collide when joined with ":"', () => {
    const a = fingerprint('backfill', 'weekly', { kind: 'org', platformId: 'a:b', orgId: 'c' }, period);
    const b = fingerprint('backfill', 'weekly', { kind: 'org', platformId: 'a', orgId: 'b:c' }, period);
    expect(a).not.toBe(b);
  });
  it('changes with rule and period', () => {
    const scope = { kind: 'org' as const, platformId: 'p1', orgId: 'o1' };
    const base = fingerprint('backfill', 'weekly', scope, period);
    expect(fingerprint('backfill', 'pre-evaluation', scope, period)).not.toBe(base);
    expect(fingerprint('backfill', 'weekly', scope, { ...period, end: '2024-03-08' })).not.toBe(base);
  });
});
