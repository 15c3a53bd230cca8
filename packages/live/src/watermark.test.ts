import { describe, expect, it } from 'vitest';
import { Watermark } from './watermark.js';

describe('Watermark', () => {
  it('is unknown before any event, then the latest recording time less the lateness', () => {
    const w = new Watermark(1_000);
    expect(w.value).toBeNull();
    w.observe(0, 50_000);
    w.observe(1, 80_000);
    w.observe(0, 60_000);
    expect(w.value).toBe(79_000);
    expect(w.latestRecordedAt).toBe(80_000);
  });

  it('is held back by the slowest partition that still has messages to read', () => {
    const w = new Watermark(0);
    w.observe(0, 100);
    w.observe(1, 900);
    w.setBehind(0, true);
    expect(w.caughtUp).toBe(false);
    expect(w.value).toBe(100);
    w.setBehind(0, false);
    expect(w.value).toBe(900);
  });

  it('is unknown while a partition that is behind has delivered nothing', () => {
    const w = new Watermark(0);
    w.observe(0, 500);
    w.setBehind(2, true);
    expect(w.value).toBeNull();
  });

  it('never counts an earlier event as progress', () => {
    const w = new Watermark(0);
    w.observe(0, 500);
    w.observe(0, 100);
    expect(w.value).toBe(500);
  });

  it('refuses a negative lateness', () => {
    expect(() => new Watermark(-1)).toThrow(RangeError);
  });
});
