import { regularizedGammaP, regularizedGammaQ } from './regularized-gamma.js';

/**
 * Upper tail of the standard normal, 1 − Φ(z), accurate far into the tail.
 *
 * Uses erfc(t) = Q(½, t²): for z ≥ 0, 1 − Φ(z) = ½·Q(½, z²/2), computed directly (no
 * cancellation), so normalSf(10) ≈ 7.6e-24 has full relative precision.
 *
 * @param z any real; ±Infinity give 0 / 1.
 * @returns 1 − Φ(z) in [0, 1]; NaN for NaN.
 */
export function normalSf(z: number): number {
  if (Number.isNaN(z)) return Number.NaN;
  const half = (z * z) / 2;
  if (z >= 0) return 0.5 * regularizedGammaQ(0.5, half);
  return 0.5 + 0.5 * regularizedGammaP(0.5, half);
}

/**
 * Standard normal cumulative distribution Φ(z) = P(Z ≤ z), accurate far into the lower tail
 * (Φ(z) = 1 − Φ(−z) is evaluated as the upper tail at −z).
 *
 * @param z any real; ±Infinity give 1 / 0.
 * @returns Φ(z) in [0, 1]; NaN for NaN.
 */
export function normalCdf(z: number): number {
  return normalSf(-z);
}
