import { createHash } from 'node:crypto';
import type { DetectorName, Period, Scope } from './types.js';

/** The scope as one unambiguous string (ids may contain ':' so the parts are JSON-quoted). */
export function scopeKey(scope: Scope): string {
  return JSON.stringify([scope.kind, scope.platformId, scope.orgId ?? null, scope.actorId ?? null]);
}

/**
 * Stable identity of a finding: sha-256 of the JSON array [detector, rule, scope kind, platform,
 * org, actor, period start, period end], first 16 bytes as 32 hex characters (128 bits, so
 * collisions are not a practical concern). The same test on the same scope and period always
 * gets the same fingerprint, so replays and restarts update an alert instead of duplicating it.
 */
export function fingerprint(detector: DetectorName, rule: string, scope: Scope, period: Period): string {
  const text = JSON.stringify([
    detector,
    rule,
    scope.kind,
    scope.platformId,
    scope.orgId ?? null,
    scope.actorId ?? null,
    period.start,
    period.end,
  ]);
  return createHash('sha256').update(text).digest('hex').slice(0, 32);
}
