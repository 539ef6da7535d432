import type { AuditEventRecord } from '@clearance/core';
import { z } from 'zod';

const activated = z.object({ version: z.string().min(1) });

/**
 * The policy versions an event refers to: the one it was recorded under and,
 * for `policy.activated`, the one it activates. Their files go in the bundle
 * so a reader can see the rules each decision was made under.
 */
export function referencedPolicyVersions(event: AuditEventRecord): string[] {
  const versions = event.policyVersion === null ? [] : [event.policyVersion];
  if (event.action === 'policy.activated') {
    const parsed = activated.safeParse(event.payload);
    if (parsed.success && parsed.data.version !== event.policyVersion) versions.push(parsed.data.version);
  }
  return versions;
}
