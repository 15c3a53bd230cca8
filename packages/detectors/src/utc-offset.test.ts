import { describe, expect, it } from 'vitest';
import { formatUtcOffset, parseUtcOffset } from './utc-offset.js';

describe('UTC offset settings', () => {
  it('reads offsets and fixed-offset zone names', () => {
    expect(parseUtcOffset('+08:00')).toBe(480);
    expect(parseUtcOffset('-0530')).toBe(-330);
    expect(parseUtcOffset('UTC+5')).toBe(300);
    expect(parseUtcOffset('UTC')).toBe(0);
    expect(parseUtcOffset('Asia/Shanghai')).toBe(480);
    expect(parseUtcOffset('Asia/Kolkata')).toBe(330);
    expect(formatUtcOffset(-330)).toBe('-05:30');
    expect(formatUtcOffset(480)).toBe('+08:00');
  });
  it('refuses what is malformed, out of range, unknown, or changes with daylight saving', () => {
    expect(() => parseUtcOffset('+15:00')).toThrow(/out of range/);
    expect(() => parseUtcOffset('+08:75')).toThrow(/out of range/);
    expect(() => parseUtcOffset('Mars/Olympus')).toThrow(/neither a UTC offset/);
    expect(() => parseUtcOffset('Europe/Berlin')).toThrow(/changes its offset \(\+01:00, \+02:00\)/);
  });
});
