/**
 * mulberry32 (Tommy Ettinger, public domain): a 32-bit state generator with period 2^32 and
 * good equidistribution for simulation. Small and seedable, so Monte Carlo p-values are
 * reproducible (the same seed gives the same draws on every machine).
 *
 * @param seed any number; only its low 32 bits are used.
 * @returns a function giving uniform numbers in [0, 1) (multiples of 2^-32).
 */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
