import { AppError, keyFingerprintOf, signKeyRotation, type KeyRotation } from '@clearance/core';
import { appendAuditEvent, lockAuditChain, type Database } from '@clearance/db';
import { createCheckpoint } from './audit-checkpoint-service.js';
import { listKeyRotations } from './audit-key-rotations.js';
import type { AuditSigner } from './audit-signer.js';

/**
 * Hands checkpoint signing over from `current` to `next`: a last checkpoint
 * by the old key seals everything before, the old key signs the
 * `audit.key-rotated` event naming the new key, and a first checkpoint by the
 * new key vouches for that event. Refused unless `current` is the key the
 * chain's last rotation announced.
 */
export async function rotateSigningKey(
  db: Database,
  current: AuditSigner,
  next: AuditSigner,
  input: { actor: string; policyVersion: string | null; now?: Date },
): Promise<KeyRotation> {
  const now = input.now ?? new Date();
  const currentFingerprint = keyFingerprintOf(current.publicKeyPem);
  if (keyFingerprintOf(next.publicKeyPem) === currentFingerprint) throw new AppError('bad_request', 'the new key is the key already in use');
  const rotations = await listKeyRotations(db);
  const announced = rotations.at(-1)?.newKeyFingerprint;
  if (announced !== undefined && announced !== currentFingerprint) {
    throw new AppError('conflict', `the signing key in use (${currentFingerprint}) is not the one the last rotation announced (${announced}): start with the current key`);
  }
  await createCheckpoint(db, current, input.policyVersion, now);
  const rotation = await db.transaction(async (tx) => {
    const head = await lockAuditChain(tx);
    const signed = signKeyRotation({ seq: (head?.seq ?? 0) + 1, rotatedAt: now.toISOString(), oldPrivateKey: current.privateKey, newPublicKey: next.publicKeyPem });
    const event = await appendAuditEvent(tx, { actor: input.actor, subjectType: 'audit', subjectId: 'signing-key', payload: signed, policyVersion: input.policyVersion });
    // The lock is held, so the event takes exactly the seq the statement names.
    if (event.seq !== signed.seq) throw new Error(`the rotation event got seq ${event.seq}, not ${signed.seq}`);
    return signed;
  });
  await createCheckpoint(db, next, input.policyVersion, now);
  return rotation;
}
