import { regularizedGammaP, regularizedGammaQ } from './regularized-gamma.js';

function invalid(k: number, lambda: number): boolean {
  return Number.isNaN(k) || Number.isNaN(lambda) || lambda < 0 || lambda === Number.POSITIVE_INFINITY;
}

/**
 * Upper tail of the Poisson distribution, P(X ≥ k) for X ~ Poisson(λ)
 * (R: ppois(k − 1, λ, lower.tail = FALSE)), via P(X ≥ k) = P(k, λ) (regularized gamma).
 *
 * @param k threshold; non-integers are rounded up; k ≤ 0 gives 1.
 * @param lambda mean, ≥ 0; λ = 0 gives 0 for every k ≥ 1.
 * @returns probability in [0, 1]; NaN for invalid λ.
 */
export function poissonSf(k: number, lambda: number): number {
  if (invalid(k, lambda)) return Number.NaN;
  const j = Math.ceil(k);
  if (j <= 0) return 1;
  if (lambda === 0) return 0;
  return regularizedGammaP(j, lambda);
}

/**
 * Lower tail of the Poisson distribution, P(X ≤ k) for X ~ Poisson(λ) (R: ppois(k, λ)),
 * via P(X ≤ k) = Q(k + 1, λ).
 *
 * @param k threshold; non-integers are rounded down; k < 0 gives 0.
 * @param lambda mean, ≥ 0; λ = 0 gives 1 for every k ≥ 0.
 * @returns probability in [0, 1]; NaN for invalid λ.
 */
export function poissonCdf(k: number, lambda: number): number {
  if (invalid(k, lambda)) return Number.NaN;
  const j = Math.floor(k);
  if (j < 0) return 0;
  if (lambda === 0) return 1;
  return regularizedGammaQ(j + 1, lambda);
}
