import { contributionPolicySchema, licensePolicySchema, notificationPolicySchema, obligationPolicySchema } from '@clearance/core';
import type { ZodType } from 'zod';

/**
 * The schema of every policy file, by file name. A `*.yaml` file in a policy
 * folder with no entry here is an error, so a misspelt file name cannot be
 * silently ignored. Adding a file kind is one line.
 */
export const policyFileSchemas: Record<string, ZodType> = {
  'licenses.yaml': licensePolicySchema,
  'contributions.yaml': contributionPolicySchema,
  'obligations.yaml': obligationPolicySchema,
  'notifications.yaml': notificationPolicySchema,
};
