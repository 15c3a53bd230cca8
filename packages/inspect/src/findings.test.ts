import { scopeFor } from '@tracewatch/access';
import { describe, expect, it } from 'vitest';
import { evidenceSelection, evidenceSql } from './evidence.js';
import { type FindingOut, findingsSql, mergePeriods } from './findings.js';
import { rankingFindingsSql, rankingIndicatorSql } from './ranking.js';

const owner = scopeFor('owner', ['pA']);
let n = 0;
function f(start: string, end: string, over: Partial<FindingOut> = {}): FindingOut {
  n++;
  return {
    fingerprint: n.toString(16).padStart(32, '0'),
    state: 'open',
    severity: 'warning',
    detector: 'burst-before-evaluation',
    rule: 'pre-window',
    test: { 'zh-CN': 't', en: 't' },
    scope: { kind: 'org', platformId: 'pA', orgId: 'o1', actorId: null },
    period: { start, end },
    statistics: {},
    pValue: 0.01,
    qValue: 0.02,
    score: 1,
    explanation: { 'zh-CN': '', en: '' },
    evidence: {},
    corroboratedBy: [],
    firstSeenAt: '2026-03-10T00:00:00.000Z',
    lastSeenAt: '2026-03-10T00:00:00.000Z',
    version: 1,
    ...over,
  };
}

describe('suspicious periods', () => {
  it('merges overlapping and back-to-back findings, keeps a gap apart', () => {
    const periods = mergePeriods([
      f('2026-03-10', '2026-03-12'),
      f('2026-03-01', '2026-03-05'),
      f('2026-03-04', '2026-03-07', { severity: 'critical', detector: 'backfill' }),
      f('2026-03-08', '2026-03-08', { detector: 'under-dispersion' }), // the day after 03-07: touches
    ]);
    expect(periods.map((p) => [p.start, p.end, p.findings.length, p.severity])).toEqual([
      ['2026-03-01', '2026-03-08', 3, 'critical'],
      ['2026-03-10', '2026-03-12', 1, 'warning'],
    ]);
    expect(periods[0]!.detectors).toEqual(['backfill', 'burst-before-evaluation', 'under-dispersion']);
    // The strongest first: the critical one, then by q.
    expect(periods[0]!.findings[0]!.severity).toBe('critical');
  });
  it('a period that spans a later, shorter finding keeps its own end', () => {
    const periods = mergePeriods([f('2026-03-01', '2026-03-20'), f('2026-03-05', '2026-03-06')]);
    expect(periods.map((p) => [p.start, p.end])).toEqual([['2026-03-01', '2026-03-20']]);
  });
  it('the findings query applies the scope, escapes the target, hides dismissed and withdrawn', () => {
    const sql = findingsSql(
      'db',
      owner,
      { platformId: "pA' OR 1", orgId: 'o1' },
      { from: '2026-03-01', to: '2026-04-01' },
    );
    expect(sql).toContain("platform_id IN ('pA')");
    expect(sql).toContain("platform_id = 'pA\\' OR 1'");
    expect(sql).toContain("state IN ('open', 'acknowledged', 'confirmed', 'resolved')");
    expect(sql).toContain("period_end >= toDate('2026-03-01') AND period_start < toDate('2026-04-01')");
    expect(findingsSql('db', owner, {}, { from: '2026-03-01', to: '2026-04-01' }, 'dismissed')).toContain(
      "state IN ('dismissed')",
    );
  });
});

describe('evidence selection', () => {
  it('backfilling: by recording time, only the records > 24 h late', () => {
    const s = evidenceSelection(f('2026-03-03', '2026-03-06', { detector: 'backfill' }));
    expect(s.timeColumn).toBe('recorded_at');
    expect(s.where).toContain('toInt64(recorded_at) - toInt64(occurred_at) > 86400');
    expect(s.where).toContain("recorded_at >= toDateTime('2026-03-03 00:00:00', 'Asia/Shanghai')");
    expect(s.where).toContain("recorded_at < toDateTime('2026-03-07 00:00:00', 'Asia/Shanghai')");
    expect(s.description.en).toContain('more than 24 h');
  });
  it('what the evidence lists narrows the records; malformed ids in it are left out', () => {
    const s = evidenceSelection(
      f('2026-03-01', '2026-03-02', {
        detector: 'duplicate-content',
        scope: { kind: 'actor', platformId: 'pA', orgId: 'o1', actorId: 'a1' },
        evidence: { hashes: ['ab12', "x' OR '1"], action: 'form.submit' },
      }),
    );
    expect(s.where).toContain("content_hash IN ('ab12')");
    expect(s.where).toContain("actor_id = 'a1'");
    expect(s.where).toContain("action = 'form.submit'");
    expect(s.where.join(' ')).not.toContain('OR');
  });
  it('pages are bounded in SQL (one extra row tells whether there is more)', () => {
    const sql = evidenceSql('db', evidenceSelection(f('2026-03-01', '2026-03-02')), { limit: 100, offset: 200 });
    expect(sql.records).toContain('LIMIT 200, 101');
    expect(sql.records).toContain('FROM db.trace_events FINAL WHERE platform_id = ');
  });
});

describe('ranking', () => {
  const range = { from: '2026-03-01', to: '2026-04-01', tz: 'Asia/Shanghai' };
  it('units are ranked by confirmed, then open, then critical findings, in the scope', () => {
    const sql = rankingFindingsSql('db', owner, 'org', range, 50);
    expect(sql).toContain("platform_id IN ('pA')");
    expect(sql).toContain("org_id != ''");
    expect(sql).toContain('ORDER BY confirmed DESC, open DESC, critical DESC, platform_id, org_id LIMIT 50');
    expect(rankingFindingsSql('db', owner, 'platform', range, 5)).toContain('GROUP BY platform_id ORDER BY');
  });
  it('indicators read the rollups for the ranked rows only, with their own pre-windows', () => {
    const sql = rankingIndicatorSql('db', owner, 'org', range, [
      { platformId: 'pA', orgId: 'o1', windows: [[0, 3_600_000]] },
      { platformId: 'pA', orgId: 'o2', windows: [] },
    ]);
    expect(sql.claimed).toContain('FROM db.trace_hourly WHERE');
    expect(sql.claimed).toContain("(platform_id = 'pA' AND org_id = 'o2')");
    expect(sql.claimed).toContain('(hour >= toDateTime(0) AND hour < toDateTime(3600))');
    expect(sql.recorded).toContain('FROM db.trace_hourly_recorded');
  });
});
