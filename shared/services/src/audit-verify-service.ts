import { verifyChainParallel, type ChainReport, type ParallelOptions } from '@clearance/core';
import { auditHead, streamAuditEvents, type Database } from '@clearance/db';
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
 * hashes are recomputed on all cores (verifyChainParallel).
 */
export async function verifyAuditLog(
  db: Database,
  signer: Pick<AuditSigner, 'publicKeyPem' | 'keyId' | 'checkpointDir'>,
  parallel: ParallelOptions = {},
): Promise<AuditVerification> {
  const { checkpoints, unreadable } = await allCheckpoints(db, signer.checkpointDir);
  // The head's seq sizes the log cheaply: a small one is verified on this thread alone.
  const head = await auditHead(db);
  const report = await verifyChainParallel(streamAuditEvents(db), { checkpoints, publicKey: signer.publicKeyPem }, { expectedEvents: head?.seq ?? 0, ...parallel });
  return { ...report, ok: report.ok && unreadable.length === 0, keyId: signer.keyId, unreadableCheckpointFiles: unreadable };
}
