import { computeEventHash, GENESIS_HASH, type AuditEventBody, type AuditEventRecord } from './event-hash.js';

/**
 * Hash-links event bodies in the order given, lazily: the same recipe the
 * database append uses, for fixtures, benchmarks and re-building a chain in
 * memory. The bodies keep their own seq; nothing is renumbered.
 */
export function* linkEvents(bodies: Iterable<AuditEventBody>, prevHash: string = GENESIS_HASH): Generator<AuditEventRecord> {
  let previous = prevHash;
  for (const body of bodies) {
    const hash = computeEventHash(previous, body);
    yield { ...body, prevHash: previous, hash };
    previous = hash;
  }
}
