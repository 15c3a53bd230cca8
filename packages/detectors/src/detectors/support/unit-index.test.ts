import { describe, expect, it } from 'vitest';
import { UnitIndex } from './unit-index.js';

describe('UnitIndex', () => {
  it('keeps one state per platform and org, made once', () => {
    const index = new UnitIndex<{ key: string }>();
    let made = 0;
    const make = (p: string, o: string) => {
      made += 1;
      return { key: `${p}/${o}` };
    };
    const a = index.getOrAdd('p1', 'o1', make);
    expect(index.getOrAdd('p1', 'o1', make)).toBe(a);
    expect(index.getOrAdd('p2', 'o1', make)).not.toBe(a); // same org id on another platform
    expect(index.getOrAdd('p1', 'o2', make).key).toBe('p1/o2');
    expect(made).toBe(3);
    expect(index.get('p1', 'o1')).toBe(a);
    expect(index.get('p3', 'o1')).toBeUndefined();
  });
});
