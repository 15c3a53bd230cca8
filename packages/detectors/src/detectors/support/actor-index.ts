/**
 * State per actor of a unit, found by the actor id first: one Map lookup per record instead of
 * three nested ones (platform → org → actor). Actor ids are pseudonyms and nearly always unique
 * across units; when two units share one, their entries are chained and told apart by
 * platform and org.
 */
interface Entry<V> {
  platformId: string;
  orgId: string;
  actorId: string;
  value: V;
  next: Entry<V> | undefined;
}

export class ActorIndex<V> {
  private readonly byActor = new Map<string, Entry<V>>();

  /** The actor's state, or undefined. */
  get(platformId: string, orgId: string, actorId: string): V | undefined {
    for (let e = this.byActor.get(actorId); e !== undefined; e = e.next) {
      if (e.orgId === orgId && e.platformId === platformId) return e.value;
    }
    return undefined;
  }

  /** Sets the state of an actor that has none (use get first). */
  add(platformId: string, orgId: string, actorId: string, value: V): void {
    this.byActor.set(actorId, { platformId, orgId, actorId, value, next: this.byActor.get(actorId) });
  }

  /** Forgets an actor's state. */
  delete(platformId: string, orgId: string, actorId: string): void {
    let previous: Entry<V> | undefined;
    for (let e = this.byActor.get(actorId); e !== undefined; previous = e, e = e.next) {
      if (e.orgId !== orgId || e.platformId !== platformId) continue;
      if (previous !== undefined) previous.next = e.next;
      else if (e.next !== undefined) this.byActor.set(actorId, e.next);
      else this.byActor.delete(actorId);
      return;
    }
  }

  /** Every actor's state (in no particular order). */
  *values(): IterableIterator<V> {
    for (const first of this.byActor.values()) {
      for (let e: Entry<V> | undefined = first; e !== undefined; e = e.next) yield e.value;
    }
  }
}
