import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hammingDistance } from '../simhash.js';
import type { TestOutcome, TraceRecord } from '../types.js';
import { createDuplicateContentDetector, nearDuplicateClusters } from './duplicate-content.js';
import { context, observeOnce, plain, shuffled, traceRecord } from './support/fixtures.js';
import { mulberry32 } from './support/prng.js';

/** Half the property runs keep everything, half a short retention window (1–40 days). */
const retentionFor = (seed: number) => (seed % 2 === 0 ? 400 : 1 + (Math.abs(seed) % 40));

const DAY_MS = 86_400_000;
const FIRST = Date.parse('2026-03-02T10:00:00+08:00');
const ctx = context(Date.parse('2026-06-01T00:00:00+08:00'));
const HASH_A = 'a'.repeat(64);
const HASH_B = 'b'.repeat(64);

function run(records: readonly TraceRecord[], options = {}): TestOutcome[] {
  const detector = createDuplicateContentDetector(options);
  for (const r of records) detector.observe(r);
  return detector.evaluate(ctx);
}

const filed = (day: number, actor: string, fields: Partial<TraceRecord>, org = 'o1') =>
  traceRecord({ actorId: actor, orgId: org, occurredAt: FIRST + day * DAY_MS, ...fields });

/** Flip bit `bit` (0 = least significant) of a 64-bit hex hash. */
function flip(hash: string, ...bits: number[]): string {
  let v = BigInt(`0x${hash}`);
  for (const bit of bits) v ^= 1n << BigInt(bit);
  return v.toString(16).padStart(16, '0');
}

describe('nearDuplicateClusters', () => {
  it('links hashes within distance 3, single linkage, leaves the far ones out', () => {
    const a = '0123456789abcdef';
    const b = flip(a, 0, 20, 40); // three bands touched, distance 3
    const c = flip(b, 60); // distance 1 from b, 4 from a: joined through b
    const d = flip(a, 1, 2, 3, 4, 17, 33, 49); // distance 7
    expect([hammingDistance(a, b), hammingDistance(b, c), hammingDistance(a, c), hammingDistance(a, d)]).toEqual([
      3, 1, 4, 7,
    ]);
    expect(nearDuplicateClusters([d, c, a, b], 3)).toEqual([[a, b, c].sort()]);
    expect(nearDuplicateClusters([a, d], 3)).toEqual([]);
  });

  it('orders by text (upper case too), skips oversized buckets, rejects what is not 16 hex digits', () => {
    const a = '0123456789ABCDEF';
    const b = flip(a.toLowerCase(), 0); // distance 1 from a
    // text order puts upper-case 'A'…'F' before lower-case: a sorts first
    expect(nearDuplicateClusters([b, a], 3)).toEqual([[a, b]]);
    expect(nearDuplicateClusters([b, a], 3, 1)).toEqual([]); // every shared bucket holds 2 > 1
    expect(() => nearDuplicateClusters(['0123'], 3)).toThrow(RangeError);
    expect(() => nearDuplicateClusters(['0123456789abcdeg'], 3)).toThrow(RangeError);
    expect(nearDuplicateClusters([], 3)).toEqual([]);
  });

  it('banding finds exactly what comparing all pairs finds (property)', () => {
    const base = fc.stringMatching(/^[0-9a-f]{16}$/);
    fc.assert(
      fc.property(
        base,
        fc.array(fc.array(fc.integer({ min: 0, max: 63 }), { maxLength: 5 }), { maxLength: 12 }),
        (seed, flips) => {
          const hashes = [...new Set([seed, ...flips.map((bits) => flip(seed, ...new Set(bits)))])];
          // all-pairs reference with a plain union–find
          const parent = hashes.map((_, i) => i);
          const root = (i: number): number => (parent[i] === i ? i : root(parent[i]!));
          for (let i = 0; i < hashes.length; i++)
            for (let j = i + 1; j < hashes.length; j++)
              if (hammingDistance(hashes[i]!, hashes[j]!) <= 3) parent[root(j)] = root(i);
          const groups = new Map<number, string[]>();
          hashes.forEach((h, i) => {
            groups.set(root(i), [...(groups.get(root(i)) ?? []), h]);
          });
          const reference = [...groups.values()]
            .filter((g) => g.length >= 2)
            .map((g) => g.sort())
            .sort((x, y) => (x[0]! < y[0]! ? -1 : 1));
          expect(nearDuplicateClusters(hashes, 3)).toEqual(reference);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('duplicate-content detector', () => {
  it('fires on one text filed by two actors over five days', () => {
    const records = [
      filed(0, 'a1', { contentHash: HASH_A }),
      filed(2, 'a2', { contentHash: HASH_A }),
      filed(4, 'a1', { contentHash: HASH_A }),
      filed(4, 'a3', { contentHash: HASH_B }),
    ];
    const [outcome, ...rest] = run(records);
    expect(rest).toEqual([]);
    expect(outcome!.rule).toBe(`exact:${'a'.repeat(16)}`);
    expect(outcome!.effectMet).toBe(true);
    expect(outcome!.score).toBe(3);
    expect(outcome!.statistics).toMatchObject({ reports: 3, actors: 2, days: 3, orgs: 1 });
    expect(outcome!.period).toEqual({ start: '2026-03-02', end: '2026-03-06' });
    expect(outcome!.evidence.actors).toEqual(['a1', 'a2']);
    expect(outcome!.explain(null)['zh-CN']).toContain('3 份报告');
  });

  it('one actor resubmitting on one day, or on days too far apart, stays silent', () => {
    const sameDay = [0, 1, 2].map((i) => ({
      ...filed(0, 'a1', { contentHash: HASH_A }),
      occurredAt: FIRST + i * 60_000,
    }));
    const [resubmitted] = run(sameDay);
    expect(resubmitted!.effectMet).toBe(false);
    // days 0, 20, 45: any 30-day window holds two reports
    const spread = [0, 20, 45].map((d) => filed(d, 'a1', { contentHash: HASH_A }));
    const [outcome] = run(spread);
    expect(outcome!.effectMet).toBe(false);
    expect(outcome!.statistics.reports).toBe(2);
    // the same actor on three days within 30 days qualifies
    const [threeDays] = run([0, 10, 29].map((d) => filed(d, 'a1', { contentHash: HASH_A })));
    expect(threeDays!.effectMet).toBe(true);
  });

  it('stays silent on distinct texts (seeded random hashes), and below 3 reports', () => {
    const random = mulberry32(8);
    const hex = (len: number) => Array.from({ length: len }, () => Math.floor(random() * 16).toString(16)).join('');
    const records = Array.from({ length: 300 }, (_, i) =>
      filed(i % 30, `a${i % 12}`, { contentHash: hex(64), simhash: hex(16) }),
    );
    expect(run(records)).toEqual([]);
    expect(run([filed(0, 'a1', { contentHash: HASH_A }), filed(1, 'a2', { contentHash: HASH_A })])).toEqual([]);
  });

  it('templates used by 5 orgs are not judged; otherwise the dominant org is the scope', () => {
    const template = [1, 2, 3, 4, 5].map((o) => filed(o, `a${o}`, { contentHash: HASH_A }, `o${o}`));
    expect(run(template)).toEqual([]);
    const shared = [
      filed(0, 'x1', { contentHash: HASH_A }, 'o2'),
      filed(1, 'x2', { contentHash: HASH_A }, 'o2'),
      filed(2, 'y1', { contentHash: HASH_A }, 'o1'),
    ];
    const [outcome] = run(shared);
    expect(outcome!.scope.orgId).toBe('o2');
    expect(outcome!.evidence.orgs).toEqual(['o1', 'o2']);
  });

  it('near-duplicates: three slightly edited texts by three actors', () => {
    const s = '0123456789abcdef';
    const records = [
      filed(0, 'a1', { contentHash: HASH_A, simhash: s }),
      filed(1, 'a2', { contentHash: HASH_B, simhash: flip(s, 5) }),
      filed(2, 'a3', { contentHash: 'c'.repeat(64), simhash: flip(s, 5, 40) }),
      filed(3, 'a4', { contentHash: 'd'.repeat(64), simhash: flip(s, 1, 2, 3, 4, 6, 7, 8, 9) }),
    ];
    const outcomes = run(records);
    expect(outcomes).toHaveLength(1);
    expect(outcomes[0]!.rule).toBe(`near:${s}`);
    expect(outcomes[0]!.statistics).toMatchObject({ reports: 3, actors: 3 });
    expect(outcomes[0]!.effectMet).toBe(true);
    // the same text three times is the exact rule's business, not near
    const sameText = [0, 1, 2].map((d) => filed(d, `a${d}`, { contentHash: HASH_A, simhash: s }));
    expect(run(sameText).map((o) => o.rule)).toEqual([`exact:${'a'.repeat(16)}`]);
    // an all-zero SimHash (no words) is ignored
    const empty = [0, 1, 2].map((d) => filed(d, `a${d}`, { simhash: '0000000000000000' }));
    expect(run(empty)).toEqual([]);
  });

  it('reports older than the retention window are forgotten', () => {
    const copies = [0, 2, 4].map((d) => filed(d, `a${d}`, { contentHash: HASH_A }));
    const late = filed(500, 'z', { contentHash: HASH_B });
    expect(run([...copies, late])).toEqual([]);
    expect(run([...copies, late], { retentionDays: 600 })).toHaveLength(1);
  });

  it('never throws and gives the same outcomes in any order or split (property)', () => {
    const row = fc.record({
      day: fc.integer({ min: 0, max: 70 }),
      actor: fc.integer({ min: 0, max: 4 }),
      org: fc.integer({ min: 0, max: 6 }),
      text: fc.integer({ min: 0, max: 5 }),
      bits: fc.array(fc.integer({ min: 0, max: 63 }), { maxLength: 3 }),
      withHash: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.array(row, { maxLength: 120 }), fc.integer(), (rows, seed) => {
        const records = rows.map((r, i) => ({
          ...filed(
            r.day,
            `a${r.actor}`,
            {
              contentHash: r.withHash ? String(r.text).repeat(64) : undefined,
              simhash: flip('0123456789abcdef', r.text * 9, ...new Set(r.bits)),
            },
            `o${r.org}`,
          ),
          id: `e${i}`,
        }));
        const options = { retentionDays: retentionFor(seed) };
        const once = plain(run(records, options));
        const detector = createDuplicateContentDetector(options);
        const observe = observeOnce(detector); // replays dropped as by the engine
        const mixed = shuffled(records, mulberry32(seed));
        for (const r of mixed.slice(0, 30)) observe(r);
        detector.evaluate(ctx);
        for (const r of mixed.slice(30)) observe(r);
        for (const r of mixed.slice(0, 3)) observe(r);
        expect(plain(detector.evaluate(ctx))).toEqual(once);
      }),
      { numRuns: 60 },
    );
  });
});
