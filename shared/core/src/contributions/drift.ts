import { plural } from '../text/plural.js';
import type { PullRequestInfo } from './enrichment.js';
import type { ContributionPolicy } from './policy-schema.js';
import type { ContributionTier } from './tier.js';

export interface DriftFinding {
  approvedTier: ContributionTier;
  allowedLines: number;
  actualLines: number;
  detail: string;
}

/**
 * A merged pull request that grew past what its approved tier allows: the
 * approval covered a smaller change than the one that went out. Open pull
 * requests are not flagged yet (they may still shrink); closed unmerged ones
 * sent nothing out.
 */
export const detectDrift = (
  approvedTier: ContributionTier,
  pullRequest: PullRequestInfo,
  policy: ContributionPolicy,
): DriftFinding | null => {
  if (!pullRequest.merged) return null;
  const allowedLines = policy.tiers[approvedTier].maxLinesChanged;
  if (allowedLines === null) return null;
  const actualLines = pullRequest.additions + pullRequest.deletions;
  if (actualLines <= allowedLines) return null;
  return {
    approvedTier,
    allowedLines,
    actualLines,
    detail: `The merged pull request changed ${plural(actualLines, 'line')}; the approved tier ${approvedTier} allows ${allowedLines}`,
  };
};
