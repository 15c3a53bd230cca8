import { sqlIdentifier, sqlString, sqlStringList } from '@tracewatch/store';
import type { Role } from './roles.js';

/**
 * What data a request may see, resolved once per request from its key. Every query builder
 * takes a Scope and applies it with `platformFilter`, so an owner's restriction is enforced in
 * one place whatever the route, filter or export.
 */
export type Scope = { kind: 'all' } | { kind: 'platforms'; platformIds: readonly string[] };

export function scopeFor(role: Role, platformIds: readonly string[]): Scope {
  if (role !== 'owner') return { kind: 'all' };
  // An owner key without platforms sees nothing (keySpecSchema refuses to create one).
  return { kind: 'platforms', platformIds: [...platformIds] };
}

/** Whether `platformId` lies inside the scope. */
export function inScope(scope: Scope, platformId: string): boolean {
  return scope.kind === 'all' || scope.platformIds.includes(platformId);
}

/**
 * The SQL condition restricting `column` to the scope (`1` for all). With `sharedValue` a row
 * whose column holds that value (e.g. '' = an evaluation covering every platform) is also seen.
 */
export function platformFilter(scope: Scope, column: string, sharedValue?: string): string {
  sqlIdentifier(column);
  if (scope.kind === 'all') return '1';
  const own = scope.platformIds.length > 0 ? `${column} IN ${sqlStringList(scope.platformIds)}` : '0';
  return sharedValue === undefined ? `(${own})` : `(${own} OR ${column} = ${sqlString(sharedValue)})`;
}
