import { contributionTiers, tierTargets, type ContributionTier, type TierTarget } from '@clearance/core';
import type { PolicyContext } from './policy-context.js';

export interface TierDescription {
  tier: ContributionTier;
  /** What the tier sends out: code to an upstream, or a new project (which fields a request has). */
  target: TierTarget;
  label: string;
  description: string | null;
}

/**
 * The tiers in escalation order, as people see them: the list is core's, the
 * words are the policy's (a tier the policy does not describe shows its id).
 */
export const describeTiers = (policy: PolicyContext): TierDescription[] =>
  contributionTiers.map((tier) => {
    const entry = policy.contributions?.tiers[tier];
    return { tier, target: tierTargets[tier], label: entry?.label ?? tier, description: entry?.description ?? null };
  });
