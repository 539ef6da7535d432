import { hash } from 'node:crypto';
import { canonicalEventJson } from './fast-canonical-json.js';

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
 * RFC 8785 canonical JSON of the event body: {seq, occurredAt, actor, action,
 * subjectType, subjectId, payload, policyVersion}. Canonical form makes the
 * hash independent of key order and number formatting, so any verifier that
 * implements RFC 8785 recomputes the same bytes. Written by
 * canonicalEventJson, which is byte-identical to the `canonicalize` package
 * (proven by fast-canonical-json.test.ts) and faster: hashing a million
 * events was mostly canonicalization.
 */
export function canonicalEventBytes(body: AuditEventBody): string {
  const text = canonicalEventJson(body);
  if (text === undefined) throw new Error('audit event body has no JSON form');
  return text;
}

/**
 * hash = SHA-256(hex(prevHash) || canonicalJSON(body)), hex encoded. One-shot
 * crypto.hash over the concatenation: the same UTF-8 bytes as two update
 * calls (prevHash is ASCII hex), without a Hash object per event.
 */
export function computeEventHash(prevHash: string, body: AuditEventBody): string {
  return hash('sha256', prevHash + canonicalEventBytes(body), 'hex');
}
