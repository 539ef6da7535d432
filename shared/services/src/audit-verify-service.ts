import { KeyChain, keyFingerprintOf, verifyChain, type ChainReport } from '@clearance/core';
import { streamAuditEvents, type Database } from '@clearance/db';
import { verifyChainOfDatabase, type ParallelVerifyOptions } from './audit-verify-parallel.js';
import { allCheckpoints } from './audit-checkpoint-service.js';
import { firstChainKeyPem, listKeyRotations } from './audit-key-rotations.js';
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
  const keyRotations = await listKeyRotations(db);
  const firstKey = firstChainKeyPem(keyRotations, signer.publicKeyPem);
  // Rotations are rare and their keys must be followed in order: such a log is walked on one thread.
  const report =
    keyRotations.length === 0
      ? await verifyChainOfDatabase(db, checkpoints, firstKey, parallel)
      : await verifyChain(streamAuditEvents(db), { checkpoints, publicKey: firstKey, keyRotations });
  // The chain of keys must lead to the key this server signs with; else its next checkpoints fail.
  const lastKey = new KeyChain(firstKey, keyRotations).last();
  if (lastKey !== undefined && lastKey.fingerprint !== keyFingerprintOf(signer.publicKeyPem)) {
    const detail = `the key chain ends at key ${lastKey.keyId}, but this server signs with key ${signer.keyId}: rotate with \`clearance audit rotate-key\` instead of replacing the key`;
    report.problems.push({ kind: 'key-rotation', seq: report.headSeq, detail });
    report.problemCount += 1;
    report.ok = false;
  }
  return { ...report, ok: report.ok && unreadable.length === 0, keyId: signer.keyId, unreadableCheckpointFiles: unreadable };
}
