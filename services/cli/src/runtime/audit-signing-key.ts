import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { AppError, generateSigningKey, keyIdOf } from '@clearance/core';
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
    const keyFile = signingKeyFile(input.dataDir);
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
  return signerFromPem(pem, resolve(input.checkpointDir ?? join(input.dataDir, 'checkpoints')));
}

/** The path of the generated key in the data folder (used when CLEARANCE_AUDIT_SIGNING_KEY is not set). */
export const signingKeyFile = (dataDir: string): string => join(dataDir, 'audit-signing-key.pem');

/** A signer from an Ed25519 private key in PEM (PKCS#8); anything else is refused with a clear message. */
export function signerFromPem(pem: string, checkpointDir: string | null): AuditSigner {
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(pem);
  } catch {
    throw new AppError('bad_request', 'the audit signing key is not a readable private key (PEM, PKCS#8)');
  }
  if (privateKey.asymmetricKeyType !== 'ed25519') throw new AppError('bad_request', 'the audit signing key must be an Ed25519 private key (PEM, PKCS#8)');
  const publicKeyPem = createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }).toString();
  return { privateKey, publicKeyPem, keyId: keyIdOf(publicKeyPem), checkpointDir };
}
