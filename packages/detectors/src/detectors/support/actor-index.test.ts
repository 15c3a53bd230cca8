import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ActorIndex } from './actor-index.js';

describe('ActorIndex', () => {
  it('tells apart actors sharing an id across units; delete keeps the others', () => {
    const index = new ActorIndex<string>();
    index.add('p1', 'o1', 'a1', 'first');
    index.add('p1', 'o2', 'a1', 'other org');
    index.add('p2', 'o1', 'a1', 'other platform');
    expect(index.get('p1', 'o1', 'a1')).toBe('first');
    expect(index.get('p1', 'o2', 'a1')).toBe('other org');
    expect(index.get('p2', 'o1', 'a1')).toBe('other platform');
    expect(index.get('p1', 'o3', 'a1')).toBeUndefined();
    index.delete('p1', 'o2', 'a1');
    expect(index.get('p1', 'o2', 'a1')).toBeUndefined();
    expect([...index.values()].sort()).toEqual(['first', 'other platform']);
    index.delete('p2', 'o1', 'a1');
    index.delete('p1', 'o1', 'a1');
    index.delete('p1', 'o1', 'a1'); // absent: nothing happens
    expect([...index.values()]).toEqual([]);
  });
  it('behaves as a map keyed by the triple (property)', () => {
    const op = fc.record({
      add: fc.boolean(),
      p: fc.constantFrom('p1', 'p2'),
      o: fc.constantFrom('o1', 'o2'),
      a: fc.constantFrom('a1', 'a2', 'a3'),
    });
    fc.assert(
      fc.property(fc.array(op, { maxLength: 40 }), (ops) => {
        const index = new ActorIndex<number>();
        const reference = new Map<string, number>();
        ops.forEach(({ add, p, o, a }, i) => {
          const key = JSON.stringify([p, o, a]);
          if (add && index.get(p, o, a) === undefined) {
            index.add(p, o, a, i);
            reference.set(key, i);
          } else if (!add) {
            index.delete(p, o, a);
            reference.delete(key);
          }
        });
        expect([...index.values()].sort((x, y) => x - y)).toEqual([...reference.values()].sort((x, y) => x - y));
        for (const [key, value] of reference) {
          const [p, o, a] = JSON.parse(key) as [string, string, string];
          expect(index.get(p, o, a)).toBe(value);
        }
      }),
    );
  });
});
