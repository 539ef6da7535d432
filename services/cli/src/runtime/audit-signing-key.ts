import { createPrivateKey, createPublicKey } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { generateSigningKey, keyIdOf } from '@clearance/core';
import type { AuditSigner } from '@clearance/services';

/**
 * The checkpoint signing key: CLEARANCE_AUDIT_SIGNING_KEY (PEM) when given,
 * else the key file in the data folder, generated on first start (readable by
 * its owner only). Every process that signs must share one key, so a
 * deployment with several API processes sets the variable.
 */
export async function loadAuditSigner(input: { keyPem: string | undefined; dataDir: string; checkpointDir: string | undefined }): Promise<AuditSigner> {
  let pem = input.keyPem;
  if (!pem) {
    const keyFile = join(input.dataDir, 'audit-signing-key.pem');
    pem = await readFile(keyFile, 'utf8').catch(() => undefined);
    if (!pem) {
      await mkdir(input.dataDir, { recursive: true });
      const generated = generateSigningKey();
      await writeFile(keyFile, generated.privateKeyPem, { mode: 0o600, flag: 'wx' }).catch((error: NodeJS.ErrnoException) => {
        // Another process created it first: use theirs.
        if (error.code !== 'EEXIST') throw error;
      });
      pem = await readFile(keyFile, 'utf8');
    }
  }
  const privateKey = createPrivateKey(pem);
  if (privateKey.asymmetricKeyType !== 'ed25519') throw new Error('the audit signing key must be an Ed25519 private key (PEM, PKCS#8)');
  const publicKeyPem = createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }).toString();
  return {
    privateKey,
    publicKeyPem,
    keyId: keyIdOf(publicKeyPem),
    checkpointDir: resolve(input.checkpointDir ?? join(input.dataDir, 'checkpoints')),
  };
}
