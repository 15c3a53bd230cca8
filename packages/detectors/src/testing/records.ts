/** Builders for hand-made test data (used by tests only; not exported from the package). */
import { DEFAULT_UTC_OFFSET_MINUTES, isoToDayNumber } from '../time.js';
import type { TraceRecord } from '../types.js';

let sequence = 0;

/** Epoch ms of a local (UTC+8) day plus an hour offset: localMs('2024-03-04', 10) = 10:00 local. */
export function localMs(iso: string, hour = 10, offsetMinutes = DEFAULT_UTC_OFFSET_MINUTES): number {
  return isoToDayNumber(iso) * 86_400_000 + hour * 3_600_000 - offsetMinutes * 60_000;
}

/** A record with sensible defaults; occurredAt = recordedAt unless given. */
export function record(overrides: Partial<TraceRecord> & { occurredAt: number }): TraceRecord {
  sequence += 1;
  return {
    id: `r${sequence}`,
    platformId: 'p1',
    orgId: 'o1',
    actorId: 'a1',
    actorRole: 'staff',
    action: 'case.close',
    recordedAt: overrides.occurredAt,
    ...overrides,
  };
}

/** `count` records of one org on one local day, spread over working hours, actors round-robin. */
export function dayRecords(
  iso: string,
  count: number,
  overrides: Partial<TraceRecord> = {},
  actors: readonly string[] = ['a1', 'a2', 'a3', 'a4', 'a5'],
): TraceRecord[] {
  const out: TraceRecord[] = [];
  for (let i = 0; i < count; i++) {
    const occurredAt = localMs(iso, 9) + Math.floor((i * 8 * 3_600_000) / Math.max(count, 1));
    out.push(
      record({
        actorId: actors[i % actors.length]!,
        ...overrides,
        occurredAt,
        recordedAt: overrides.recordedAt ?? occurredAt,
      }),
    );
  }
  return out;
}

/** A deterministic PRNG (mulberry32) for simulated data. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Poisson draw by inversion (fine for the small means of tests). */
export function poissonDraw(lambda: number, random: () => number): number {
  let k = 0;
  let p = Math.exp(-lambda);
  let cumulative = p;
  const u = random();
  while (u > cumulative && k < 10_000) {
    k += 1;
    p *= lambda / k;
    cumulative += p;
  }
  return k;
}

/** Negative-binomial draw (overdispersed human-like counts): Poisson with a gamma-distributed mean. */
export function overdispersedDraw(mean: number, shape: number, random: () => number): number {
  // gamma(shape, mean/shape) by summing exponentials for integer shape
  let g = 0;
  for (let i = 0; i < shape; i++) g -= Math.log(1 - random());
  return poissonDraw((g * mean) / shape, random);
}
