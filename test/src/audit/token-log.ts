import { generateSigningKey, keyIdOf } from '@clearance/core';
import { appendAuditEvent, type Database } from '@clearance/db';
import { createCheckpoint, type AuditSigner } from '@clearance/services';
import { createPrivateKey } from 'node:crypto';

/** A fresh signer whose checkpoint files go to `checkpointDir`. */
export const newSigner = (checkpointDir: string): AuditSigner => {
  const key = generateSigningKey();
  return { privateKey: createPrivateKey(key.privateKeyPem), publicKeyPem: key.publicKeyPem, keyId: keyIdOf(key.publicKeyPem), checkpointDir };
};

/** The tamper tests' log: 30 token events with a signed checkpoint after every 10 (each checkpoint is itself an event), 33 events. */
export async function appendTokenLog(db: Database, signer: AuditSigner): Promise<void> {
  for (let batch = 0; batch < 3; batch += 1) {
    for (let n = 0; n < 10; n += 1) {
      await db.transaction((tx) =>
        appendAuditEvent(tx, {
          actor: 'admin',
          subjectType: 'token',
          subjectId: `tok_${batch}_${n}`,
          payload: { type: 'token.created', tokenId: `tok_${batch}_${n}`, user: `user${n}`, roles: ['requester'], bootstrap: false },
          policyVersion: 'v1',
        }),
      );
    }
    await createCheckpoint(db, signer, 'v1');
  }
}
