import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KeepHighest } from './keep-highest.js';
import { byTimeThenId, type Timed } from './latest-records.js';

const keepLatest = <T extends Timed>(capacity: number) => new KeepHighest<T>(capacity, (x) => x.id, byTimeThenId);

describe('KeepHighest', () => {
  const item = (id: string, t: number) => ({ id, t });
  it('keeps the latest N by (time, id), one per id', () => {
    const keep = keepLatest<{ id: string; t: number }>(3);
    for (const [id, t] of [
      ['a', 5],
      ['b', 1],
      ['c', 9],
      ['d', 7],
      ['a', 5],
      ['e', 2],
    ] as const)
      keep.add(item(id, t));
    expect(keep.sorted().map((x) => x.id)).toEqual(['a', 'd', 'c']);
    expect(keep.truncated).toBe(true);
    expect(keep.size).toBe(3);
  });
  it('not truncated while at most N distinct ids were seen; replays are idempotent', () => {
    const keep = keepLatest<{ id: string; t: number }>(2);
    keep.add(item('x', 1));
    keep.add(item('x', 1));
    keep.add(item('y', 0));
    expect(keep.truncated).toBe(false);
    expect(keep.sorted()).toEqual([item('y', 0), item('x', 1)]);
  });
  it('rejects a capacity below 1', () => {
    expect(
      () =>
        new KeepHighest<string>(
          0,
          (s) => s,
          (a, b) => a.localeCompare(b),
        ),
    ).toThrow(RangeError);
  });
  it('any order and any split give the same kept set (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 40 }), { maxLength: 60 }),
        fc.integer({ min: 1, max: 8 }),
        (ids, capacity) => {
          // time = id number modulo 7, so ties in time are broken by id; same id ⇒ same record
          const items = ids.map((id) => item(`i${id}`, id % 7));
          const one = keepLatest<{ id: string; t: number }>(capacity);
          for (const x of items) one.add(x);
          const two = keepLatest<{ id: string; t: number }>(capacity);
          for (const x of [...items].reverse()) two.add(x);
          two.sorted(); // a read in between must not change the outcome
          for (const x of items.slice(0, 3)) two.add(x);
          expect(two.sorted()).toEqual(one.sorted());
          expect(two.truncated).toBe(one.truncated);
        },
      ),
      { numRuns: 200 },
    );
  });
});
