/**
 * State per (platform, org, sub-key) — e.g. an org and a month — found through nested maps, so
 * observing a record builds no key string (JSON.stringify per record cost more than the
 * detector's own work). Evaluation lists the groups by platform, org and sub-key: the order of
 * their JSON key [platform, org, sub-key], in which the detectors have always reported, for
 * any ids without characters below '#' (ids are letters, digits and . _ : -).
 */

/** Code-unit order of two strings (as Array.prototype.sort compares them). */
export function compareText(a: string, b: string): number {
  return a === b ? 0 : a < b ? -1 : 1;
}
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

  /** Every group, ordered by platform, then org, then part (code-unit order of each). */
  inOrder(): G[] {
    const groups: G[] = [];
    for (const orgs of this.platforms.values()) {
      for (const parts of orgs.values()) for (const group of parts.values()) groups.push(group);
    }
    return groups.sort(
      (a, b) => compareText(a.platformId, b.platformId) || compareText(a.orgId, b.orgId) || compareText(a.part, b.part),
    );
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
