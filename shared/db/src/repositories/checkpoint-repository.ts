import type { SignedCheckpoint } from '@clearance/core';
import type { Queryable } from '../database.js';

interface CheckpointRecord {
  seq: number;
  head_hash: string;
  created_at: string;
  key_id: string;
  signature: string;
}

const toCheckpoint = (record: CheckpointRecord): SignedCheckpoint => ({
  seq: record.seq,
  headHash: record.head_hash,
  createdAt: record.created_at,
  keyId: record.key_id,
  signature: record.signature,
});

export async function insertCheckpoint(tx: Queryable, checkpoint: SignedCheckpoint): Promise<void> {
  await tx.query(
    'INSERT INTO audit_checkpoints (seq, head_hash, created_at, key_id, signature) VALUES ($1, $2, $3, $4, $5)',
    [checkpoint.seq, checkpoint.headHash, checkpoint.createdAt, checkpoint.keyId, checkpoint.signature],
  );
}

export async function listCheckpoints(db: Queryable): Promise<SignedCheckpoint[]> {
  const { rows } = await db.query<CheckpointRecord>('SELECT * FROM audit_checkpoints ORDER BY seq');
  return rows.map(toCheckpoint);
}

export async function lastCheckpointSeq(db: Queryable): Promise<number> {
  const { rows } = await db.query<{ seq: number | null }>('SELECT max(seq)::bigint AS seq FROM audit_checkpoints');
  return rows[0]?.seq ?? 0;
}
