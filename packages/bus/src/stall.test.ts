import { describe, expect, it } from 'vitest';
import { isStalled } from './stall.js';

describe('isStalled', () => {
  const base = { inFlight: 10, lastProgressAt: 0, dependenciesAvailable: true, now: 120_001, timeoutMs: 120_000 };
  it('is stalled when work is held past the timeout with dependencies up', () => {
    expect(isStalled(base)).toBe(true);
  });
  it('is not stalled at the timeout, when idle, or while a dependency is down', () => {
    expect(isStalled({ ...base, now: 120_000 })).toBe(false);
    expect(isStalled({ ...base, inFlight: 0 })).toBe(false);
    expect(isStalled({ ...base, dependenciesAvailable: false })).toBe(false);
  });
});
