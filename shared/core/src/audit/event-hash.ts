import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';

// canonicalize is CommonJS whose typings claim a default export; load it as
// what it is (module.exports is the function).
const canonicalize = createRequire(import.meta.url)('canonicalize') as (input: unknown) => string | undefined;

/** The hash that precedes the first event of a chain. */
export const GENESIS_HASH = '0'.repeat(64);

/** The fields of an audit event that its hash covers (everything but the hashes). */
export interface AuditEventBody {
  seq: number;
  occurredAt: string;
  actor: string;
  action: string;
  subjectType: string;
  subjectId: string;
  payload: unknown;
  policyVersion: string | null;
}

export interface AuditEventRecord extends AuditEventBody {
  prevHash: string;
  hash: string;
}

/**
 * RFC 8785 canonical JSON of the event body. Canonical form makes the hash
 * independent of key order and number formatting, so any verifier that
 * implements RFC 8785 recomputes the same bytes.
 */
export function canonicalEventBytes(body: AuditEventBody): string {
  const text = canonicalize({
    seq: body.seq,
    occurredAt: body.occurredAt,
    actor: body.actor,
    action: body.action,
    subjectType: body.subjectType,
    subjectId: body.subjectId,
    payload: body.payload,
    policyVersion: body.policyVersion,
  });
  if (text === undefined) throw new Error('audit event body has no JSON form');
  return text;
}

/** hash = SHA-256(hex(prevHash) || canonicalJSON(body)), hex encoded. */
export function computeEventHash(prevHash: string, body: AuditEventBody): string {
  return createHash('sha256').update(prevHash).update(canonicalEventBytes(body)).digest('hex');
}
