import { hash } from 'node:crypto';
import type { AuditEventBody } from './audit-event.js';
import { canonicalEventJson } from './fast-canonical-json.js';

export type { AuditEventBody, AuditEventRecord } from './audit-event.js';

/** The hash that precedes the first event of a chain. */
export const GENESIS_HASH = '0'.repeat(64);

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
