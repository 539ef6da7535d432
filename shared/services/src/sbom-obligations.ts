import { AppError, obligationsOf, type ObligationGroup } from '@clearance/core';
import { listFindings, type Queryable, type SbomRow } from '@clearance/db';
import type { PolicyContext } from './policy-context.js';

/**
 * The obligations of a stored SBOM's latest evaluation under the obligations
 * catalogue in force: grouped by obligation, each license with the components
 * that bring it. Read only; empty when the policy has no obligations.yaml.
 */
export async function obligationsOfStoredSbom(db: Queryable, policy: PolicyContext, row: SbomRow): Promise<ObligationGroup[]> {
  if (row.status !== 'evaluated') {
    throw new AppError('conflict', `SBOM ${row.id} is ${row.status === 'queued' ? 'not evaluated yet' : 'rejected'}: its obligations need its evaluation`, {
      field: 'sbomId',
      status: row.status,
    });
  }
  if (policy.obligations === null) return [];
  const { items } = await listFindings(db, { sbomId: row.id, sort: 'index', limit: Math.max(row.componentCount, 1) });
  return obligationsOf(items, policy.obligations, policy.licenses);
}
