import { describe, expect, it } from 'vitest';
import { ScopeGroups } from './scope-groups.js';

describe('ScopeGroups', () => {
  const make = () => new ScopeGroups((platformId, orgId, part) => ({ platformId, orgId, part, n: 0 }));
  it('one state per (platform, org, part), created on first use', () => {
    const groups = make();
    groups.get('p1', 'o1', '2026-03').n++;
    groups.get('p1', 'o1', '2026-03').n++;
    groups.get('p1', 'o2', '2026-03').n++;
    expect(groups.get('p1', 'o1', '2026-03').n).toBe(2);
    expect(groups.inOrder().map((g) => g.n)).toEqual([2, 1]);
  });
  it('lists groups by platform, org and part — their JSON key order; delete forgets a group', () => {
    const groups = make();
    for (const [p, o, m] of [
      ['p2', 'o1', '2026-01'],
      ['p1', 'o10', '2026-01'],
      ['p1', 'o1', '2026-02'],
      ['p1', 'o1', '2026-01'],
    ] as const)
      groups.get(p, o, m);
    const keys = groups.inOrder().map((g) => JSON.stringify([g.platformId, g.orgId, g.part]));
    expect(keys).toEqual([...keys].sort());
    expect(keys[0]).toBe('["p1","o1","2026-01"]');
    groups.delete(groups.get('p2', 'o1', '2026-01'));
    groups.delete(groups.get('p1', 'o10', '2026-01'));
    expect(groups.inOrder()).toHaveLength(2);
  });
});
