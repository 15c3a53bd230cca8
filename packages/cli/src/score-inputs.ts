/**
 * Reading what `score` compares: the findings JSON written by `analyze --format json`, the
 * simulator's labels.jsonl, and (optionally) the events file for unit-month coverage.
 * Malformed input is a UsageError naming the file and line, never a stack trace.
 */
import { readFile } from 'node:fs/promises';
import type { Label } from '@tracewatch/simulator';
import { UsageError } from './args.js';
import { readLineBatches } from './line-batches.js';
import type { ScoredFinding } from './scoring.js';
import { trustedRecord } from './trace-input.js';
import { UnitMonths } from './unit-months.js';

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const SCOPE_KINDS = ['platform', 'org', 'actor'];
const LABEL_KINDS = ['fabrication', 'hard-negative'];

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isText = (v: unknown): v is string => typeof v === 'string' && v.length > 0;

/** The first problem of a scope, or undefined. */
function scopeProblem(v: unknown): string | undefined {
  if (!isObject(v)) return 'scope: expected an object';
  if (!SCOPE_KINDS.includes(v.kind as string)) return `scope.kind: expected one of ${SCOPE_KINDS.join(', ')}`;
  if (!isText(v.platformId)) return 'scope.platformId: expected a non-empty string';
  if (v.kind !== 'platform' && !isText(v.orgId)) return 'scope.orgId: expected a non-empty string';
  if (v.kind === 'actor' && !isText(v.actorId)) return 'scope.actorId: expected a non-empty string';
  return undefined;
}

/** The first problem of a period, or undefined. */
function periodProblem(v: unknown): string | undefined {
  if (!isObject(v)) return 'period: expected an object';
  if (typeof v.start !== 'string' || !DAY.test(v.start)) return 'period.start: expected YYYY-MM-DD';
  if (typeof v.end !== 'string' || !DAY.test(v.end)) return 'period.end: expected YYYY-MM-DD';
  if (v.end < v.start) return 'period.end: before period.start';
  return undefined;
}

/** Checks one parsed label; returns a reason or undefined. */
export function labelProblem(v: unknown): string | undefined {
  if (!isObject(v)) return '(root): expected an object';
  if (!isText(v.id)) return 'id: expected a non-empty string';
  if (!isText(v.scenario)) return 'scenario: expected a non-empty string';
  if (!LABEL_KINDS.includes(v.kind as string)) return `kind: expected one of ${LABEL_KINDS.join(', ')}`;
  if (!Array.isArray(v.detectors) || !v.detectors.every(isText)) return 'detectors: expected an array of names';
  return scopeProblem(v.scope) ?? periodProblem(v.period);
}

/** Checks one element of a findings array; returns a reason or undefined. */
export function findingProblem(v: unknown): string | undefined {
  if (!isObject(v)) return 'expected an object';
  if (!isText(v.fingerprint)) return 'fingerprint: expected a non-empty string';
  if (!isText(v.detector)) return 'detector: expected a non-empty string';
  if (typeof v.rule !== 'string') return 'rule: expected a string';
  return scopeProblem(v.scope) ?? periodProblem(v.period);
}

/** Reads labels.jsonl; the first bad line is a UsageError `file:line: reason`. */
export async function readLabels(path: string): Promise<Label[]> {
  const labels: Label[] = [];
  for await (const { firstLineNo, lines } of readLineBatches(path)) {
    lines.forEach((line, i) => {
      if (line.trim() === '') return;
      let parsed: unknown;
      try {
        parsed = JSON.parse(line);
      } catch (err) {
        throw new UsageError(`${path}:${firstLineNo + i}: not JSON: ${(err as Error).message}`);
      }
      const problem = labelProblem(parsed);
      if (problem) throw new UsageError(`${path}:${firstLineNo + i}: not a label: ${problem}`);
      labels.push(parsed as Label);
    });
  }
  return labels;
}

/**
 * Reads the findings of `analyze --format json`: an object with a `findings` array, or (older
 * files) the array itself; a bad element is a UsageError naming its index.
 */
export async function readFindings(path: string): Promise<ScoredFinding[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new UsageError(
      `cannot read ${path}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`,
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new UsageError(`${path}: not JSON: ${(err as Error).message}`);
  }
  if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) {
    parsed = (parsed as { findings?: unknown }).findings;
  }
  if (!Array.isArray(parsed))
    throw new UsageError(
      `${path}: expected the output of tracewatch analyze --format json (an object with a findings array, or an array)`,
    );
  parsed.forEach((f, i) => {
    const problem = findingProblem(f);
    if (problem) throw new UsageError(`${path}: finding [${i}]: ${problem}`);
  });
  return parsed as ScoredFinding[];
}

/**
 * Unit-month coverage of an events file. Lines the detectors could not read either are
 * skipped and counted (analyze has already reported them).
 */
export async function coverageFromEvents(path: string): Promise<{ coverage: UnitMonths; skipped: number }> {
  const coverage = new UnitMonths('events');
  let skipped = 0;
  for await (const { lines } of readLineBatches(path)) {
    for (const line of lines) {
      if (line.trim() === '') continue;
      const r = trustedRecord(line);
      if (r.ok) coverage.addTrace(r.value.platformId, r.value.orgId, r.value.occurredAt);
      else skipped++;
    }
  }
  return { coverage, skipped };
}
