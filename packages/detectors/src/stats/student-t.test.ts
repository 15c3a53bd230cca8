import { describe, expect, it } from 'vitest';
import { normalSf } from './normal.js';
import { studentTSf } from './student-t.js';

describe('studentTSf', () => {
  it('df = 1 is the Cauchy distribution: P(T > t) = ½ − atan(t)/π', () => {
    expect(studentTSf(1, 1)).toBeCloseTo(0.25, 14);
    // ½ − atan(3)/π = 0.5 − 1.2490457723982544/3.141592653589793 = 0.10241638234956674
    expect(studentTSf(3, 1)).toBeCloseTo(0.10241638234956674, 14);
  });

  it('df = 2 has a closed form: P(T > t) = ½·(1 − t/√(2 + t²))', () => {
    // t = 2: ½·(1 − 2/√6) = ½·(1 − 0.816496580927726) = 0.09175170953613698
    expect(studentTSf(2, 2)).toBeCloseTo(0.09175170953613698, 14);
    // far tail without cancellation: ½·(1 − t/√(2+t²)) = 1/((√(2+t²) + t)·√(2+t²)) ≈ 5.0e-9 at t = 1e4
    const t = 1e4;
    const exact = 1 / ((Math.sqrt(2 + t * t) + t) * Math.sqrt(2 + t * t));
    expect(studentTSf(t, 2) / exact).toBeCloseTo(1, 10);
  });

  it('matches R qt critical values', () => {
    // R: qt(0.975, 10) = 2.228138851986274; qt(0.975, 27) = 2.051830516480284
    expect(studentTSf(2.228138851986274, 10)).toBeCloseTo(0.025, 12);
    expect(studentTSf(2.051830516480284, 27)).toBeCloseTo(0.025, 12);
  });

  it('is symmetric, heavier-tailed than the normal, and the normal at df = ∞', () => {
    expect(studentTSf(0, 5)).toBeCloseTo(0.5, 14);
    expect(studentTSf(-2, 7)).toBeCloseTo(1 - studentTSf(2, 7), 14);
    expect(studentTSf(5, 27)).toBeGreaterThan(normalSf(5) * 10);
    expect(studentTSf(5, Number.POSITIVE_INFINITY)).toBe(normalSf(5));
  });

  it('edges', () => {
    expect(studentTSf(Number.POSITIVE_INFINITY, 3)).toBe(0);
    expect(studentTSf(Number.NEGATIVE_INFINITY, 3)).toBe(1);
    expect(studentTSf(1, 0)).toBeNaN();
    expect(studentTSf(Number.NaN, 3)).toBeNaN();
  });
});
