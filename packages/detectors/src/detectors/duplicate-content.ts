/**
 * duplicate content — the same report text reused across actors and days (台账 copied instead
 * of written).
 *
 * Rules (score rules; clusters are formed within one platform):
 * - 'exact:<hash>': reports with the same contentHash (sha-256 of the text).
 * - 'near:<simhash>': reports whose 64-bit SimHashes (Charikar 2002; Manku et al., WWW 2007)
 *   lie within Hamming distance 3, linked into clusters (single linkage). Candidate pairs come
 *   from banding: the hash is cut into four 16-bit bands and only hashes sharing a band are
 *   compared — two hashes within distance 3 always share one (pigeonhole), and by chance a band
 *   is shared by 1 in 65,536 pairs, so the cost stays about linear. Reported only when the
 *   cluster holds at least two different texts (one text repeated is the exact rule's case).
 * A cluster is a finding when some 30-day window holds ≥ 3 of its reports by ≥ 2 actors or on
 * ≥ 3 days (DETECTION.md); the window reported is the one with the most reports meeting that
 * (ties: the earliest). Score = reports in that window; statistics give the distinct actors and
 * days. Scope: the cluster's dominant org (most reports in the window; ties: smallest id), the
 * evidence lists every org, actor and day. Minimum sample: 3 reports in the cluster.
 *
 * Not judged: a text used in ≥ 5 orgs of the platform (option templateOrgs) — a form template
 * or stock phrase ("已处理"), not one unit's copying; a SimHash of all zeros (a text with no
 * letters or digits).
 *
 * Memory: at most 20,000 (option maxReportsPerOrg) latest reports with a hash per org
 * (LatestRecords; replays are dropped by the engine before they get here). Records older than
 * 400 days (option retentionDays) before the latest day seen are dropped.
 */

import { RetentionWindow } from '../retention.js';
import { popcount32 } from '../simhash.js';
import { DEFAULT_UTC_OFFSET_MINUTES, dayNumberToIso, localDayNumber } from '../time.js';
import type { Detector, EvaluateContext, Scope, TestOutcome, TraceRecord } from '../types.js';
import { hash53 } from './support/hash.js';
import { LatestRecords } from './support/latest-records.js';

export interface DuplicateContentOptions {
  /** Latest reports with a content hash or SimHash kept per org (memory bound). */
  maxReportsPerOrg: number;
  /** Minimum reports in a window (3: twice could be a resubmission). */
  minReports: number;
  /** … by at least this many actors … */
  minActors: number;
  /** … or on at least this many distinct days. */
  minDays: number;
  /** Window length in days. */
  windowDays: number;
  /** Near-duplicate threshold on the SimHash Hamming distance (3 of 64 bits, Manku et al.). */
  maxHammingDistance: number;
  /** A text (or near cluster) used in this many orgs is a template, not judged. */
  templateOrgs: number;
  /** Band buckets with more distinct hashes than this are not paired (guards adversarial input). */
  maxBucketSize: number;
  /**
   * Days of history kept before the latest day seen; older records are dropped, which bounds
   * memory over time (400: a year of months plus their baselines, as in the other detectors).
   */
  retentionDays: number;
  /** Local time as minutes east of UTC (480: Asia/Shanghai, UTC+8 without daylight saving since 1991). */
  utcOffsetMinutes: number;
}

export const DEFAULT_DUPLICATE_CONTENT_OPTIONS: DuplicateContentOptions = {
  maxReportsPerOrg: 20_000,
  minReports: 3,
  minActors: 2,
  minDays: 3,
  windowDays: 30,
  maxHammingDistance: 3,
  templateOrgs: 5,
  maxBucketSize: 1000,
  retentionDays: 400,
  utcOffsetMinutes: DEFAULT_UTC_OFFSET_MINUTES,
};

interface Report {
  id: string;
  t: number;
  orgId: string;
  actorId: string;
  contentHash: string | undefined;
  simhash: string | undefined;
}

/**
 * A SimHash the detector can use: 16 hex digits (either case; returned in lower case), not all
 * zeros (a text with no letters or digits). Checked by hand: a regex and toLowerCase on every
 * report cost more than the rest of observe.
 */
function usableSimhash(text: string | undefined): string | undefined {
  if (text === undefined || text.length !== 16) return undefined;
  let upper = false;
  let nonzero = false;
  for (let i = 0; i < 16; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57)
      nonzero ||= c !== 48; // 0-9
    else if (c >= 97 && c <= 102)
      nonzero = true; // a-f
    else if (c >= 65 && c <= 70) {
      nonzero = true; // A-F
      upper = true;
    } else return undefined;
  }
  if (!nonzero) return undefined;
  return upper ? text.toLowerCase() : text;
}

/** Union–find over 0..n−1 with path halving. */
class DisjointSets {
  private readonly parent: number[];
  constructor(n: number) {
    this.parent = Array.from({ length: n }, (_, i) => i);
  }
  find(x: number): number {
    let i = x;
    while (this.parent[i] !== i) {
      this.parent[i] = this.parent[this.parent[i]!]!;
      i = this.parent[i]!;
    }
    return i;
  }
  union(a: number, b: number): void {
    const ra = this.find(a);
    const rb = this.find(b);
    // the smaller root wins, so the result does not depend on the order of unions
    if (ra < rb) this.parent[rb] = ra;
    else if (rb < ra) this.parent[ra] = rb;
  }
}

/** The value of hex digit `c` (a char code), or −1. */
function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

/** A 16-hex-digit hash as two 32-bit halves; throws RangeError unless it is one. */
function parseHash64(hash: string, out: { high: number; low: number; upper: boolean }): void {
  if (hash.length !== 16) throw new RangeError(`not a 64-bit hex hash: '${hash}'`);
  let high = 0;
  let low = 0;
  for (let k = 0; k < 16; k++) {
    const c = hash.charCodeAt(k);
    const v = hexValue(c);
    if (v < 0) throw new RangeError(`not a 64-bit hex hash: '${hash}'`);
    out.upper ||= c >= 65 && c <= 70;
    if (k < 8) high = high * 16 + v;
    else low = low * 16 + v;
  }
  out.high = high;
  out.low = low;
}

/**
 * Clusters of 64-bit hex hashes within a Hamming distance, found by four-band bucketing.
 *
 * @param hashes distinct 16-hex-digit hashes.
 * @param maxDistance link hashes at most this far apart (≤ 3 for the banding to be complete).
 * @param maxBucketSize skip buckets larger than this.
 * @returns clusters of two or more hashes (each sorted), in order of their smallest hash.
 * @throws RangeError for a hash that is not 16 hex digits.
 */
export function nearDuplicateClusters(
  hashes: readonly string[],
  maxDistance: number,
  maxBucketSize = 1000,
): string[][] {
  const n = hashes.length;
  const parsedHigh = new Uint32Array(n);
  const parsedLow = new Uint32Array(n);
  const parsed = { high: 0, low: 0, upper: false };
  hashes.forEach((hash, i) => {
    parseHash64(hash, parsed);
    parsedHigh[i] = parsed.high;
    parsedLow[i] = parsed.low;
  });
  // text order, as the clusters are reported in it (numeric order is the same for lower case)
  const order = Array.from({ length: n }, (_, i) => i);
  if (parsed.upper) order.sort((a, b) => (hashes[a]! < hashes[b]! ? -1 : hashes[a]! > hashes[b]! ? 1 : 0));
  else order.sort((a, b) => parsedHigh[a]! - parsedHigh[b]! || parsedLow[a]! - parsedLow[b]!);
  const high = Uint32Array.from(order, (i) => parsedHigh[i]!);
  const low = Uint32Array.from(order, (i) => parsedLow[i]!);
  return clusterIndices(high, low, maxDistance, maxBucketSize).map((c) => c.map((i) => hashes[order[i]!]!));
}

/**
 * The clustering of nearDuplicateClusters on parsed hashes (given in the order to report).
 * Each band's buckets are the runs of a counting sort of the 16-bit band values: no map of
 * lists, a platform has tens of thousands of hashes.
 *
 * @returns clusters of two or more indices, each ascending, in order of their first index.
 */
function clusterIndices(high: Uint32Array, low: Uint32Array, maxDistance: number, maxBucketSize: number): number[][] {
  const n = high.length;
  const sets = new DisjointSets(n);
  const bandOf = [
    (i: number) => high[i]! >>> 16,
    (i: number) => high[i]! & 0xffff,
    (i: number) => low[i]! >>> 16,
    (i: number) => low[i]! & 0xffff,
  ];
  const starts = new Uint32Array(65_537);
  const byBand = new Uint32Array(n);
  for (const band of bandOf) {
    // counting sort by the band's value: equal values end up next to each other
    starts.fill(0);
    for (let i = 0; i < n; i++) starts[band(i) + 1]!++;
    for (let v = 0; v < 65_536; v++) starts[v + 1]! += starts[v]!;
    const next = starts.slice(0, 65_536);
    for (let i = 0; i < n; i++) byBand[next[band(i)]!++] = i;
    for (let v = 0; v < 65_536; v++) {
      const from = starts[v]!;
      const to = starts[v + 1]!;
      if (to - from < 2 || to - from > maxBucketSize) continue;
      for (let x = from; x < to; x++) {
        for (let y = x + 1; y < to; y++) {
          const a = byBand[x]!;
          const b = byBand[y]!;
          const distance = popcount32((high[a]! ^ high[b]!) >>> 0) + popcount32((low[a]! ^ low[b]!) >>> 0);
          if (distance <= maxDistance) sets.union(a, b);
        }
      }
    }
  }
  const clusters = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    const root = sets.find(i);
    const list = clusters.get(root);
    if (list === undefined) clusters.set(root, [i]);
    else list.push(i);
  }
  return [...clusters.values()].filter((c) => c.length >= 2);
}

interface Window {
  members: Report[];
  actors: Set<string>;
  days: Set<number>;
  qualifies: boolean;
}

const DETECTOR = 'duplicate-content' as const;

export function createDuplicateContentDetector(options: Partial<DuplicateContentOptions> = {}): Detector {
  const opts = { ...DEFAULT_DUPLICATE_CONTENT_OPTIONS, ...options };
  /** platform → org → reports */
  const platforms = new Map<string, Map<string, LatestRecords<Report>>>();
  const retention = new RetentionWindow(opts.retentionDays);

  function observe(record: TraceRecord): void {
    const simhash = usableSimhash(record.simhash);
    if (record.contentHash === undefined && simhash === undefined) return;
    if (!retention.admit(localDayNumber(record.occurredAt, opts.utcOffsetMinutes))) return;
    let orgs = platforms.get(record.platformId);
    if (orgs === undefined) {
      orgs = new Map();
      platforms.set(record.platformId, orgs);
    }
    let reports = orgs.get(record.orgId);
    if (reports === undefined) {
      reports = new LatestRecords<Report>(opts.maxReportsPerOrg);
      orgs.set(record.orgId, reports);
    }
    reports.add({
      id: record.id,
      t: record.occurredAt,
      orgId: record.orgId,
      actorId: record.actorId,
      contentHash: record.contentHash,
      simhash,
    });
  }

  const dayOf = (r: Report) => localDayNumber(r.t, opts.utcOffsetMinutes);

  /** The best window of windowDays days (see the module comment); members sorted by time. */
  function bestWindow(members: readonly Report[]): Window {
    const span = opts.windowDays * 86_400_000;
    const actorCounts = new Map<string, number>();
    const dayCounts = new Map<number, number>();
    const bump = <K>(map: Map<K, number>, key: K, by: number) => {
      const next = (map.get(key) ?? 0) + by;
      if (next === 0) map.delete(key);
      else map.set(key, next);
    };
    let best: { start: number; end: number; qualifies: boolean } | undefined;
    let end = 0;
    for (let start = 0; start < members.length; start++) {
      while (end < members.length && members[end]!.t - members[start]!.t < span) {
        bump(actorCounts, members[end]!.actorId, 1);
        bump(dayCounts, dayOf(members[end]!), 1);
        end++;
      }
      const size = end - start;
      const qualifies =
        size >= opts.minReports && (actorCounts.size >= opts.minActors || dayCounts.size >= opts.minDays);
      if (
        best === undefined ||
        (qualifies && !best.qualifies) ||
        (qualifies === best.qualifies && size > best.end - best.start)
      ) {
        best = { start, end, qualifies };
      }
      bump(actorCounts, members[start]!.actorId, -1);
      bump(dayCounts, dayOf(members[start]!), -1);
    }
    const chosen = members.slice(best!.start, best!.end);
    return {
      members: chosen,
      actors: new Set(chosen.map((r) => r.actorId)),
      days: new Set(chosen.map(dayOf)),
      qualifies: best!.qualifies,
    };
  }

  function clusterOutcome(
    platformId: string,
    rule: string,
    kind: 'exact' | 'near',
    members: readonly Report[],
    hashes: readonly string[],
  ): TestOutcome {
    const window = bestWindow(members);
    const perOrg = new Map<string, number>();
    for (const r of window.members) perOrg.set(r.orgId, (perOrg.get(r.orgId) ?? 0) + 1);
    const [dominant] = [...perOrg].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]!;
    const scope: Scope = { kind: 'org', platformId, orgId: dominant };
    const days = [...window.days].sort((a, b) => a - b).map(dayNumberToIso);
    const actors = [...window.actors].sort();
    const period = { start: days[0]!, end: days[days.length - 1]! };
    const n = window.members.length;
    const allOrgs = [...new Set(members.map((r) => r.orgId))].sort();
    const what =
      kind === 'exact'
        ? { zh: '内容完全相同（内容哈希一致）', en: 'identical text (same content hash)' }
        : {
            zh: `内容高度相似（SimHash 相差不超过 ${opts.maxHammingDistance} 位）`,
            en: `near-identical text (SimHashes within ${opts.maxHammingDistance} bits)`,
          };
    return {
      detector: DETECTOR,
      rule,
      scope,
      period,
      pValue: null,
      qThreshold: 1,
      effectMet: window.qualifies,
      score: n,
      statistics: {
        reports: n,
        actors: actors.length,
        days: days.length,
        orgs: perOrg.size,
        clusterReports: members.length,
      },
      evidence: {
        kind,
        hashes: hashes.slice(0, 20),
        actors: actors.slice(0, 100),
        days,
        orgs: allOrgs,
        reportIds: window.members.slice(0, 100).map((r) => r.id),
      },
      explain: () => ({
        'zh-CN':
          `重复材料检查：平台 ${platformId} 上 ${n} 份报告${what.zh}，出自 ${actors.length} 个账号、${days.length} 个不同日期` +
          `（${period.start} 至 ${period.end}，${opts.windowDays} 天内），主要来自单位 ${dominant}。` +
          `如实撰写的工作记录很少逐字重复；判定标准为 ${opts.windowDays} 天内至少 ${opts.minReports} 份，且来自至少 ${opts.minActors} 个账号或 ${opts.minDays} 个日期。`,
        en:
          `Duplicate content check: ${n} reports on platform ${platformId} carry ${what.en}, from ${actors.length} actors on ` +
          `${days.length} different days (${period.start} to ${period.end}, within ${opts.windowDays} days), mostly org ${dominant}. ` +
          `Reports written from real work are rarely repeated word for word; the rule is at least ${opts.minReports} reports ` +
          `within ${opts.windowDays} days by at least ${opts.minActors} actors or on ${opts.minDays} days.`,
      }),
    };
  }

  function evaluate(_ctx: EvaluateContext): TestOutcome[] {
    const outcomes: TestOutcome[] = [];
    for (const platformId of [...platforms.keys()].sort()) {
      const orgs = platforms.get(platformId)!;
      const cutoff = retention.cutoff();
      const reports: Report[] = [];
      for (const org of [...orgs.keys()].sort()) {
        const kept = orgs
          .get(org)!
          .sorted()
          .filter((r) => dayOf(r) >= cutoff);
        if (kept.length === 0) orgs.delete(org); // wholly older than the retention window
        reports.push(...kept);
      }
      reports.sort((a, b) => a.t - b.t || (a.id < b.id ? -1 : 1));
      const isTemplate = (members: readonly Report[]) => new Set(members.map((r) => r.orgId)).size >= opts.templateOrgs;

      const byContent = repeatedContent(reports, opts.minReports);
      for (const hash of [...byContent.keys()].sort()) {
        const members = byContent.get(hash)!;
        if (isTemplate(members)) continue;
        outcomes.push(clusterOutcome(platformId, `exact:${hash.slice(0, 16)}`, 'exact', members, [hash]));
      }
      const simhashes = bySimhash(reports);
      for (const indices of clusterIndices(
        simhashes.high,
        simhashes.low,
        opts.maxHammingDistance,
        opts.maxBucketSize,
      )) {
        const cluster = indices.map((i) => simhashes.groups[i]![0]!.simhash!);
        const members = indices
          .flatMap((i) => simhashes.groups[i]!)
          .sort((a, b) => a.t - b.t || (a.id < b.id ? -1 : 1));
        const texts = new Set(members.map((r) => r.contentHash ?? r.simhash));
        if (members.length < opts.minReports || texts.size < 2 || isTemplate(members)) continue;
        outcomes.push(clusterOutcome(platformId, `near:${members[0]!.simhash}`, 'near', members, cluster));
      }
    }
    return outcomes;
  }

  return { name: DETECTOR, observe, evaluate };
}

/**
 * The reports of each content hash used at least `min` times, members in the order given.
 * Most texts are used once, so rather than a map of every hash (10⁵ strings a platform), the
 * reports are sorted by a 53-bit digest of their hash and equal hashes read off as runs.
 */
function repeatedContent(reports: readonly Report[], min: number): Map<string, Report[]> {
  const withHash: number[] = [];
  const digests: number[] = [];
  reports.forEach((r, i) => {
    if (r.contentHash === undefined) return;
    withHash.push(i);
    digests[i] = hash53(r.contentHash);
  });
  withHash.sort((a, b) => digests[a]! - digests[b]! || a - b);
  const groups = new Map<string, Report[]>();
  for (let from = 0; from < withHash.length; ) {
    let to = from + 1;
    while (to < withHash.length && digests[withHash[to]!] === digests[withHash[from]!]) to++;
    if (to - from >= min) {
      // one digest, almost surely one hash; a collision is split here
      for (let k = from; k < to; k++) pushTo(groups, reports[withHash[k]!]!.contentHash!, reports[withHash[k]!]!);
    }
    from = to;
  }
  for (const [hash, members] of groups) if (members.length < min) groups.delete(hash);
  return groups;
}

/**
 * The reports grouped by SimHash, the groups in order of the hash's value (which is its text
 * order: SimHashes here are 16 lower-case hex digits, checked in observe), by sorting on the
 * parsed value rather than through a map of every hash (10⁵ a platform).
 */
function bySimhash(reports: readonly Report[]): { high: Uint32Array; low: Uint32Array; groups: Report[][] } {
  const withHash = reports.filter((r) => r.simhash !== undefined);
  const parsedHigh = new Uint32Array(withHash.length);
  const parsedLow = new Uint32Array(withHash.length);
  const parsed = { high: 0, low: 0, upper: false };
  withHash.forEach((r, i) => {
    parseHash64(r.simhash!, parsed);
    parsedHigh[i] = parsed.high;
    parsedLow[i] = parsed.low;
  });
  // ties keep the reports' own order (time, id)
  const order = Array.from({ length: withHash.length }, (_, i) => i).sort(
    (a, b) => parsedHigh[a]! - parsedHigh[b]! || parsedLow[a]! - parsedLow[b]! || a - b,
  );
  const high: number[] = [];
  const low: number[] = [];
  const groups: Report[][] = [];
  for (const i of order) {
    const last = groups.length - 1;
    if (last >= 0 && high[last] === parsedHigh[i] && low[last] === parsedLow[i]) groups[last]!.push(withHash[i]!);
    else {
      high.push(parsedHigh[i]!);
      low.push(parsedLow[i]!);
      groups.push([withHash[i]!]);
    }
  }
  return { high: Uint32Array.from(high), low: Uint32Array.from(low), groups };
}

function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
}
