/**
 * Property-test sizing that does not depend on the machine's speed: a run count kept ≥ 5× under
 * its timeout on a loaded 2-core machine, and the long runs opt-in (`npm run test:deep` sets
 * TRACEWATCH_DEEP=1) with a timeout derived from the measured cost per run.
 */
export const DEEP = process.env.TRACEWATCH_DEEP === '1';

const HEADROOM = 5;

/** `quick` runs normally, `deep` under test:deep. */
export function propertyRuns(quick: number, deep: number): number {
  return DEEP ? deep : quick;
}

/** A timeout ≥ 5× the cost of `runs` runs at `loadedMsPerRun` (measured, loaded), at least 5 s. */
export function propertyTimeout(runs: number, loadedMsPerRun: number): number {
  return Math.max(5_000, Math.ceil(HEADROOM * runs * loadedMsPerRun));
}
