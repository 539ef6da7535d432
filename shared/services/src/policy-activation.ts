import { appendAuditEvent, lastActivatedPolicyVersion, savePolicyVersion, type Database } from '@clearance/db';

export interface ActivatablePolicy {
  version: string;
  files: ReadonlyArray<{ name: string; content: string; sha256: string }>;
}

/**
 * Records a policy change as an event: when the version loaded at start
 * differs from the last one recorded, its files are stored and a
 * `policy.activated` event names the old and new versions. Several processes
 * starting at once record it once (the check runs under the audit lock).
 */
export async function activatePolicy(db: Database, policy: ActivatablePolicy): Promise<boolean> {
  return db.transaction(async (tx) => {
    await tx.query("SELECT pg_advisory_xact_lock(hashtext(current_schema() || '.clearance.policy'))");
    const previous = await lastActivatedPolicyVersion(tx);
    if (previous === policy.version) return false;
    await savePolicyVersion(tx, policy.version, policy.files);
    await appendAuditEvent(tx, {
      actor: 'system',
      subjectType: 'policy',
      subjectId: policy.version,
      payload: {
        type: 'policy.activated',
        version: policy.version,
        previousVersion: previous,
        files: policy.files.map((file) => ({ name: file.name, sha256: file.sha256 })),
      },
      policyVersion: policy.version,
    });
    return true;
  });
}
