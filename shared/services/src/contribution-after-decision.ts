import { AppError, contributionRequestInputSchema, isOpenStatus, type ContributionPolicy } from '@clearance/core';
import { findContribution, recordGitHubAction, type ContributionRecord } from '@clearance/db';
import type { ContributionGitHub } from './contribution-github.js';
import { auditContribution, lockContribution, type ContributionServiceDeps } from './contribution-transition.js';
import { contributionPolicyOf } from './policy-context.js';

export type AfterDecisionAction = 'commented' | 'repo-created' | 'repo-found';

const outcomeText: Record<string, string> = {
  approved: 'approved',
  'auto-approved': 'approved under a standing rule',
  rejected: 'not approved',
  'auto-rejected': 'not approved',
  'changes-requested': 'returned for changes',
};

/** The part of the comment that names this decision, and by which a retry recognizes a comment already posted. */
const commentReference = (record: ContributionRecord): string => `(Clearance reference ${record.state.id}, revision ${record.state.revision})`;

/**
 * What goes on the upstream pull request. It is public: it names the
 * reference an auditor can look up, never the reviewers or their reasons.
 */
const commentBody = (record: ContributionRecord): string =>
  `This contribution was ${outcomeText[record.state.status] ?? record.state.status} by our open source program office ${commentReference(record)}.`;

async function commentOnPullRequest(
  deps: ContributionServiceDeps,
  github: ContributionGitHub,
  record: ContributionRecord,
  policy: ContributionPolicy,
): Promise<boolean> {
  const pr = record.pullRequest;
  const status = record.state.status;
  if (pr === null || record.githubActions.comment !== undefined) return false;
  if (!(policy.afterDecision.commentOn as readonly string[]).includes(status)) return false;
  // A pull request on another host is out of this client's reach; enrichment already said so.
  if (pr.host.toLowerCase() !== github.host.toLowerCase()) return false;
  // A try that posted and then died before recording it left the comment there: find it rather than post a second one.
  const posted =
    (await github.findPullRequestComment(pr.owner, pr.repo, pr.number, commentReference(record))) ??
    (await github.commentOnPullRequest(pr.owner, pr.repo, pr.number, commentBody(record)));
  const comment = { id: posted.id, url: posted.htmlUrl, owner: pr.owner, repo: pr.repo, number: pr.number };
  await deps.db.transaction(async (tx) => {
    await lockContribution(tx, record.state.id);
    await recordGitHubAction(tx, record.state.id, { comment });
    await auditContribution(tx, deps.policy, {
      actor: 'system',
      requestId: record.state.id,
      payload: { type: 'github.commented', requestId: record.state.id, owner: pr.owner, repo: pr.repo, number: pr.number, commentId: posted.id, url: posted.htmlUrl },
    });
  });
  return true;
}

async function createProjectRepository(
  deps: ContributionServiceDeps,
  github: ContributionGitHub,
  record: ContributionRecord,
  policy: ContributionPolicy,
  org: string | null,
): Promise<AfterDecisionAction | null> {
  if (record.state.status !== 'approved' || record.githubActions.repository !== undefined || !policy.afterDecision.createRepository) return null;
  const request = contributionRequestInputSchema.parse(record.input);
  if (request.tier !== 'new-project') return null;
  if (org === null) {
    // Final, not retried: a missing setting does not appear by waiting. The failed job shows it.
    throw new AppError('unprocessable', `CLEARANCE_GITHUB_ORG is not set: cannot create the repository of approved new project ${record.state.id}`);
  }
  const { project } = request;
  const created = await github.createRepository(org, project.name, {
    description: request.title,
    license: project.outboundLicense,
    private: policy.afterDecision.repositoryVisibility === 'private',
  });
  const repository = { org, name: project.name, url: created.htmlUrl, license: created.license ?? project.outboundLicense, created: created.created };
  await deps.db.transaction(async (tx) => {
    await lockContribution(tx, record.state.id);
    await recordGitHubAction(tx, record.state.id, { repository });
    await auditContribution(tx, deps.policy, {
      actor: 'system',
      requestId: record.state.id,
      payload: { type: 'github.repo-created', requestId: record.state.id, ...repository },
    });
  });
  return created.created ? 'repo-created' : 'repo-found';
}

/**
 * What Clearance does on GitHub once a request is decided, per the policy's
 * `afterDecision` section. Each action is recorded on the request as it
 * completes, so a retried job skips what is done; creating a repository that
 * already exists finds it instead (the client reports `created: false`).
 */
export async function actOnContributionDecision(
  deps: ContributionServiceDeps,
  input: { requestId: string; github: ContributionGitHub; org: string | null },
): Promise<AfterDecisionAction[]> {
  const policy = contributionPolicyOf(deps.policy);
  const record = await findContribution(deps.db, input.requestId);
  if (record === null) throw new AppError('not_found', `no contribution request ${input.requestId}`);
  if (isOpenStatus(record.state.status)) return [];
  const actions: AfterDecisionAction[] = [];
  if (await commentOnPullRequest(deps, input.github, record, policy)) actions.push('commented');
  const repository = await createProjectRepository(deps, input.github, record, policy, input.org);
  if (repository !== null) actions.push(repository);
  return actions;
}
