/** Findings for people: a table sorted by severity then q, with the short English explanation. */
import type { Finding, Scope } from '@tracewatch/detectors';
import { fixed, probability, renderTable } from './text-table.js';

/** platform, platform/org or platform/org/actor. */
export function scopeLabel(scope: Scope): string {
  return [scope.platformId, scope.orgId, scope.kind === 'actor' ? scope.actorId : undefined]
    .filter((part) => part !== undefined)
    .join('/');
}

/** Words that end in a period without ending a sentence (lower-cased, period dropped). */
const ABBREVIATIONS = new Set(['al', 'e.g', 'i.e', 'etc', 'vs', 'cf', 'approx', 'no', 'fig', 'eq', 'resp', 'ca']);

/**
 * Where the first sentence of a text ends: after a '.' followed by a space or the end (or a
 * Chinese 。 or ；),
 * outside parentheses, and not after an abbreviation ("Kobak et al. 2016", "e.g. form.submit").
 */
function firstSentenceEnd(text: string): number {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '(' || c === '（') depth++;
    else if ((c === ')' || c === '）') && depth > 0) depth--;
    else if ((c === '。' || c === '；') && depth === 0)
      return i + 1; // Chinese stops end a sentence anywhere
    else if (c === '.' && depth === 0 && (i + 1 === text.length || /\s/.test(text[i + 1]!))) {
      const word = /([\p{L}.]+)$/u.exec(text.slice(0, i))?.[1]?.toLowerCase();
      if (word !== undefined && ABBREVIATIONS.has(word)) continue;
      return i + 1;
    }
  }
  return text.length;
}

/** First sentence of a text (see firstSentenceEnd), cut at `max` characters. */
export function shortText(text: string, max = 200): string {
  const sentence = text.slice(0, firstSentenceEnd(text));
  return sentence.length <= max ? sentence : `${sentence.slice(0, max - 1)}…`;
}

const SEVERITY_RANK = { critical: 0, warning: 1 } as const;

/**
 * Critical before warning; then by q ascending (score rules, which have no q, after the tested
 * ones), then by score descending, then by fingerprint so the order is stable.
 */
export function compareFindings(a: Finding, b: Finding): number {
  const qa = a.qValue ?? Number.POSITIVE_INFINITY;
  const qb = b.qValue ?? Number.POSITIVE_INFINITY;
  const sa = Number.isNaN(a.score) ? Number.NEGATIVE_INFINITY : a.score;
  const sb = Number.isNaN(b.score) ? Number.NEGATIVE_INFINITY : b.score;
  return (
    SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] ||
    (qa === qb ? 0 : qa < qb ? -1 : 1) ||
    sb - sa ||
    (a.fingerprint < b.fingerprint ? -1 : a.fingerprint > b.fingerprint ? 1 : 0)
  );
}

/** The findings as a text table (one line each), or a one-line note when there are none. */
export function findingsTable(findings: readonly Finding[]): string {
  if (findings.length === 0) return 'no findings';
  const rows = [...findings]
    .sort(compareFindings)
    .map((f) => [
      f.severity,
      f.rule ? `${f.detector} (${f.rule})` : f.detector,
      scopeLabel(f.scope),
      f.period.start === f.period.end ? f.period.start : `${f.period.start}..${f.period.end}`,
      fixed(f.score, 2),
      probability(f.pValue),
      probability(f.qValue),
      shortText(f.explanation.en),
    ]);
  return renderTable(
    [
      { header: 'severity' },
      { header: 'detector' },
      { header: 'scope' },
      { header: 'period' },
      { header: 'score', align: 'right' },
      { header: 'p', align: 'right' },
      { header: 'q', align: 'right' },
      { header: 'explanation' },
    ],
    rows,
  );
}
