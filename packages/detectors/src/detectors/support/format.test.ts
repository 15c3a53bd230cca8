import { describe, expect, it } from 'vitest';
import { num, pct, prob, qSuffix } from './format.js';

describe('format', () => {
  it('numbers, shares, probabilities, q suffix', () => {
    expect(num(12)).toBe('12');
    expect(num(0.123456)).toBe('0.123');
    expect(num(0.00001234)).toBe('1.23e-5');
    expect(pct(0.1234)).toBe('12.3%');
    expect(prob(0.0123)).toBe('0.012');
    expect(prob(3.2e-9)).toBe('3.2e-9');
    expect(prob(0)).toBe('0');
    expect(qSuffix(null)).toEqual({ zh: '', en: '' });
    expect(qSuffix(0.001).en).toContain('q = 0.001');
  });
});
