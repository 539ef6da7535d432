/** One labelled count, the unit of every table and chart in the report. */
export interface Tally {
  key: string;
  count: number;
}

export const contributionOutcomes = [
  'approved',
  'auto-approved',
  'rejected',
  'auto-rejected',
  'changes-requested',
  'withdrawn',
  'in-review',
] as const;
export type ContributionOutcome = (typeof contributionOutcomes)[number];

/** One "no": a reviewer's rejection or a policy's automatic one, with its reason. */
export interface Refusal {
  seq: number;
  at: string;
  subjectId: string;
  /** Who said no: the reviewer, or the system actor for an automatic rejection. */
  actor: string;
  kind: 'rejected' | 'auto-rejected';
  stage: string | null;
  reason: string;
  tier: string | null;
  upstream: string | null;
  policyVersion: string | null;
}

export interface StageReviewTimes {
  stage: string;
  decided: number;
  withinSla: number;
  late: number;
  /** Decisions whose stage had no due time in the events. */
  noSla: number;
  medianHours: number | null;
  maxHours: number | null;
}

export interface OverdueStage {
  subjectId: string;
  stage: string;
  dueAt: string;
}

export interface ReviewTimes {
  decided: number;
  /** Stages escalated because they passed their due time. */
  escalations: number;
  withinSla: number;
  late: number;
  noSla: number;
  medianHours: number | null;
  byStage: StageReviewTimes[];
  /** Stages still undecided at the end of the period and past their due time. */
  openOverdue: OverdueStage[];
}

export interface WaiverLine {
  waiverId: string;
  seq: number;
  grantedAt: string;
  grantedBy: string;
  subjectId: string;
  purl: string | null;
  expiresAt: string | null;
  /** Status at the end of the period. */
  status: 'open' | 'revoked' | 'expired';
}

export interface PolicyChange {
  seq: number;
  at: string;
  actor: string;
  version: string;
  previousVersion: string | null;
}

export interface ReportModel {
  period: { from: string | null; to: string | null };
  /** What the report was computed from: the events inside the period. */
  events: { count: number; firstSeq: number | null; lastSeq: number | null; firstAt: string | null; lastAt: string | null };
  contributions: {
    /** Requests with at least one event in the period; outcome as of the period's end. */
    total: number;
    byOutcome: Tally[];
    byTier: Tally[];
    byUpstream: Tally[];
    byTierAndOutcome: { tier: string; outcomes: Tally[] }[];
    refusals: Refusal[];
    changesRequested: number;
  };
  reviews: ReviewTimes;
  sboms: {
    evaluated: number;
    byVerdict: Tally[];
    /** Component counts summed over the SBOMs, by component verdict (allow, review, deny, ...). */
    componentsByVerdict: Tally[];
    /** Components by license category; `verdicts` splits each category when the events say. */
    byCategory: { category: string; count: number; verdicts: Tally[] }[];
  };
  waivers: {
    granted: number;
    open: number;
    revoked: number;
    expired: number;
    /** Waivers granted in the period, and older ones still open at its start. */
    lines: WaiverLine[];
  };
  policies: {
    /** The version in force when the period began (the last activation before it, else the first event's). */
    inForceAtStart: string | null;
    changes: PolicyChange[];
    eventsByVersion: Tally[];
  };
  /** Payloads the report could not read (a field it needs was missing or malformed), by action. */
  unreadable: Tally[];
}
