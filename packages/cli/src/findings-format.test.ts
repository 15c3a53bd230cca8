import type { Finding } from '@tracewatch/detectors';
import { describe, expect, it } from 'vitest';
import { compareFindings, findingsTable, scopeLabel, shortText } from './findings-format.js';
import { displayWidth } from './text-table.js';

function finding(fingerprint: string, severity: Finding['severity'], qValue: number | null, score = 1): Finding {
  return {
    fingerprint,
    detector: 'backfill',
    rule: 'weekly',
    scope: { kind: 'org', platformId: 'p', orgId: 'o' },
    period: { start: '2025-03-03', end: '2025-03-09' },
    statistics: {},
    pValue: qValue,
    qValue,
    score,
    severity,
    evidence: {},
    explanation: { en: `Finding ${fingerprint}. More detail.`, 'zh-CN': '发现' },
    corroboratedBy: [],
  };
}

describe('findings table', () => {
  it('sorts critical first, then by q (score rules last), then by score', () => {
    const fs = [
      finding('a', 'warning', 0.001),
      finding('b', 'critical', 0.005),
      finding('c', 'warning', null, 9),
      finding('d', 'critical', 1e-9),
      finding('e', 'warning', null, 20),
    ];
    expect([...fs].sort(compareFindings).map((f) => f.fingerprint)).toEqual(['d', 'b', 'a', 'e', 'c']);
    const lines = findingsTable(fs).split('\n');
    expect(lines).toHaveLength(2 + fs.length);
    expect(lines[2]).toMatch(
      /^critical\s+backfill \(weekly\)\s+p\/o\s+2025-03-03\.\.2025-03-09\s+1\.00\s+1\.0e-9\s+1\.0e-9\s+Finding d\.$/,
    );
  });

  it('scope labels and short texts', () => {
    expect(scopeLabel({ kind: 'platform', platformId: 'p' })).toBe('p');
    expect(scopeLabel({ kind: 'actor', platformId: 'p', orgId: 'o', actorId: 'a' })).toBe('p/o/a');
    expect(shortText('One. Two.')).toBe('One.');
    expect(shortText('x'.repeat(200), 10)).toBe(`${'x'.repeat(9)}…`);
    // abbreviations and parentheses do not end a sentence; decimals never did
    const heaping =
      'Whole-percent heaping of rates (null of Kobak et al. 2016): of 100 rates, 40 sit on a whole percent; ' +
      'about 10.5 expected. p = 1e-20.';
    expect(shortText(heaping)).toBe(
      'Whole-percent heaping of rates (null of Kobak et al. 2016): of 100 rates, 40 sit on a whole percent; about 10.5 expected.',
    );
    expect(shortText('Kobak et al. found 7 regions. More.')).toBe('Kobak et al. found 7 regions.');
    expect(shortText('Actions, e.g. form.submit, count. Next.')).toBe('Actions, e.g. form.submit, count.');
    expect(shortText('Rate (p. 3 of the report. Yes) is high. Next.')).toBe('Rate (p. 3 of the report. Yes) is high.');
    expect(findingsTable([])).toBe('no findings');
  });

  it('counts CJK characters as two columns', () => {
    expect(displayWidth('审计 ab')).toBe(7);
  });
});
