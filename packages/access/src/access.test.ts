import { describe, expect, it } from 'vitest';
import { generateKey, hashSecret, parseToken, secretMatches } from './keys.js';
import { keySpecSchema, may, PERMISSIONS, ROLES } from './roles.js';
import { inScope, platformFilter, scopeFor } from './scope.js';

describe('keys', () => {
  it('a generated token parses back to its key id and a secret that matches its hash', () => {
    const k = generateKey();
    const parsed = parseToken(k.token)!;
    expect(parsed.keyId).toBe(k.keyId);
    expect(secretMatches(parsed.secret, k.salt, k.secretHash)).toBe(true);
    expect(secretMatches(`${parsed.secret.slice(0, -1)}x`, k.salt, k.secretHash)).toBe(false);
    expect(k.token).not.toContain(k.secretHash);
  });
  it('the same secret hashes differently under another salt', () => {
    expect(hashSecret('s', '00')).not.toBe(hashSecret('s', '01'));
  });
  it('malformed tokens are refused before any lookup', () => {
    for (const t of [
      '',
      'tw_',
      'tw_123_abc',
      `tw_${'g'.repeat(16)}_${'a'.repeat(43)}`,
      `tw_${'a'.repeat(16)}_${'a'.repeat(42)}`,
      `tw_${'a'.repeat(16)}_${"a'".repeat(21)}a`,
    ])
      expect(parseToken(t)).toBeUndefined();
  });
  it('a stored hash of another length never matches', () => {
    expect(secretMatches('s', '00', 'abcd')).toBe(false);
  });
});

describe('roles', () => {
  it('only admins read the audit log; ops may not inspect; every role reads itself', () => {
    expect(ROLES.filter((r) => may(r, 'audit.read'))).toEqual(['admin']);
    expect(may('ops', 'inspect.read')).toBe(false);
    expect(ROLES.every((r) => may(r, 'self.read'))).toBe(true);
    expect(Object.keys(PERMISSIONS).length).toBeGreaterThan(0);
  });
  it('an owner key needs platforms; other roles take none', () => {
    expect(keySpecSchema.safeParse({ name: 'a', role: 'owner' }).success).toBe(false);
    expect(keySpecSchema.safeParse({ name: 'a', role: 'owner', platformIds: ['p1'] }).success).toBe(true);
    expect(keySpecSchema.safeParse({ name: 'a', role: 'admin', platformIds: ['p1'] }).success).toBe(false);
    expect(keySpecSchema.safeParse({ name: 'a', role: 'owner', platformIds: ["p'1"] }).success).toBe(false);
  });
});

describe('scope', () => {
  it('all roles but owners see everything', () => {
    expect(platformFilter(scopeFor('inspector', []), 'platform_id')).toBe('1');
    expect(inScope(scopeFor('admin', []), 'x')).toBe(true);
  });
  it('an owner is restricted to their platforms, values escaped; shared rows only when asked', () => {
    const s = scopeFor('owner', ['pA', "p'B"]);
    expect(platformFilter(s, 'platform_id')).toBe("(platform_id IN ('pA', 'p\\'B'))");
    expect(platformFilter(s, 'platform_id', '')).toBe("(platform_id IN ('pA', 'p\\'B') OR platform_id = '')");
    expect(inScope(s, 'pA')).toBe(true);
    expect(inScope(s, 'pC')).toBe(false);
    expect(platformFilter(scopeFor('owner', []), 'platform_id')).toBe('(0)');
  });
  it('column names come from code and are checked', () => {
    expect(() => platformFilter(scopeFor('owner', ['a']), 'platform_id; DROP')).toThrow(RangeError);
  });
});
