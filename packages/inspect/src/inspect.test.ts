import { scopeFor } from '@tracewatch/access';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { toCsv } from './csv.js';
import { evaluationsSql } from './evaluations.js';
import { checkDayRange, daysOf, localMidnightMs, MAX_RANGE_DAYS } from './range.js';
import { preWindowShare, preWindows, realitySql } from './reality.js';
import { claimedSeriesSql, mergeSeries, recordedSeriesSql, seriesCsvRows } from './series.js';

const range = { from: '2026-03-01', to: '2026-03-04', tz: 'Asia/Shanghai' };
const owner = scopeFor('owner', ['pA']);
const H = 3_600_000;

describe('ranges', () => {
  const check = (from: string, to: string) =>
    z.object({ from: z.string(), to: z.string() }).superRefine(checkDayRange).safeParse({ from, to });
  it('from < to, at most two years', () => {
    expect(check('2026-03-01', '2026-03-02').success).toBe(true);
    expect(check('2026-03-02', '2026-03-02').success).toBe(false);
    expect(check('2024-01-01', '2026-01-01').success).toBe(true); // 731 days
    expect(check('2024-01-01', '2026-01-02').success).toBe(false);
    expect(MAX_RANGE_DAYS).toBe(731);
  });
  it('days of a range, and local midnight in Shanghai (UTC+8) and in UTC', () => {
    expect(daysOf(range)).toEqual(['2026-03-01', '2026-03-02', '2026-03-03']);
    expect(new Date(localMidnightMs('2026-03-01', 'Asia/Shanghai')).toISOString()).toBe('2026-02-28T16:00:00.000Z');
    expect(new Date(localMidnightMs('2026-03-01', 'UTC')).toISOString()).toBe('2026-03-01T00:00:00.000Z');
    // Across a DST change: Berlin is UTC+1 on 2026-03-29 at midnight, UTC+2 the day after.
    expect(new Date(localMidnightMs('2026-03-29', 'Europe/Berlin')).toISOString()).toBe('2026-03-28T23:00:00.000Z');
    expect(new Date(localMidnightMs('2026-03-30', 'Europe/Berlin')).toISOString()).toBe('2026-03-29T22:00:00.000Z');
  });
});

describe('query builders', () => {
  it('every builder applies the scope and escapes every value', () => {
    const target = { platformId: "pA' OR '1'='1", orgId: 'o\\1' };
    const sqls = [
      claimedSeriesSql('db', owner, target, range),
      recordedSeriesSql('db', owner, target, range),
      evaluationsSql('db', owner, target, range),
      ...Object.values(realitySql('db', owner, target.platformId, range)),
    ];
    for (const sql of sqls) {
      expect(sql).toContain("platform_id IN ('pA')");
      expect(sql).not.toContain("pA' OR");
    }
    expect(sqls[0]).toContain("platform_id = 'pA\\' OR \\'1\\'=\\'1'");
    expect(sqls[0]).toContain("org_id = 'o\\\\1'");
  });
  it('the series reads the hourly rollups with local-day bounds, never raw rows', () => {
    const sql = claimedSeriesSql('db', scopeFor('admin', []), { platformId: 'pA' }, range);
    expect(sql).toContain('FROM db.trace_hourly ');
    expect(sql).toContain("hour >= toDateTime('2026-03-01 00:00:00', 'Asia/Shanghai')");
    expect(sql).toContain("hour < toDateTime('2026-03-04 00:00:00', 'Asia/Shanghai')");
    expect(sql).toContain('uniqExactMerge(events)');
    expect(recordedSeriesSql('db', scopeFor('admin', []), { orgId: 'o1' }, range)).toContain(
      'FROM db.trace_hourly_recorded ',
    );
  });
  it('evaluations of the target include those of every platform / every unit', () => {
    const sql = evaluationsSql('db', scopeFor('admin', []), { platformId: 'pA', orgId: 'o1' }, range);
    expect(sql).toContain("platform_id IN ('pA', '')");
    expect(sql).toContain("org_id IN ('o1', '')");
    expect(evaluationsSql('db', owner, {}, range)).toContain("(platform_id IN ('pA') OR platform_id = '')");
  });
});

describe('series', () => {
  it('fills days without events with zeros', () => {
    const days = mergeSeries(range, [{ day: '2026-03-02', n: 5 }], [{ day: '2026-03-03', n: 4, n_backfilled: 1 }]);
    expect(days).toEqual([
      { day: '2026-03-01', claimed: 0, recorded: 0, backfilled: 0 },
      { day: '2026-03-02', claimed: 5, recorded: 0, backfilled: 0 },
      { day: '2026-03-03', claimed: 0, recorded: 4, backfilled: 1 },
    ]);
  });
  it('CSV rows name the evaluations starting each local day', () => {
    const days = mergeSeries(range, [], []);
    const ev = {
      id: 'e1',
      name: 'n',
      kind: 'audit',
      platformId: null,
      orgId: null,
      start: '2026-03-01T16:30:00Z',
      end: '2026-03-02T00:00:00Z',
      announcedAt: null,
    };
    expect(seriesCsvRows({ days, evaluations: [ev] }, 'Asia/Shanghai').map((r) => r[4])).toEqual(['', 'e1', '']);
    expect(seriesCsvRows({ days, evaluations: [ev] }, 'UTC').map((r) => r[4])).toEqual(['e1', '', '']);
  });
});

describe('pre-windows', () => {
  const ev = (start: string) => ({
    id: start,
    name: '',
    kind: 'audit',
    platformId: null,
    orgId: null,
    start,
    end: start,
    announcedAt: null,
  });
  it('merges overlapping windows and clips them to the period', () => {
    const from = Date.parse('2026-03-01T00:00:00Z');
    const to = Date.parse('2026-03-31T00:00:00Z');
    const w = preWindows(
      [ev('2026-03-05T00:00:00Z'), ev('2026-03-10T00:00:00Z'), ev('2026-03-30T00:00:00Z'), ev('2026-05-01T00:00:00Z')],
      from,
      to,
    );
    expect(w).toEqual([
      [from, Date.parse('2026-03-10T00:00:00Z')],
      [Date.parse('2026-03-23T00:00:00Z'), Date.parse('2026-03-30T00:00:00Z')],
    ]);
  });
  it('share of activity inside, against the share of time inside (hand-computed)', () => {
    const from = 0;
    const to = 100 * H;
    const hourly = [
      { hourMs: 5 * H, events: 3 },
      { hourMs: 10 * H, events: 1 }, // the window ends here (exclusive)
      { hourMs: 50 * H, events: 6 },
    ];
    expect(preWindowShare(hourly, [[0, 10 * H]], from, to)).toEqual({ share: 0.3, timeShare: 0.1, days: 10 / 24 });
    expect(preWindowShare([], [], from, to)).toEqual({ share: null, timeShare: 0, days: 0 });
  });
});

describe('csv', () => {
  it('quotes separators, quotes and newlines; defuses formulas', () => {
    expect(
      toCsv(
        ['a', 'b'],
        [
          ['x,y', 'say "hi"'],
          ['=SUM(A1)', null],
          ['+1', -5],
          ['line\nbreak', '@x'],
        ],
      ),
    ).toBe('a,b\r\n"x,y","say ""hi"""\r\n\'=SUM(A1),\r\n\'+1,-5\r\n"line\nbreak",\'@x\r\n');
  });
});
