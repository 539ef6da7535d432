import {
  contributionEnrichmentSchema,
  pullRequestRefSchema,
  routingPlanSchema,
  type ContributionEnrichment,
  type ContributionState,
  type ContributionStatus,
  type ContributionTier,
  type DecisionRecord,
  type PullRequestRef,
  type ReviewerRole,
  type Role,
  type RoutingPlan,
  type StageState,
} from '@clearance/core';
import type { Queryable } from '../database.js';

/** What Clearance did on GitHub for a request, kept so a retried job does each thing once. */
export interface ContributionGitHubActions {
  comment?: { id: number; url: string; owner: string; repo: string; number: number };
  repository?: { org: string; name: string; url: string; license: string | null; created: boolean };
}

/** One revision of a contribution request with everything stored about it. */
export interface ContributionRecord {
  /** The state the decision rules work on (stages and decisions included). */
  state: ContributionState;
  chainId: string;
  title: string;
  /** The validated request in its input form; parse it with contributionRequestInputSchema. */
  input: unknown;
  upstreamKey: string | null;
  pullRequest: PullRequestRef | null;
  effectiveTier: ContributionTier | null;
  plan: RoutingPlan | null;
  enrichment: ContributionEnrichment | null;
  policyVersion: string | null;
  createdAt: Date;
  routedAt: Date | null;
  decidedAt: Date | null;
  githubActions: ContributionGitHubActions;
  driftFlaggedAt: Date | null;
}

export interface RequestRecord {
  id: string;
  chain_id: string;
  revision: number;
  previous_revision_id: string | null;
  requester: string;
  tier: ContributionTier;
  title: string;
  input: unknown;
  upstream_key: string | null;
  pull_request: unknown;
  status: ContributionStatus;
  current_stage: number | null;
  effective_tier: ContributionTier | null;
  plan: unknown;
  enrichment: unknown;
  auto_outcome: { rule: string; reason: string | null } | null;
  policy_version: string | null;
  version: number;
  created_at: Date;
  updated_at: Date;
  routed_at: Date | null;
  decided_at: Date | null;
  github_actions: ContributionGitHubActions;
  drift_flagged_at: Date | null;
}

interface StageRecord {
  request_id: string;
  idx: number;
  roles: ReviewerRole[];
  escalated_roles: ReviewerRole[];
  approvals: number;
  due_in_working_days: number;
  rule: string;
  reason: string;
  status: StageState['status'];
  started_at: Date | null;
  due_at: Date | null;
  escalated_at: Date | null;
}

interface DecisionRow {
  request_id: string;
  ordinal: number;
  stage_index: number;
  decision: DecisionRecord['decision'];
  decided_by: string;
  as_roles: Role[];
  reason: string | null;
  decided_at: Date;
}

const toStage = (record: StageRecord): StageState => ({
  index: record.idx,
  roles: record.roles,
  escalatedRoles: record.escalated_roles,
  approvals: record.approvals,
  dueInWorkingDays: record.due_in_working_days,
  rule: record.rule,
  reason: record.reason,
  status: record.status,
  startedAt: record.started_at,
  dueAt: record.due_at,
  escalatedAt: record.escalated_at,
});

const toDecision = (row: DecisionRow): DecisionRecord => ({
  stageIndex: row.stage_index,
  decision: row.decision,
  by: row.decided_by,
  asRoles: row.as_roles,
  reason: row.reason,
  at: row.decided_at,
});

export const toRecord = (row: RequestRecord, stages: StageState[], decisions: DecisionRecord[]): ContributionRecord => ({
  state: {
    id: row.id,
    revision: row.revision,
    previousRevisionId: row.previous_revision_id,
    requester: row.requester,
    tier: row.tier,
    status: row.status,
    currentStage: row.current_stage,
    stages,
    decisions,
    autoOutcome: row.auto_outcome,
    version: row.version,
    updatedAt: row.updated_at,
  },
  chainId: row.chain_id,
  title: row.title,
  input: row.input,
  upstreamKey: row.upstream_key,
  // The JSON columns are written by this module from validated values; parsing
  // them again keeps a hand-edited row from reaching the domain unnoticed.
  pullRequest: row.pull_request === null ? null : pullRequestRefSchema.parse(row.pull_request),
  effectiveTier: row.effective_tier,
  plan: row.plan === null ? null : routingPlanSchema.parse(row.plan),
  enrichment: row.enrichment === null ? null : contributionEnrichmentSchema.parse(row.enrichment),
  policyVersion: row.policy_version,
  createdAt: row.created_at,
  routedAt: row.routed_at,
  decidedAt: row.decided_at,
  githubActions: row.github_actions,
  driftFlaggedAt: row.drift_flagged_at,
});

/** Attaches stages and decisions to request rows with two queries, whatever the number of rows. */
export async function withChildren(db: Queryable, rows: readonly RequestRecord[]): Promise<ContributionRecord[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((row) => row.id);
  const stages = await db.query<StageRecord>('SELECT * FROM contribution_stages WHERE request_id = ANY($1) ORDER BY request_id, idx', [ids]);
  const decisions = await db.query<DecisionRow>(
    'SELECT * FROM contribution_decisions WHERE request_id = ANY($1) ORDER BY request_id, ordinal',
    [ids],
  );
  const stagesOf = new Map<string, StageState[]>();
  for (const stage of stages.rows) {
    const list = stagesOf.get(stage.request_id) ?? [];
    list.push(toStage(stage));
    stagesOf.set(stage.request_id, list);
  }
  const decisionsOf = new Map<string, DecisionRecord[]>();
  for (const decision of decisions.rows) {
    const list = decisionsOf.get(decision.request_id) ?? [];
    list.push(toDecision(decision));
    decisionsOf.set(decision.request_id, list);
  }
  return rows.map((row) => toRecord(row, stagesOf.get(row.id) ?? [], decisionsOf.get(row.id) ?? []));
}

