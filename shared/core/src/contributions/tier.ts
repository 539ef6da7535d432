import { z } from 'zod';
import { tierTargets } from './tier-list.js';

export { tierTargets };

export type ContributionTier = keyof typeof tierTargets;
export type TierTarget = (typeof tierTargets)[ContributionTier];

export const contributionTiers = Object.keys(tierTargets) as [ContributionTier, ...ContributionTier[]];

export const contributionTierSchema = z.enum(contributionTiers, {
  error: () => `Tier must be one of: ${contributionTiers.join(', ')}`,
});

/** The tiers that send code to an existing upstream (all but `new-project`). */
export type UpstreamTier = { [T in ContributionTier]: (typeof tierTargets)[T] extends 'upstream' ? T : never }[ContributionTier];
export const upstreamTiers = contributionTiers.filter((tier): tier is UpstreamTier => tierTargets[tier] === 'upstream') as [
  UpstreamTier,
  ...UpstreamTier[],
];

export const tierRank = (tier: ContributionTier): number => contributionTiers.indexOf(tier);

/** The tier one step up, or null for the last one. */
export const nextTier = (tier: ContributionTier): ContributionTier | null =>
  contributionTiers[tierRank(tier) + 1] ?? null;

/** One object per tier with the same schema for each: the policy's `tiers` section. */
export const perTier = <Schema extends z.ZodType>(schema: Schema): Record<ContributionTier, Schema> =>
  Object.fromEntries(contributionTiers.map((tier) => [tier, schema])) as Record<ContributionTier, Schema>;
