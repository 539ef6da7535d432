import type { DecisionRecord, StageState } from '@clearance/core';
import type { ContributionRecord } from '@clearance/db';
import type { ContributionDetail, ReviewQueueItem } from '@clearance/services';

const iso = (date: Date | null): string | null => date?.toISOString() ?? null;

export const stageView = (stage: StageState, now: Date = new Date()) => ({
  index: stage.index,
  roles: stage.roles,
  escalatedRoles: stage.escalatedRoles,
  approvals: stage.approvals,
  dueInWorkingDays: stage.dueInWorkingDays,
  rule: stage.rule,
  reason: stage.reason,
  status: stage.status,
  startedAt: iso(stage.startedAt),
  dueAt: iso(stage.dueAt),
  overdue: stage.status === 'pending' && stage.dueAt !== null && stage.dueAt.getTime() <= now.getTime(),
  escalatedAt: iso(stage.escalatedAt),
});

export const decisionView = (decision: DecisionRecord) => ({
  stageIndex: decision.stageIndex,
  decision: decision.decision,
  by: decision.by,
  asRoles: decision.asRoles,
  reason: decision.reason,
  at: decision.at.toISOString(),
});

/** One revision as the requester, a reviewer or an auditor reads it. */
export const contributionView = (record: ContributionRecord) => {
  const { state } = record;
  return {
    id: state.id,
    revision: state.revision,
    previousRevisionId: state.previousRevisionId,
    requester: state.requester,
    tier: state.tier,
    effectiveTier: record.effectiveTier,
    status: state.status,
    title: record.title,
    request: record.input,
    currentStage: state.currentStage,
    stages: state.stages.map((stage) => stageView(stage)),
    decisions: state.decisions.map(decisionView),
    autoOutcome: state.autoOutcome,
    /** The routing plan, with the explanation of every rule that shaped it. */
    plan: record.plan,
    enrichment: record.enrichment,
    policyVersion: record.policyVersion,
    version: state.version,
    createdAt: record.createdAt.toISOString(),
    updatedAt: state.updatedAt.toISOString(),
    routedAt: iso(record.routedAt),
    decidedAt: iso(record.decidedAt),
    github: record.githubActions,
    driftFlaggedAt: iso(record.driftFlaggedAt),
  };
};

/** A revision with the whole chain: earlier revisions keep their decisions, visible next to the new one. */
export const contributionDetailView = (detail: ContributionDetail) => {
  const { record, revisions } = detail;
  return {
    ...contributionView(record),
    nextRevisionId: revisions.find((revision) => revision.state.previousRevisionId === record.state.id)?.state.id ?? null,
    revisions: revisions.map((revision) => ({
      id: revision.state.id,
      revision: revision.state.revision,
      status: revision.state.status,
      title: revision.title,
      createdAt: revision.createdAt.toISOString(),
      decidedAt: iso(revision.decidedAt),
      autoOutcome: revision.state.autoOutcome,
      decisions: revision.state.decisions.map(decisionView),
    })),
  };
};

/** What a reviewer needs to decide one queue entry without opening anything else. */
export const reviewQueueItemView = (item: ReviewQueueItem, now: Date) => {
  const { record } = item;
  const enrichment = record.enrichment;
  return {
    id: record.state.id,
    revision: record.state.revision,
    previousRevisionId: record.state.previousRevisionId,
    requester: record.state.requester,
    tier: record.state.tier,
    effectiveTier: record.effectiveTier,
    title: record.title,
    request: record.input,
    submittedAt: record.createdAt.toISOString(),
    stage: stageView(item.stage, now),
    stageCount: record.state.stages.length,
    dueAt: iso(item.stage.dueAt),
    overdue: item.overdue,
    upstream:
      enrichment?.upstream === null || enrichment?.upstream === undefined
        ? null
        : { ...enrichment.upstream, licenseCategory: item.upstreamLicenseCategory },
    pullRequest: enrichment?.pullRequest ?? null,
    claHints: enrichment?.claHints ?? null,
    findings: enrichment?.findings ?? [],
    history: { requester: item.requesterOutcomes, upstream: item.upstreamOutcomes },
    decisions: record.state.decisions.map(decisionView),
    explanation: record.plan?.explanation ?? [],
    mayDecide: item.mayDecide,
    blockedBecause: item.blockedBecause,
  };
};
