import { describe, expect, it } from 'vitest';
import { burstiness, chiSquareUniform, dispersionIndex, mean, quantile, variance } from './summaries.js';

describe('test summaries', () => {
  it('computes mean and sample variance', () => {
    expect(mean([1, 2, 3, 4])).toBe(2.5);
    // (2.25 + 0.25 + 0.25 + 2.25) / 3 = 5/3
    expect(variance([1, 2, 3, 4])).toBeCloseTo(5 / 3, 12);
    expect(variance([7, 7, 7])).toBe(0);
    expect(mean([])).toBeNaN();
    expect(variance([1])).toBeNaN();
  });

  it('computes the index of dispersion', () => {
    // [2, 4, 6]: mean 4, variance (4 + 0 + 4)/2 = 4 → D = 1
    expect(dispersionIndex([2, 4, 6])).toBe(1);
    expect(dispersionIndex([0, 0])).toBeNaN();
  });

  it('computes burstiness: −1 periodic, (σ−μ)/(σ+μ) otherwise', () => {
    expect(burstiness([5, 5, 5])).toBe(-1);
    // [1, 3]: μ 2, population σ 1 → (1 − 2)/(1 + 2) = −1/3
    expect(burstiness([1, 3])).toBeCloseTo(-1 / 3, 12);
    expect(burstiness([])).toBeNaN();
  });

  it('computes χ² against uniform and quantiles', () => {
    // expected 20 each: (100 + 0 + 100)/20 = 10
    expect(chiSquareUniform([10, 20, 30])).toBe(10);
    expect(chiSquareUniform([0, 0])).toBeNaN();
    expect(quantile([4, 1, 3, 2], 0.5)).toBe(2.5);
    expect(quantile([4, 1, 3, 2], 1)).toBe(4);
  });
});
