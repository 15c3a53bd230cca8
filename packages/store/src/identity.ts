import { Readable } from 'node:stream';
import type { Store } from './client.js';
import { selectRows } from './queries.js';
import { sqlStringList } from './sql.js';

/** Ids per lookup query: about 100 KB of SQL, well under max_query_size (256 KB). */
const IDS_PER_QUERY = 4_000;

export type IdentityVerdict = 'new' | 'same' | 'reused';

/** A message refused for re-using an id, where it came from, and the content first stored. */
export type IdReuse = RowIdentity & { firstFingerprint: string; topic: string; partition: number; offset: string };

/** One trace-event row as identity sees it: read from its RowBinary bytes (see rowIdentity). */
export interface RowIdentity {
  eventId: string;
  platformId: string;
  orgId: string;
  /** 64-bit hash (hex) of the stored content: every column but ingested_at. */
  fingerprint: string;
}

/**
 * The identity of one trace_events row in RowBinary (columns as TRACE_EVENT_COLUMNS: event_id
 * first, source second, platform_id third, org_id fourth, ingested_at last as a UInt32).
 */
export function rowIdentity(row: Uint8Array): RowIdentity {
  let at = 0;
  const next = () => {
    let length = 0;
    for (let shift = 0; ; shift += 7) {
      const b = row[at++]!;
      length |= (b & 0x7f) << shift;
      if (b < 0x80) break;
    }
    const text = Buffer.from(row.buffer, row.byteOffset + at, length).toString();
    at += length;
    return text;
  };
  const eventId = next();
  next(); // source
  const platformId = next();
  const orgId = next();
  return { eventId, platformId, orgId, fingerprint: fingerprint(row, row.length - 4) };
}

/** Two 32-bit FNV-1a lanes over bytes [0, end): a 64-bit content hash, compared only within one id. */
function fingerprint(bytes: Uint8Array, end: number): string {
  let a = 0x811c9dc5;
  let b = 0x050c5d1f;
  for (let i = 0; i < end; i++) {
    const c = bytes[i]!;
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x01000193) ^ (b >>> 15);
  }
  return (a >>> 0).toString(16).padStart(8, '0') + (b >>> 0).toString(16).padStart(8, '0');
}

/**
 * Which rows carry an id already stored with other content. The first stored version of an
 * id stands: later rows with the same id and another fingerprint are 'reused' (to be refused),
 * the same fingerprint is 'same' (a replay: stored again, collapsed as before), else 'new'.
 *
 * Ids are claimed in memory before the store is asked, so that two batches in flight at once
 * cannot both take an id (within this process; several ingest processes could race on one
 * id in the instant between lookup and insert). The memory is bounded: ids it has forgotten
 * are looked up in trace_event_ids.
 */
export class EventIdentity {
  private readonly known = new Map<string, string>();

  constructor(
    private readonly store: Store,
    private readonly maxRemembered = 300_000,
  ) {}

  async classify(rows: readonly RowIdentity[]): Promise<IdentityVerdict[]> {
    // Rows whose id this call claims (the first row of each id not in memory).
    const claimedBy = new Map<string, number>();
    for (let i = 0; i < rows.length; i++) {
      const { eventId, fingerprint } = rows[i]!;
      if (!this.known.has(eventId)) {
        this.remember(eventId, fingerprint);
        claimedBy.set(eventId, i);
      }
    }
    const stored = await this.lookup([...claimedBy.keys()]);
    for (const [eventId, first] of stored) this.known.set(eventId, first);
    return rows.map(({ eventId, fingerprint }, i) => {
      if (claimedBy.get(eventId) === i && !stored.has(eventId)) return 'new';
      return this.known.get(eventId) === fingerprint ? 'same' : 'reused';
    });
  }

  /** Records the ids first stored now (a replayed insert only adds a row collapsed on merge). */
  async record(rows: readonly RowIdentity[], ingestedAtMs: number): Promise<void> {
    if (rows.length === 0) return;
    const at = Math.floor(ingestedAtMs / 1000);
    const lines = rows.map((r) => `${r.eventId}\t${r.fingerprint}\t${at}\n`);
    await this.store.client.insert({
      table: `${this.store.database}.trace_event_ids`,
      columns: ['event_id', 'fingerprint', 'first_ingested_at'],
      values: Readable.from([Buffer.from(lines.join(''))], { objectMode: false }),
      format: 'TabSeparated',
    });
  }

  /** Stores the refusals of re-used ids (what the detectors and the API count per org). */
  async recordReuse(rows: readonly IdReuse[], detectedAtMs: number): Promise<void> {
    if (rows.length === 0) return;
    const at = Math.floor(detectedAtMs / 1000);
    await this.store.client.insert({
      table: `${this.store.database}.trace_id_reuse`,
      values: rows.map((r) => ({
        detected_at: at,
        platform_id: r.platformId,
        org_id: r.orgId,
        event_id: r.eventId,
        first_fingerprint: r.firstFingerprint,
        fingerprint: r.fingerprint,
        source_topic: r.topic,
        source_partition: r.partition,
        source_offset: r.offset,
      })),
      format: 'JSONEachRow',
    });
  }

  /** The fingerprint an id was first stored with, for the ids found. */
  firstFingerprint(eventId: string): string | undefined {
    return this.known.get(eventId);
  }

  private async lookup(ids: string[]): Promise<Map<string, string>> {
    const found = new Map<string, string>();
    for (let i = 0; i < ids.length; i += IDS_PER_QUERY) {
      const rows = await selectRows<{ event_id: string; fingerprint: string }>(
        this.store,
        `SELECT event_id, argMin(fingerprint, first_ingested_at) AS fingerprint FROM ${this.store.database}.trace_event_ids
         WHERE event_id IN ${sqlStringList(ids.slice(i, i + IDS_PER_QUERY))} GROUP BY event_id`,
      );
      for (const r of rows) found.set(r.event_id, r.fingerprint);
    }
    return found;
  }

  private remember(id: string, fingerprint: string): void {
    this.known.set(id, fingerprint);
    if (this.known.size > this.maxRemembered) this.known.delete(this.known.keys().next().value!);
  }
}
