/**
 * State per unit (platform and org), found with two Map lookups on the record's own strings:
 * no key string is built per record, which on the observe path costs more than the lookups.
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
}
