import { AppError, type ContributionPolicy, type LicensePolicy, type NotificationPolicy, type ObligationPolicy } from '@clearance/core';

/**
 * The policy in force for one process: what services judge by, and the
 * version every audit event they write records.
 */
export interface PolicyContext {
  version: string;
  licenses: LicensePolicy;
  /** Null when the policy folder has no contributions.yaml. */
  contributions: ContributionPolicy | null;
  /** Null when the policy folder has no obligations.yaml: SBOMs then list no obligations. */
  obligations: ObligationPolicy | null;
  /** Null or absent when the policy folder has no notifications.yaml. */
  notifications?: NotificationPolicy | null;
}

/** The contribution policy, or the error that says why contribution requests cannot be taken. */
export const contributionPolicyOf = (policy: PolicyContext): ContributionPolicy => {
  if (policy.contributions === null) {
    throw new AppError('unavailable', 'contribution requests are not configured: the policy folder has no contributions.yaml');
  }
  return policy.contributions;
};
