import { plural } from '@clearance/core';
/**
 * Plain-text rendering of contribution requests and the review queue for the
 * terminal. The shapes are the API contract's (@clearance/contract).
 */
import type { Contribution, ContributionDetail, Decision, ReviewItem, Stage } from '@clearance/contract';

type StageJson = Stage;
type DecisionJson = Decision;

/** A request as the API answers it; the detail route adds the revision chain. */
export type ContributionJson = Contribution & Partial<Pick<ContributionDetail, 'nextRevisionId' | 'revisions'>>;
export type QueueItemJson = ReviewItem;

const day = (iso: string | null): string => (iso === null ? '-' : iso.slice(0, 16).replace('T', ' '));

const stageLine = (stage: StageJson, decisions: readonly DecisionJson[]): string => {
  const roles = [...stage.roles, ...stage.escalatedRoles.map((role) => `${role} (escalated)`)].join(' or ');
  const signed = decisions.filter((decision) => decision.stageIndex === stage.index).map((decision) => `${decision.decision} by ${decision.by}`);
  const due = stage.status === 'pending' ? ` due ${day(stage.dueAt)}${stage.overdue ? ' OVERDUE' : ''}` : '';
  return `  ${stage.index + 1}. ${roles.padEnd(24)} ${stage.status}${due}${signed.length > 0 ? ` — ${signed.join(', ')}` : ''}  [${stage.reason}]`;
};

export function formatContribution(request: ContributionJson): string {
  const lines = [
    `${request.id}  revision ${request.revision}  ${request.tier}${request.effectiveTier !== null && request.effectiveTier !== request.tier ? ` (routed as ${request.effectiveTier})` : ''}  ${request.status}`,
    `  ${request.title}`,
    `  requested by ${request.requester} on ${day(request.createdAt)}`,
  ];
  if (request.autoOutcome !== null) {
    lines.push(`  decided by rule ${request.autoOutcome.rule}${request.autoOutcome.reason === null ? '' : `: ${request.autoOutcome.reason}`}`);
  }
  if (request.stages.length > 0) {
    lines.push('Stages:');
    for (const stage of request.stages) lines.push(stageLine(stage, request.decisions));
  }
  const reasons = request.decisions.filter((decision) => decision.reason !== null);
  if (reasons.length > 0) {
    lines.push('Reasons:');
    for (const decision of reasons) lines.push(`  stage ${decision.stageIndex + 1}, ${decision.by} (${decision.decision}): ${decision.reason ?? ''}`);
  }
  if (request.plan !== null) {
    lines.push(`Why this plan (${plural(request.plan.linesChanged, 'line')}):`);
    for (const entry of request.plan.explanation) lines.push(`  ${entry.rule} [${entry.effect}]: ${entry.detail}`);
  }
  if (request.revisions !== undefined && request.revisions.length > 1) {
    lines.push(`Revisions: ${request.revisions.map((revision) => `${revision.revision} ${revision.status} (${revision.id})`).join(' → ')}`);
  }
  return `${lines.join('\n')}\n`;
}

export function formatContributionList(items: readonly ContributionJson[]): string {
  if (items.length === 0) return 'No contribution requests.\n';
  return `${items.map((item) => `${item.id}  ${item.status.padEnd(17)} ${item.tier.padEnd(11)} r${item.revision}  ${item.title}`).join('\n')}\n`;
}

export function formatQueue(items: readonly QueueItemJson[]): string {
  if (items.length === 0) return 'Nothing waits for your roles.\n';
  const blocks = items.map((item) => {
    const upstream = item.upstream === null ? 'no upstream data' : `${item.upstream.license ?? 'no license'} (${item.upstream.licenseCategory ?? 'uncategorized'})${item.upstream.archived ? ', ARCHIVED' : ''}`;
    const pr = item.pullRequest === null ? '' : `  PR +${item.pullRequest.additions}/-${item.pullRequest.deletions} in ${item.pullRequest.changedFiles} files${item.pullRequest.merged ? ', merged' : ''}`;
    const cla = item.claHints === null ? '' : `  CLA ${item.claHints.cla ? (item.claHints.claName ?? 'yes') : 'no'}, DCO ${item.claHints.dco ? 'yes' : 'no'}`;
    const history = `requester: ${item.history.requester.approved ?? 0} approved, ${item.history.requester.rejected ?? 0} rejected`;
    return [
      `${item.id}  stage ${item.stage.index + 1}/${item.stageCount} (${item.stage.roles.join(' or ')})  due ${day(item.stage.dueAt)}${item.overdue ? ' OVERDUE' : ''}`,
      `  ${item.tier}${item.effectiveTier !== null && item.effectiveTier !== item.tier ? ` → ${item.effectiveTier}` : ''} by ${item.requester}: ${item.title}`,
      `  upstream ${upstream}${pr}${cla}; ${history}`,
      ...item.explanation.filter((entry) => entry.effect !== 'note').map((entry) => `  ${entry.rule} [${entry.effect}]: ${entry.detail}`),
      ...(item.mayDecide ? [] : [`  you cannot decide this one: ${item.blockedBecause ?? ''}`]),
    ].join('\n');
  });
  return `${blocks.join('\n\n')}\n`;
}
