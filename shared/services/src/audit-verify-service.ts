import type { ChainReport } from '@clearance/core';
import type { Database } from '@clearance/db';
import { verifyChainOfDatabase, type ParallelVerifyOptions } from './audit-verify-parallel.js';
import { allCheckpoints } from './audit-checkpoint-service.js';
import type { AuditSigner } from './audit-signer.js';

export interface AuditVerification extends ChainReport {
  keyId: string;
  /** Checkpoint files that could not be read (a tampered or truncated file). */
  unreadableCheckpointFiles: string[];
}

/**
 * Recomputes the whole chain from the database, streaming (memory does not
 * grow with the log), against every checkpoint known inside and outside it;
 * on all cores for a large log on PostgreSQL (verifyChainOfDatabase).
 */
export async function verifyAuditLog(
  db: Database,
  signer: Pick<AuditSigner, 'publicKeyPem' | 'keyId' | 'checkpointDir'>,
  parallel: ParallelVerifyOptions = {},
): Promise<AuditVerification> {
  const { checkpoints, unreadable } = await allCheckpoints(db, signer.checkpointDir);
  const report = await verifyChainOfDatabase(db, checkpoints, signer.publicKeyPem, parallel);
  return { ...report, ok: report.ok && unreadable.length === 0, keyId: signer.keyId, unreadableCheckpointFiles: unreadable };
}
