import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { byTimeThenId, LatestRecords, LatestTimes } from './latest-records.js';

describe('LatestRecords', () => {
  const item = (id: string, t: number) => ({ id, t });
  it('keeps the latest N by (time, id)', () => {
    const keep = new LatestRecords<{ id: string; t: number }>(3);
    for (const [id, t] of [
      ['a', 5],
      ['b', 1],
      ['c', 9],
      ['d', 7],
      ['e', 5],
    ] as const)
      keep.add(item(id, t));
    expect(keep.sorted().map((x) => x.id)).toEqual(['e', 'd', 'c']); // (5,a) < (5,e): a goes
    expect(keep.truncated).toBe(true);
    expect(keep.size).toBe(3);
    const small = new LatestRecords<{ id: string; t: number }>(2);
    small.add(item('x', 1));
    small.add(item('y', 0));
    expect(small.truncated).toBe(false);
    expect(small.sorted()).toEqual([item('y', 0), item('x', 1)]);
    expect(() => new LatestRecords(0)).toThrow(RangeError);
  });
  it('any order and any split give the top N of all records (property)', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 0, max: 200 }), { maxLength: 80 }),
        fc.integer({ min: 1, max: 8 }),
        (ids, capacity) => {
          const items = ids.map((id) => item(`i${id}`, id % 7)); // ties in time broken by id
          const expected = [...items].sort(byTimeThenId).slice(-capacity);
          const keep = new LatestRecords<{ id: string; t: number }>(capacity);
          for (const x of [...items].reverse().slice(0, 5)) keep.add(x);
          keep.sorted(); // a read in between must not change the outcome
          for (const x of [...items].reverse().slice(5)) keep.add(x);
          expect(keep.sorted()).toEqual(expected);
          expect(keep.truncated).toBe(items.length > capacity);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('LatestTimes', () => {
  it('keeps the latest N instants, ascending, with repeats', () => {
    const keep = new LatestTimes(3);
    for (const t of [5, 1, 9, 7, 9]) keep.add(t);
    expect(keep.sorted()).toEqual([7, 9, 9]);
    expect(keep.truncated).toBe(true);
    expect(keep.size).toBe(3);
    expect(new LatestTimes(4).sorted()).toEqual([]);
    expect(() => new LatestTimes(1.5)).toThrow(RangeError);
  });
  it('any order, any split, through growth and trims: the top N (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -1000, max: 1000 }), { maxLength: 120 }),
        fc.integer({ min: 1, max: 20 }),
        (times, capacity) => {
          const expected = [...times].sort((a, b) => a - b).slice(-capacity);
          const keep = new LatestTimes(capacity);
          for (const t of times.slice(0, 7)) keep.add(t);
          keep.sorted();
          for (const t of times.slice(7)) keep.add(t);
          expect(keep.sorted()).toEqual(expected);
          expect(keep.truncated).toBe(times.length > capacity);
        },
      ),
      { numRuns: 200 },
    );
  });
});
