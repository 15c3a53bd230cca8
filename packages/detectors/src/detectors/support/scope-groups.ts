/**
 * State per (platform, org, sub-key) — e.g. an org and a month — found through nested maps, so
 * observing a record builds no key string (JSON.stringify per record cost more than the
 * detector's own work). Evaluation lists the groups in the order of their JSON key
 * [platform, org, sub-key], the order the detectors have always reported in.
 */
export interface ScopeGroup {
  platformId: string;
  orgId: string;
  /** The third part of the key (a month 'YYYY-MM', an action …). */
  part: string;
}

export class ScopeGroups<G extends ScopeGroup> {
  private readonly platforms = new Map<string, Map<string, Map<string, G>>>();

  /** @param make creates the state of a group seen for the first time. */
  constructor(private readonly make: (platformId: string, orgId: string, part: string) => G) {}

  /** The group's state, created when missing. */
  get(platformId: string, orgId: string, part: string): G {
    let orgs = this.platforms.get(platformId);
    if (orgs === undefined) {
      orgs = new Map();
      this.platforms.set(platformId, orgs);
    }
    let parts = orgs.get(orgId);
    if (parts === undefined) {
      parts = new Map();
      orgs.set(orgId, parts);
    }
    let group = parts.get(part);
    if (group === undefined) {
      group = this.make(platformId, orgId, part);
      parts.set(part, group);
    }
    return group;
  }

  /** Every group, ordered by JSON.stringify([platformId, orgId, part]). */
  inOrder(): G[] {
    const keyed: { key: string; group: G }[] = [];
    for (const orgs of this.platforms.values()) {
      for (const parts of orgs.values()) {
        for (const group of parts.values()) {
          keyed.push({ key: JSON.stringify([group.platformId, group.orgId, group.part]), group });
        }
      }
    }
    return keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)).map((k) => k.group);
  }

  /** Forgets a group (and its org and platform when they are left empty). */
  delete(group: G): void {
    const orgs = this.platforms.get(group.platformId);
    const parts = orgs?.get(group.orgId);
    if (orgs === undefined || parts === undefined) return;
    parts.delete(group.part);
    if (parts.size > 0) return;
    orgs.delete(group.orgId);
    if (orgs.size === 0) this.platforms.delete(group.platformId);
  }
}
