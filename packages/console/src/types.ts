/** The shapes of the api's answers the console reads (see /docs for the full contract). */
export interface Catalog {
  platforms: Array<{ platformId: string; events: number; orgIds: string[] }>;
}

export interface EvaluationOut {
  id: string;
  name: string;
  kind: string;
  platformId: string | null;
  orgId: string | null;
  start: string;
  end: string;
}

export interface SeriesAnswer {
  days: Array<{ day: string; claimed: number; recorded: number; backfilled: number }>;
  evaluations: EvaluationOut[];
  extent: { firstDay: string; lastDay: string } | null;
  queriedAt: string;
}

export interface RealityAnswer {
  registeredUsers: { fromTraces: number; inPeriod: number; reported: { periodEnd: string; value: number } | null };
  activeUsers: { public: number; staff: number };
  dau: number;
  mau: number;
  dauMau: number | null;
  activity: { total: number; publicShare: number | null; staffShare: number | null };
  byDepartment: Array<{ orgId: string; events: number; publicEvents: number }>;
  hourWeekday: Array<{ weekday: number; hour: number; events: number }>;
  preWindow: { share: number | null; timeShare: number };
  tasks: {
    tasks: number;
    metShare: number | null;
    atDeadlineShare: number | null;
    medianAllowedHours: number | null;
    medianTakenHours: number | null;
  };
}

export type Localized = { 'zh-CN': string; en: string };
export type Severity = 'warning' | 'critical';

export interface FindingOut {
  fingerprint: string;
  state: 'open' | 'acknowledged' | 'resolved' | 'dismissed' | 'confirmed' | 'withdrawn';
  severity: Severity;
  detector: string;
  rule: string;
  test: Localized;
  scope: { kind: 'platform' | 'org' | 'actor'; platformId: string; orgId: string | null; actorId: string | null };
  period: { start: string; end: string };
  statistics: Record<string, number>;
  pValue: number | null;
  qValue: number | null;
  score: number;
  explanation: Localized;
  evidence: Record<string, unknown>;
  corroboratedBy: string[];
}

export interface SuspiciousPeriod {
  start: string;
  end: string;
  severity: Severity;
  detectors: string[];
  findings: FindingOut[];
}

export interface PeriodsAnswer {
  periods: SuspiciousPeriod[];
  findings: number;
  truncated: boolean;
}

export interface EvidenceAnswer {
  finding: FindingOut;
  selection: { description: Localized; timeBasis: 'claimed' | 'recorded'; tz: string };
  total: number;
  days: Array<{ day: string; events: number; backfilled: number }>;
  actors: Array<{ actorId: string; actorRole: string; events: number; firstAt: string; lastAt: string }>;
  records: Array<{
    eventId: string;
    occurredAt: string;
    recordedAt: string;
    lagHours: number;
    orgId: string;
    actorId: string;
    actorRole: string;
    action: string;
    taskId: string | null;
  }>;
  page: { limit: number; offset: number; returned: number; more: boolean };
}

export interface ReportAnswer extends SeriesAnswer, PeriodsAnswer {
  target: { platformId: string | null; orgId: string | null };
  range: { from: string; to: string; tz: string };
  totals: { claimed: number; recorded: number; backfilled: number };
  requestedBy: { keyId: string; name: string; role: 'ops' | 'inspector' | 'owner' | 'admin' };
  auditRequestId: string;
  queryMs: number;
}

export interface RankingRow {
  rank: number;
  platformId: string;
  orgId: string | null;
  confirmed: number;
  open: number;
  critical: number;
  detectors: string[];
  overdueNotices: number | null;
  indicators: {
    events: number;
    publicShare: number | null;
    staffShare: number | null;
    backfilledShare: number | null;
    preWindowShare: number | null;
    preWindowTimeShare: number;
  };
}

export interface RankingAnswer {
  rows: RankingRow[];
  overdueNoticesConnected: boolean;
}
