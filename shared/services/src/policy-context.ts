import type { LicensePolicy } from '@clearance/core';

/**
 * The policy in force for one process: what services judge by, and the
 * version every audit event they write records.
 */
export interface PolicyContext {
  version: string;
  licenses: LicensePolicy;
}
