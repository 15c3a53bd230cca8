/**
 * Findings → alert commands. Each evaluation yields the findings that hold as of the
 * watermark; the alert keeper (packages/alerts) turns commands into alert changes. This module
 * decides what to send: a `finding` command for a fingerprint that is new, whose content
 * changed, or that was last sent on an earlier stream day (so the alert's lastSeenAt follows),
 * and a `withdraw` command for one that was sent before and no longer holds while its window is
 * still within the detectors' retention (the finding was not confirmed once its data was
 * complete; an older window that merely aged out of the detectors' memory is left as it is).
 *
 * Commands are safe to repeat: their ids are derived from what they say, and the keeper applies
 * a command id once and ignores findings that change nothing material.
 */
import { createHash } from 'node:crypto';
import { DAY_MS, type Finding, localDayNumber } from '@tracewatch/detectors';
import { ALERT_SCHEMA_VERSION, type AlertCommand, type FindingV1 } from '@tracewatch/schema';

const finiteOr = (x: number, fallback: number) => (Number.isFinite(x) ? x : fallback);

/**
 * The contract form of a finding (packages/schema `findingSchema`). JSON has no NaN or
 * Infinity: statistics that are not finite are left out, a non-finite score becomes 0, and
 * the evidence goes through JSON (where such numbers become null).
 */
export function toFindingContract(f: Finding): FindingV1 {
  const statistics: Record<string, number> = {};
  for (const [k, v] of Object.entries(f.statistics)) if (Number.isFinite(v)) statistics[k] = v;
  const scope: FindingV1['scope'] = { kind: f.scope.kind, platformId: f.scope.platformId };
  if (f.scope.orgId !== undefined) scope.orgId = f.scope.orgId;
  if (f.scope.actorId !== undefined) scope.actorId = f.scope.actorId;
  return {
    fingerprint: f.fingerprint,
    detector: f.detector,
    rule: f.rule,
    scope,
    period: { start: f.period.start, end: f.period.end },
    statistics,
    pValue: f.pValue === null ? null : Math.min(1, Math.max(0, finiteOr(f.pValue, 1))),
    qValue: f.qValue === null ? null : Math.min(1, Math.max(0, finiteOr(f.qValue, 1))),
    score: finiteOr(f.score, 0),
    severity: f.severity,
    evidence: JSON.parse(JSON.stringify(f.evidence)) as Record<string, unknown>,
    explanation: { 'zh-CN': f.explanation['zh-CN'], en: f.explanation.en },
    corroboratedBy: [...f.corroboratedBy],
  };
}

const sha = (text: string) => createHash('sha256').update(text).digest('hex');

export interface FindingTrackerOptions {
  /** Who sends: `system:<service>@<instance>`. */
  by: string;
  /** Windows ending within this many days of the watermark are withdrawn when they stop holding. */
  retentionDays: number;
  utcOffsetMinutes: number;
}

interface Sent {
  digest: string;
  day: number;
  periodEnd: string;
}

export class FindingTracker {
  private readonly sent = new Map<string, Sent>();

  constructor(private readonly options: FindingTrackerOptions) {}

  /**
   * Fingerprints the alert store already holds as active (open or acknowledged), e.g. after a
   * restart, or alerts a previous leader's last commands created after this one took over:
   * they are withdrawn if the next evaluation no longer finds them.
   * @returns how many were not known yet.
   */
  adopt(active: Iterable<{ fingerprint: string; periodEnd: string }>): number {
    let added = 0;
    for (const a of active) {
      if (this.sent.has(a.fingerprint)) continue;
      this.sent.set(a.fingerprint, { digest: '', day: -1, periodEnd: a.periodEnd });
      added++;
    }
    return added;
  }

  /** Fingerprints sent (or adopted) and not withdrawn since. */
  get size(): number {
    return this.sent.size;
  }

  /** The commands for one evaluation's findings as of `asOf` (epoch ms). */
  commands(findings: readonly Finding[], asOf: number): AlertCommand[] {
    const { by, retentionDays, utcOffsetMinutes } = this.options;
    const day = localDayNumber(asOf, utcOffsetMinutes);
    const asOfIso = new Date(asOf).toISOString();
    const out: AlertCommand[] = [];
    const present = new Set<string>();
    for (const f of findings) {
      present.add(f.fingerprint);
      const finding = toFindingContract(f);
      const digest = sha(JSON.stringify(finding));
      const last = this.sent.get(f.fingerprint);
      if (last && last.digest === digest && last.day >= day) continue;
      this.sent.set(f.fingerprint, { digest, day, periodEnd: f.period.end });
      out.push({
        kind: 'finding',
        schemaVersion: ALERT_SCHEMA_VERSION,
        commandId: sha(`finding\u0000${digest}\u0000${day}`).slice(0, 32),
        finding,
        asOf: asOfIso,
        by,
      });
    }
    const oldestRetainedEnd = new Date((day - retentionDays) * DAY_MS).toISOString().slice(0, 10);
    for (const [fingerprint, last] of this.sent) {
      if (present.has(fingerprint)) continue;
      this.sent.delete(fingerprint);
      if (last.periodEnd < oldestRetainedEnd) continue; // aged out of the detectors' memory
      out.push({
        kind: 'withdraw',
        schemaVersion: ALERT_SCHEMA_VERSION,
        commandId: sha(`withdraw\u0000${fingerprint}\u0000${asOf}`).slice(0, 32),
        fingerprint,
        asOf: asOfIso,
        by,
        reason: `no longer found as of ${asOfIso}`,
      });
    }
    return out;
  }
}
