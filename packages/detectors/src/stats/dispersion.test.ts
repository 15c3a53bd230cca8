import { describe, expect, it } from 'vitest';
import { pearsonDispersion, volumeWeightedOverdispersion } from './dispersion.js';

describe('pearsonDispersion', () => {
  it('equal weights: the classical index of dispersion', () => {
    // x = 4, 6, 5: x̄ = 5, X² = ((4−5)² + (6−5)² + 0)/5 = 0.4 = (n−1)·s²/x̄ with s² = 1;
    // df = 2, D = 0.2; χ²₂ is exponential: P(χ²₂ ≤ 0.4) = 1 − e^(−0.2) = 0.18126924692201818
    const t = pearsonDispersion([4, 6, 5], [1, 1, 1]);
    expect(t?.level).toBe(5);
    expect(t?.chiSquare).toBeCloseTo(0.4, 14);
    expect(t?.df).toBe(2);
    expect(t?.dispersion).toBeCloseTo(0.2, 14);
    expect(t?.lowerTailP).toBeCloseTo(0.18126924692201818, 14);
  });

  it('weights set the expectation of each count', () => {
    // x = 12, 18, 30 against w = 1, 2, 3: level = 60/6 = 10, e = 10, 20, 30;
    // X² = 4/10 + 4/20 + 0 = 0.6; P(χ²₂ ≤ 0.6) = 1 − e^(−0.3) = 0.2591817793182821
    const t = pearsonDispersion([12, 18, 30], [1, 2, 3]);
    expect(t?.expected).toEqual([10, 20, 30]);
    expect(t?.chiSquare).toBeCloseTo(0.6, 14);
    expect(t?.lowerTailP).toBeCloseTo(0.2591817793182821, 14);
    // counts exactly proportional to the weights: X² = 0, p = 0
    expect(pearsonDispersion([10, 20, 30], [1, 2, 3])?.lowerTailP).toBe(0);
  });

  it('a constant series against a non-flat profile is not constant relative to it', () => {
    // x = 20, 20, 20, w = 1, 1, 2: level = 60/4 = 15, e = 15, 15, 30;
    // X² = 25/15 + 25/15 + 100/30 = 20/3
    expect(pearsonDispersion([20, 20, 20], [1, 1, 2])?.chiSquare).toBeCloseTo(20 / 3, 13);
    // with equal weights it is: X² = 0
    expect(pearsonDispersion([20, 20, 20], [1, 1, 1])?.chiSquare).toBe(0);
  });

  it('edges: fewer than 2 counts, all zero, bad weights, length mismatch → null', () => {
    expect(pearsonDispersion([], [])).toBeNull();
    expect(pearsonDispersion([5], [1])).toBeNull();
    expect(pearsonDispersion([0, 0, 0], [1, 1, 1])).toBeNull();
    expect(pearsonDispersion([1, 2], [1, 0])).toBeNull();
    expect(pearsonDispersion([1, 2], [1, Number.NaN])).toBeNull();
    expect(pearsonDispersion([1, 2, 3], [1, 1])).toBeNull();
    // two counts: df 1, x = 0, 2 → x̄ = 1, X² = 1 + 1 = 2
    expect(pearsonDispersion([0, 2], [1, 1])?.chiSquare).toBe(2);
  });
});

describe('volumeWeightedOverdispersion', () => {
  const one = (observed: number[], expected: number[]) => volumeWeightedOverdispersion([{ observed, expected }]);

  it('weights the days by their expected counts', () => {
    // x = 10, 30, 2, 2 against e = 20, 20, 2, 2 (Σe = Σx = 44): Σ(x − e)² = 100 + 100 = 200;
    // Σe² = 400 + 400 + 4 + 4 = 808; Σe − Σe²/Σe = 44 − 808/44 = 25.636…; φ = 200/25.636 = 7.8014.
    // Pearson χ²/df would average the days equally: (100/20 + 100/20 + 0 + 0)/3 = 3.33.
    const { phi, df } = one([10, 30, 2, 2], [20, 20, 2, 2]);
    expect(phi).toBeCloseTo(200 / (44 - 808 / 44), 12);
    expect(phi).toBeCloseTo(7.8014, 4);
    expect(df).toBe(3);
  });

  it('equal expected counts: s²/x̄', () => {
    // x = 4, 6, 5, e = 5: Σ(x − e)² = 2; Σe − Σe²/Σe = 15 − 75/15 = 10 → 0.2 = s²/x̄ = 1/5
    expect(one([4, 6, 5], [5, 5, 5]).phi).toBeCloseTo(0.2, 14);
  });

  it('pools groups, each around its own level', () => {
    // group 1: x = 4, 6, e = 5, 5: squares 2, denominator 10 − 50/10 = 5;
    // group 2: x = 30, 10, e = 20, 20: squares 200, denominator 40 − 800/40 = 20;
    // φ = 202/25 = 8.08, df = 1 + 1 = 2 (the level change between the groups adds nothing)
    const pooled = volumeWeightedOverdispersion([
      { observed: [4, 6], expected: [5, 5] },
      { observed: [30, 10], expected: [20, 20] },
    ]);
    expect(pooled.phi).toBeCloseTo(8.08, 12);
    expect(pooled.df).toBe(2);
  });

  it('edges: no degree of freedom → φ 0, df 0; days with e ≤ 0 are left out', () => {
    expect(volumeWeightedOverdispersion([])).toEqual({ phi: 0, df: 0 });
    expect(one([7], [7])).toEqual({ phi: 0, df: 0 });
    expect(one([3, 9], [0, 9])).toEqual({ phi: 0, df: 0 });
    expect(one([4, 6, 9], [5, 5, 0]).phi).toBeCloseTo(2 / 5, 14);
    expect(one([4, 6, 9], [5, 5, 0]).df).toBe(1);
  });
});
