import { hasAnyRole, type Principal } from '@clearance/core';
import type { AuditChange } from '@clearance/db';
import { auditReaders } from '../routes/audit-routes.js';
import { contributionReadersOfAll } from '../routes/contribution-routes.js';
import { sbomReadersOfAll } from '../routes/sbom-routes.js';
import { waiverReaders } from '../routes/waiver-routes.js';

/**
 * Whether a change may be streamed to someone: exactly when the route that
 * shows its subject would answer them. Audit readers see every event (as
 * `GET /audit/events` does); a contribution's or SBOM's changes go to those
 * who read them all and to their owner; waivers to waiver readers. Tokens,
 * policy, checkpoints and denials stay with the audit readers.
 */
export function maySeeChange(principal: Principal, change: AuditChange): boolean {
  if (hasAnyRole(principal, auditReaders)) return true;
  switch (change.subjectType) {
    case 'contribution':
      return hasAnyRole(principal, contributionReadersOfAll) || change.owner === principal.user;
    case 'sbom':
      return hasAnyRole(principal, sbomReadersOfAll) || change.owner === principal.user;
    case 'waiver':
      return hasAnyRole(principal, waiverReaders);
    default:
      return false;
  }
}
