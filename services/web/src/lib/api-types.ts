/**
 * The shapes this UI reads from the API, written out here rather than
 * imported from the server packages: the browser bundle must not pull in
 * Node code, and the HTTP contract is what the UI depends on anyway.
 */
export type Verdict = 'allow' | 'review' | 'deny';

export interface VerdictCounts {
  total: number;
  allow: number;
  review: number;
  deny: number;
}

export interface Sbom {
  id: string;
  status: 'queued' | 'evaluated' | 'failed';
  verdict: 'pass' | 'review' | 'fail' | null;
  counts: VerdictCounts | null;
  /** Findings about the document itself, e.g. one that lists no components. */
  documentFindings?: DocumentFinding[];
  format: { kind: string; encoding: string; specVersion: string; compression?: string } | null;
  componentCount: number | null;
  filename: string | null;
  sha256: string;
  uploadedBy: string;
  uploadedAt: string;
  evaluation: number;
  policyVersion: string | null;
  evaluatedAt: string | null;
  error: { code: string; message: string; details?: unknown } | null;
}

export type LicenseChoice =
  | { kind: 'id'; id: string; acknowledgement?: string }
  | { kind: 'name'; name: string; acknowledgement?: string }
  | { kind: 'expression'; expression: string; acknowledgement?: string };

/** The policy rule that decided (core's `DecidingRule`). */
export type DecidingRule =
  | { kind: 'category'; category: string; license: string }
  | { kind: 'license'; id: string; license: string }
  | { kind: 'exception'; index: number; license: string }
  | { kind: 'unknown-license'; license: string }
  | { kind: 'outcome'; outcome: string };

export type DecidedBy =
  | { kind: 'rule'; rule: DecidingRule }
  | { kind: 'waiver'; waiverId: string }
  | { kind: 'expired-waiver-ignored'; waiverId: string; rule: DecidingRule };

export interface DocumentFinding {
  kind: 'no-components';
  verdict: Verdict;
  decidedBy: { kind: 'rule'; rule: DecidingRule };
  message: string;
}

export interface Finding {
  index: number;
  ref: string;
  name: string;
  version: string | null;
  purl: string | null;
  raw: { source: string; choices: LicenseChoice[] };
  outcome: string;
  expression: string | null;
  mappings: Array<{ from: string; to: string; method: string }>;
  verdict: Verdict;
  decidedBy: DecidedBy;
  chosenBranch: string | null;
  notes: string[];
}

export interface SbomDetail extends Sbom {
  findings: { items: Finding[]; nextCursor: number | string | null };
}

export interface Waiver {
  id: string;
  scope: { purl: string; match: string; licenseExpression?: string };
  verdict: Verdict;
  justification: string;
  expiresAt: string;
  grantedBy: string;
}

export interface AuditEvent {
  seq: number;
  occurredAt: string;
  actor: string;
  action: string;
  subjectType: string;
  subjectId: string;
  payload: Record<string, unknown>;
  policyVersion: string | null;
  prevHash: string;
  hash: string;
}

export interface ChainProblem {
  kind: string;
  seq: number;
  detail: string;
}

export interface AuditVerification {
  ok: boolean;
  eventCount: number;
  headSeq: number;
  headHash: string;
  checkpointsVerified: number;
  checkpointsSkipped: number;
  lastCheckpointSeq: number | null;
  problems: ChainProblem[];
  keyId: string;
  unreadableCheckpointFiles: string[];
}

export interface Stage {
  index: number;
  roles: string[];
  escalatedRoles: string[];
  approvals: number;
  dueInWorkingDays: number;
  rule: string;
  reason: string;
  status: 'waiting' | 'pending' | 'approved' | 'rejected' | 'changes-requested' | 'skipped';
  startedAt: string | null;
  dueAt: string | null;
  overdue: boolean;
  escalatedAt: string | null;
}

export interface Decision {
  stageIndex: number;
  decision: 'approve' | 'reject' | 'request-changes';
  by: string;
  asRoles: string[];
  reason: string | null;
  at: string;
}

export interface ExplanationEntry {
  rule: string;
  effect: string;
  detail: string;
}

export interface RoutingPlan {
  kind: 'auto-approved' | 'auto-rejected' | 'stages';
  rule?: string;
  reason?: string;
  effectiveTier: string;
  linesChanged: number;
  explanation: ExplanationEntry[];
}

export interface Enrichment {
  upstream: {
    exists: boolean;
    archived: boolean;
    license: string | null;
    licenseStatus: string;
    licenseNote: string | null;
    defaultBranch: string | null;
    visibility: string | null;
    licenseCategory?: string | null;
  } | null;
  pullRequest: { additions: number; deletions: number; changedFiles: number; merged: boolean; state: string; mergedAt: string | null } | null;
  claHints: { cla: boolean; dco: boolean; claName: string | null; sources: string[] } | null;
  findings: string[];
}

/** A request as submitted (the input form). */
export interface RequestInput {
  tier: string;
  upstream?: string;
  claName?: string;
  project?: { name: string; outboundLicense: string; owningTeam: string; maintenanceCommitment: string };
  title: string;
  justification: string;
  links: string[];
  estimatedLinesChanged: number;
  flags: Record<string, boolean>;
}

export interface Contribution {
  id: string;
  revision: number;
  previousRevisionId: string | null;
  requester: string;
  tier: string;
  effectiveTier: string | null;
  status: string;
  title: string;
  request: RequestInput;
  currentStage: number | null;
  stages: Stage[];
  decisions: Decision[];
  autoOutcome: { rule: string; reason: string | null } | null;
  plan: RoutingPlan | null;
  enrichment: Enrichment | null;
  policyVersion: string | null;
  version: number;
  createdAt: string;
  updatedAt: string;
  routedAt: string | null;
  decidedAt: string | null;
}

export interface ContributionDetail extends Contribution {
  nextRevisionId: string | null;
  revisions: Array<{
    id: string;
    revision: number;
    status: string;
    title: string;
    createdAt: string;
    decidedAt: string | null;
    autoOutcome: { rule: string; reason: string | null } | null;
    decisions: Decision[];
  }>;
}

export interface OutcomeCounts {
  [outcome: string]: number;
}

export interface ReviewItem {
  id: string;
  revision: number;
  previousRevisionId: string | null;
  requester: string;
  tier: string;
  effectiveTier: string | null;
  title: string;
  request: RequestInput;
  submittedAt: string;
  stage: Stage;
  stageCount: number;
  dueAt: string | null;
  overdue: boolean;
  upstream: Enrichment['upstream'];
  pullRequest: Enrichment['pullRequest'];
  claHints: Enrichment['claHints'];
  findings: string[];
  history: { requester: OutcomeCounts; upstream: OutcomeCounts | null };
  decisions: Decision[];
  explanation: ExplanationEntry[];
  mayDecide: boolean;
  blockedBecause: string | null;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | number | null;
}
