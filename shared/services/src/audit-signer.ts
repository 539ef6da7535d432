import type { KeyObject } from 'node:crypto';

/**
 * The Ed25519 key that signs checkpoints and dossier manifests, and the
 * folder outside the database where checkpoints are also written (a
 * superuser who rewrites the table cannot rewrite those files unseen).
 */
export interface AuditSigner {
  privateKey: KeyObject;
  publicKeyPem: string;
  keyId: string;
  checkpointDir: string | null;
}
