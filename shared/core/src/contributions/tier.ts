import { z } from 'zod';

/**
 * The four kinds of outbound contribution, from least to most exposure: code
 * that fixes, code that improves, code that adds, code that seeds a project.
 * The order matters: escalating a request moves it one step to the right.
 */
export const contributionTiers = ['bug-fix', 'enhancement', 'new-feature', 'new-project'] as const;

export const contributionTierSchema = z.enum(contributionTiers, {
  error: () => `Tier must be one of: ${contributionTiers.join(', ')}`,
});
export type ContributionTier = z.infer<typeof contributionTierSchema>;

/** The tiers that send code to an existing upstream (all but `new-project`). */
export const upstreamTiers = ['bug-fix', 'enhancement', 'new-feature'] as const satisfies readonly ContributionTier[];
export type UpstreamTier = (typeof upstreamTiers)[number];

export const tierRank = (tier: ContributionTier): number => contributionTiers.indexOf(tier);

/** The tier one step up, or null for the last one. */
export const nextTier = (tier: ContributionTier): ContributionTier | null =>
  contributionTiers[tierRank(tier) + 1] ?? null;
