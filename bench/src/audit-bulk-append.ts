import { auditPayloadSchema, GENESIS_HASH, linkEvents, type AuditEventBody, type AuditEventRecord } from '@clearance/core';
import { auditHead, type AuditAppend, type Database } from '@clearance/db';

export interface BulkBatchTiming {
  /** Payload validation and chain hashing, in this process. */
  hashMs: number;
  /** The INSERT and COMMIT, in PostgreSQL. */
  sqlMs: number;
}

const insertSql = `INSERT INTO audit_events (seq, occurred_at, actor, action, subject_type, subject_id, payload, policy_version, prev_hash, hash)
  SELECT * FROM unnest($1::bigint[], $2::timestamptz[], $3::text[], $4::text[], $5::text[], $6::text[], $7::jsonb[], $8::text[], $9::text[], $10::text[])`;

/**
 * Appends a batch of events in one transaction with the semantics of
 * `appendAuditEvent` (shared/db), only batched: the same advisory lock, the
 * head read under it, payloads parsed by the same schema, the chain computed
 * with the same recipe (linkEvents → computeEventHash), gap-free seqs. One
 * `INSERT … SELECT FROM unnest(arrays)` carries the whole batch, so the
 * statement is parsed once and there is one round trip instead of one per
 * event. This is the bench's bulk loader, not a production API.
 */
export async function appendAuditBatch(db: Database, inputs: readonly (AuditAppend & { occurredAt: Date })[]): Promise<BulkBatchTiming> {
  let hashMs = 0;
  const sqlStart = performance.now();
  await db.transaction(async (tx) => {
    await tx.query("SELECT pg_advisory_xact_lock(hashtext(current_schema() || '.clearance.audit'))");
    const head = await auditHead(tx);
    const hashStart = performance.now();
    const firstSeq = (head?.seq ?? 0) + 1;
    const bodies: AuditEventBody[] = inputs.map((input, i) => {
      const payload = auditPayloadSchema.parse(input.payload);
      return {
        seq: firstSeq + i,
        occurredAt: input.occurredAt.toISOString(),
        actor: input.actor,
        action: payload.type,
        subjectType: input.subjectType,
        subjectId: input.subjectId,
        payload,
        policyVersion: input.policyVersion,
      };
    });
    const records: AuditEventRecord[] = [...linkEvents(bodies, head?.hash ?? GENESIS_HASH)];
    const column = <T>(of: (record: AuditEventRecord) => T): T[] => records.map(of);
    const params = [
      column((r) => r.seq),
      column((r) => r.occurredAt),
      column((r) => r.actor),
      column((r) => r.action),
      column((r) => r.subjectType),
      column((r) => r.subjectId),
      column((r) => JSON.stringify(r.payload)),
      column((r) => r.policyVersion),
      column((r) => r.prevHash),
      column((r) => r.hash),
    ];
    hashMs = performance.now() - hashStart;
    await tx.query(insertSql, params);
  });
  return { hashMs, sqlMs: performance.now() - sqlStart - hashMs };
}
