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
