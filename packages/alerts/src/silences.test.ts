import { describe, expect, it } from 'vitest';
import { matchingSilences, silenceActive, silenceMatches } from './silences.js';
import { finding, silence } from './testing/fixtures.js';

const NOW = new Date('2026-12-01T10:00:00.000Z');
const orgFinding = finding({ scope: { kind: 'org', platformId: 'plat-a', orgId: 'org-1' } });
const actorFinding = finding({ scope: { kind: 'actor', platformId: 'plat-a', orgId: 'org-1', actorId: 'act-9' } });
const platformFinding = finding({ scope: { kind: 'platform', platformId: 'plat-a' } });

describe('silences', () => {
  it('active from createdAt until (not including) expiresAt', () => {
    const s = silence({ createdAt: '2026-12-01T00:00:00.000Z', expiresAt: '2026-12-01T10:00:00.000Z' });
    expect(silenceActive(s, new Date('2026-11-30T23:59:59.999Z'))).toBe(false);
    expect(silenceActive(s, new Date('2026-12-01T09:59:59.999Z'))).toBe(true);
    expect(silenceActive(s, NOW)).toBe(false);
  });

  it('by detector alone: every scope of that detector, no other detector', () => {
    const s = silence({ detector: 'burst-before-evaluation' });
    for (const f of [orgFinding, actorFinding, platformFinding]) expect(silenceMatches(s, f, NOW)).toBe(true);
    expect(silenceMatches(s, finding({ detector: 'backfill' }), NOW)).toBe(false);
  });

  it('by platform alone: any detector on that platform, no other platform', () => {
    const s = silence({ detector: null, platformId: 'plat-a' });
    expect(silenceMatches(s, finding({ detector: 'backfill' }), NOW)).toBe(true);
    expect(silenceMatches(s, finding({ scope: { kind: 'platform', platformId: 'plat-b' } }), NOW)).toBe(false);
  });

  it('narrowed to an org: that org and its actors, not the platform-wide alert nor another org', () => {
    const s = silence({ platformId: 'plat-a', orgId: 'org-1' });
    expect(silenceMatches(s, orgFinding, NOW)).toBe(true);
    expect(silenceMatches(s, actorFinding, NOW)).toBe(true);
    expect(silenceMatches(s, platformFinding, NOW)).toBe(false);
    expect(silenceMatches(s, finding({ scope: { kind: 'org', platformId: 'plat-a', orgId: 'org-2' } }), NOW)).toBe(
      false,
    );
  });

  it('narrowed to an actor: that actor only', () => {
    const s = silence({ platformId: 'plat-a', orgId: 'org-1', actorId: 'act-9' });
    expect(silenceMatches(s, actorFinding, NOW)).toBe(true);
    expect(silenceMatches(s, orgFinding, NOW)).toBe(false);
  });

  it('an expired silence matches nothing', () => {
    const s = silence({ expiresAt: '2026-12-01T09:00:00.000Z' });
    expect(silenceMatches(s, orgFinding, NOW)).toBe(false);
  });

  it('matchingSilences lists the ids of those that match, sorted', () => {
    const ids = matchingSilences(
      [
        silence({ id: 'b' }),
        silence({ id: 'a', detector: null, platformId: 'plat-a' }),
        silence({ id: 'c', detector: 'backfill' }),
      ],
      orgFinding,
      NOW,
    );
    expect(ids).toEqual(['a', 'b']);
  });
});
