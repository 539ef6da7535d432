import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError, keyFingerprintOf, signCheckpoint, signedCheckpointSchema, type SignedCheckpoint } from '@clearance/core';
import { appendAuditEvent, auditEventAt, auditHead, insertCheckpoint, lastCheckpointSeq, listCheckpoints, lockAuditChain, type Database } from '@clearance/db';
import { listKeyRotations } from './audit-key-rotations.js';
import type { AuditSigner } from './audit-signer.js';

const checkpointFileName = (seq: number): string => `checkpoint-${String(seq).padStart(12, '0')}.json`;

/** Written to a temporary name first, so a crash never leaves half a checkpoint file. */
async function writeCheckpointFile(dir: string, checkpoint: SignedCheckpoint): Promise<void> {
  await mkdir(dir, { recursive: true });
  const path = join(dir, checkpointFileName(checkpoint.seq));
  await writeFile(`${path}.tmp`, `${JSON.stringify(checkpoint, null, 2)}\n`, { mode: 0o644 });
  await rename(`${path}.tmp`, path);
}

/**
 * Signs the current head of the chain, unless it is already signed. The
 * checkpoint row and its `audit.checkpoint` event commit together (the event
 * comes after the head it signs); the file outside the database follows.
 */
export async function createCheckpoint(db: Database, signer: AuditSigner, policyVersion: string | null, now: Date = new Date()): Promise<SignedCheckpoint | null> {
  const checkpoint = await db.transaction(async (tx) => {
    // No event can be appended between reading the head and signing it.
    const head = await lockAuditChain(tx);
    if (!head || head.seq <= (await lastCheckpointSeq(tx))) return null;
    // A process still holding a key the chain rotated away from would sign checkpoints that fail verification.
    const announced = (await listKeyRotations(tx)).at(-1)?.newKeyFingerprint;
    if (announced !== undefined && announced !== keyFingerprintOf(signer.publicKeyPem)) {
      throw new AppError('conflict', `this process signs with key ${signer.keyId}, but the audit chain rotated to key ${announced.slice(0, 16)}: restart it with the new key`);
    }
    const signed = signCheckpoint({ seq: head.seq, headHash: head.hash, createdAt: now.toISOString() }, signer.privateKey);
    await insertCheckpoint(tx, signed);
    await appendAuditEvent(tx, {
      actor: 'system',
      subjectType: 'audit',
      subjectId: 'checkpoint',
      payload: { type: 'audit.checkpoint', seq: signed.seq, headHash: signed.headHash, signature: signed.signature, keyId: signed.keyId },
      policyVersion,
    });
    return signed;
  });
  if (checkpoint && signer.checkpointDir) await writeCheckpointFile(signer.checkpointDir, checkpoint);
  return checkpoint;
}

export interface CheckpointSchedule {
  /** Sign once this many events wait unsigned. */
  everyEvents: number;
  /**
   * Sign once the oldest unsigned event is this old, however few there are:
   * a small deployment never reaches `everyEvents`, and its events would
   * otherwise stay vouched for by nothing signed.
   */
  maxAgeMs: number;
  now?: () => Date;
}

/** A checkpoint every `everyEvents` events, or when an unsigned event is `maxAgeMs` old: cheap to call often. */
export async function checkpointIfDue(db: Database, signer: AuditSigner, policyVersion: string | null, schedule: CheckpointSchedule): Promise<SignedCheckpoint | null> {
  const head = await auditHead(db);
  if (!head) return null;
  const signedUpTo = await lastCheckpointSeq(db);
  if (head.seq <= signedUpTo) return null;
  const now = schedule.now?.() ?? new Date();
  if (head.seq - signedUpTo < schedule.everyEvents) {
    const oldestUnsigned = await auditEventAt(db, signedUpTo + 1);
    if (!oldestUnsigned || now.getTime() - Date.parse(oldestUnsigned.occurredAt) < schedule.maxAgeMs) return null;
  }
  return createCheckpoint(db, signer, policyVersion, now);
}

/** Checkpoints from the folder outside the database; unreadable files are reported, not trusted. */
export async function readCheckpointDir(dir: string): Promise<{ checkpoints: SignedCheckpoint[]; unreadable: string[] }> {
  const names = await readdir(dir).catch(() => [] as string[]);
  const checkpoints: SignedCheckpoint[] = [];
  const unreadable: string[] = [];
  for (const name of names.filter((entry) => /^checkpoint-\d+\.json$/.test(entry)).sort()) {
    try {
      checkpoints.push(signedCheckpointSchema.parse(JSON.parse(await readFile(join(dir, name), 'utf8'))));
    } catch {
      unreadable.push(name);
    }
  }
  return { checkpoints, unreadable };
}

/**
 * Every checkpoint known, from the table and from the folder. A checkpoint
 * whose row was deleted still counts through its file; when the two copies of
 * one seq differ, both are kept so verification names the mismatch.
 */
export async function allCheckpoints(db: Database, checkpointDir: string | null): Promise<{ checkpoints: SignedCheckpoint[]; unreadable: string[] }> {
  const fromDb = await listCheckpoints(db);
  const fromDir = checkpointDir ? await readCheckpointDir(checkpointDir) : { checkpoints: [], unreadable: [] };
  const seen = new Map<string, SignedCheckpoint>();
  for (const checkpoint of [...fromDb, ...fromDir.checkpoints]) seen.set(`${checkpoint.seq}:${checkpoint.signature}`, checkpoint);
  return { checkpoints: [...seen.values()].sort((a, b) => a.seq - b.seq), unreadable: fromDir.unreadable };
}
