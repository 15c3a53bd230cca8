import { orgKeyOf } from '../../retention.js';

/** Sorts [key, value] pairs by key, as `[...keys].sort()` orders strings (UTF-16 code units). */
export function sortByKey<V>(entries: Array<[string, V]>): Array<[string, V]> {
  return entries.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

/**
 * State per unit (platform and org), found with two Map lookups on the record's own strings:
 * no key string is built per record, which on the observe path costs more than the lookups.
 * The unit keys (orgKeyOf) are built only when evaluate asks for the units in order.
 */
export class UnitIndex<V> {
  private readonly byPlatform = new Map<string, Map<string, V>>();

  get(platformId: string, orgId: string): V | undefined {
    return this.byPlatform.get(platformId)?.get(orgId);
  }

  /** The unit's state, made by `make` (and kept) the first time. */
  getOrAdd(platformId: string, orgId: string, make: (platformId: string, orgId: string) => V): V {
    let orgs = this.byPlatform.get(platformId);
    if (orgs === undefined) {
      orgs = new Map();
      this.byPlatform.set(platformId, orgs);
    }
    let value = orgs.get(orgId);
    if (value === undefined) {
      value = make(platformId, orgId);
      orgs.set(orgId, value);
    }
    return value;
  }

  /** Every unit's state, in no particular order. */
  *values(): IterableIterator<V> {
    for (const orgs of this.byPlatform.values()) yield* orgs.values();
  }

  /** Every unit as [orgKeyOf(platformId, orgId), state], sorted by that key. */
  inKeyOrder(): Array<[string, V]> {
    const out: Array<[string, V]> = [];
    for (const [platformId, orgs] of this.byPlatform) {
      for (const [orgId, value] of orgs) out.push([orgKeyOf(platformId, orgId), value]);
    }
    return sortByKey(out);
  }
}
