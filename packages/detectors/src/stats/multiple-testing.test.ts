import { describe, expect, it } from 'vitest';
import { benjaminiHochberg } from './benjamini-hochberg.js';
import { benjaminiYekutieli } from './benjamini-yekutieli.js';

describe('benjaminiHochberg', () => {
  it('matches R p.adjust(c(0.01, 0.04, 0.03, 0.005), "BH") = 0.02 0.04 0.04 0.02', () => {
    // sorted: 0.005 (×4/1 = 0.02), 0.01 (×4/2 = 0.02), 0.03 (×4/3 = 0.04), 0.04 (×4/4 = 0.04)
    const q = benjaminiHochberg([0.01, 0.04, 0.03, 0.005]);
    for (const [i, v] of [0.02, 0.04, 0.04, 0.02].entries()) expect(q[i]).toBeCloseTo(v, 15);
  });
  it('takes the running minimum from the top and caps at 1', () => {
    // m = 3: 0.9×3/3 = 0.9; 0.8×3/2 = 1.2 → min(1.2, 0.9) = 0.9; 0.5×3 = 1.5 → 0.9
    expect(benjaminiHochberg([0.8, 0.5, 0.9])).toEqual([0.9, 0.9, 0.9]);
    expect(benjaminiHochberg([1, 1])).toEqual([1, 1]);
  });
  it('edges: empty, single, invalid', () => {
    expect(benjaminiHochberg([])).toEqual([]);
    expect(benjaminiHochberg([0.03])).toEqual([0.03]);
    expect(() => benjaminiHochberg([Number.NaN])).toThrow(RangeError);
    expect(() => benjaminiHochberg([1.2])).toThrow(RangeError);
  });
});

describe('benjaminiYekutieli', () => {
  it('is BH × Σ1/i: c(4) = 1 + ½ + ⅓ + ¼ = 25/12', () => {
    const q = benjaminiYekutieli([0.01, 0.04, 0.03, 0.005]);
    for (const [i, v] of [0.02, 0.04, 0.04, 0.02].entries()) expect(q[i]).toBeCloseTo((v * 25) / 12, 14);
    expect(benjaminiYekutieli([0.9, 0.8])).toEqual([1, 1]);
  });
});
