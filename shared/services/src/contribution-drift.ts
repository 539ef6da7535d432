import { detectDrift, upstreamUrl } from '@clearance/core';
import { findContribution, listDriftCandidates, recordDriftCheck, type ContributionRecord } from '@clearance/db';
import { isPermanentGitHubFailure, type ContributionGitHub } from './contribution-github.js';
import { auditContribution, type ContributionServiceDeps } from './contribution-transition.js';
import { contributionPolicyOf } from './policy-context.js';

export interface DriftSweep {
  checked: number;
  flagged: string[];
  /** Pull requests GitHub refused to show (they are checked again next time). */
  unreadable: string[];
}

const pullRequestUrl = (record: ContributionRecord): string =>
  record.pullRequest === null ? '' : `${upstreamUrl(record.pullRequest)}/pull/${record.pullRequest.number}`;

/**
 * The periodic drift check: re-reads the pull request of every approved
 * request whose pull request may still change. A merged one larger than its
 * approved tier allows is flagged for the OSPO (`contribution.drift-flagged`):
 * the approval covered a smaller change than the one that went out. Merged,
 * closed or vanished pull requests are not read again.
 */
export async function sweepContributionDrift(
  deps: ContributionServiceDeps,
  input: { github: ContributionGitHub; now?: Date; limit?: number },
): Promise<DriftSweep> {
  const policy = contributionPolicyOf(deps.policy);
  const sweep: DriftSweep = { checked: 0, flagged: [], unreadable: [] };
  for (const candidate of await listDriftCandidates(deps.db, input.limit ?? 100)) {
    const pr = candidate.pullRequest;
    const now = input.now ?? new Date();
    // Looked at, but not finished: it goes to the back of the line so it cannot starve the others.
    const skip = (): Promise<void> => deps.db.transaction((tx) => recordDriftCheck(tx, candidate.state.id, { at: now, done: false, flagged: false }));
    if (pr === null || pr.host.toLowerCase() !== input.github.host.toLowerCase()) {
      await skip();
      continue;
    }
    let info;
    try {
      info = await input.github.getPullRequest(pr.owner, pr.repo, pr.number);
    } catch (error) {
      // One unreadable pull request must not stop the sweep; a transient error fails the job so it retries.
      if (!isPermanentGitHubFailure(error)) throw error;
      sweep.unreadable.push(pullRequestUrl(candidate));
      await skip();
      continue;
    }
    const approvedTier = candidate.effectiveTier ?? candidate.state.tier;
    const finding = info === null ? null : detectDrift(approvedTier, info, policy);
    const done = info === null || info.merged || info.state === 'closed';
    await deps.db.transaction(async (tx) => {
      const current = await findContribution(tx, candidate.state.id, { forUpdate: true });
      if (current === null || current.driftFlaggedAt !== null) return;
      await recordDriftCheck(tx, candidate.state.id, { at: now, done, flagged: finding !== null });
      if (finding === null) return;
      await auditContribution(tx, deps.policy, {
        actor: 'system',
        requestId: candidate.state.id,
        payload: {
          type: 'contribution.drift-flagged',
          requestId: candidate.state.id,
          pullRequestUrl: pullRequestUrl(candidate),
          approvedTier: finding.approvedTier,
          allowedLines: finding.allowedLines,
          actualLines: finding.actualLines,
        },
      });
      sweep.flagged.push(candidate.state.id);
    });
    sweep.checked += 1;
  }
  return sweep;
}
