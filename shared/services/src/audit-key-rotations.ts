import { KEY_ROTATED_ACTION, keyRotationSchema, type KeyRotation } from '@clearance/core';
import { listAuditEvents, type Queryable } from '@clearance/db';

/** Far more rotations than any deployment makes; the list is read whole. */
const MAX_ROTATIONS = 10_000;

/**
 * The rotation events of the chain, in seq order. A row whose payload does
 * not parse is left out here; the chain walk reports it (it is then not
 * among the rotations the key chain was built from).
 */
export async function listKeyRotations(db: Queryable): Promise<KeyRotation[]> {
  const events = await listAuditEvents(db, { action: KEY_ROTATED_ACTION }, MAX_ROTATIONS);
  return events.flatMap((event) => {
    const parsed = keyRotationSchema.safeParse(event.payload);
    return parsed.success ? [parsed.data] : [];
  });
}

/** The chain's first key: the first rotation's old key, or the signer's own when there was none. */
export const firstChainKeyPem = (rotations: readonly KeyRotation[], currentPublicKeyPem: string): string => rotations[0]?.oldPublicKeyPem ?? currentPublicKeyPem;
