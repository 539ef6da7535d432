import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { AppError, generateSigningKey, keyFingerprintOf } from '@clearance/core';
import type { Command } from 'commander';
import { z } from 'zod';
import { parseEnvironment } from '../config/environment.js';
import { signerFromPem, signingKeyFile } from '../runtime/audit-signing-key.js';
import { withStorage } from './storage-environment.js';

const rotateEnvironmentSchema = z.object({
  CLEARANCE_DATA_DIR: z.string().min(1).default('.clearance-data'),
  CLEARANCE_AUDIT_SIGNING_KEY: z.string().optional(),
  CLEARANCE_CHECKPOINT_DIR: z.string().optional(),
});

const readPem = async (path: string, what: string): Promise<string> => {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    throw new AppError('bad_request', `${what} ${path} cannot be read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
};

/**
 * `clearance audit rotate-key`: the key in use announces its successor in
 * the chain, then steps aside. With the key in the data folder the file is
 * replaced here (the old one kept as a retired file); with
 * CLEARANCE_AUDIT_SIGNING_KEY the operator replaces the variable afterwards.
 */
export function registerRotateKeyCommand(audit: Command): void {
  audit
    .command('rotate-key')
    .description('hand audit signing over to a new Ed25519 key, announced in the chain by the old one (direct database access; stop servers and workers first)')
    .option('--new-key <file>', 'the new private key (PEM, PKCS#8); generated into the data folder when omitted')
    .action(async (options: { newKey?: string }) => {
      const env = parseEnvironment(rotateEnvironmentSchema, process.env);
      const checkpointDir = resolve(env.CLEARANCE_CHECKPOINT_DIR ?? join(env.CLEARANCE_DATA_DIR, 'checkpoints'));
      const fromVariable = env.CLEARANCE_AUDIT_SIGNING_KEY !== undefined && env.CLEARANCE_AUDIT_SIGNING_KEY !== '';
      if (fromVariable && options.newKey === undefined) {
        throw new AppError('bad_request', 'CLEARANCE_AUDIT_SIGNING_KEY is set: give the new key with --new-key FILE, then set the variable to that file\'s contents');
      }
      const keyFile = signingKeyFile(env.CLEARANCE_DATA_DIR);
      const currentPem = fromVariable ? (env.CLEARANCE_AUDIT_SIGNING_KEY ?? '') : await readPem(keyFile, 'the current signing key');
      const current = signerFromPem(currentPem, checkpointDir);
      const nextPem = options.newKey === undefined ? generateSigningKey().privateKeyPem : await readPem(options.newKey, '--new-key');
      const next = signerFromPem(nextPem, checkpointDir);

      // The new key is on disk before the chain names it, so a crash never leaves a key announced but lost.
      const stagedFile = `${keyFile}.next`;
      if (!fromVariable) await writeFile(stagedFile, nextPem, { mode: 0o600 });
      const { rotateSigningKey } = await import('@clearance/services');
      const rotation = await withStorage((db) => rotateSigningKey(db, current, next, { actor: `cli:${process.env.USER ?? 'unknown'}`, policyVersion: null })).catch(
        async (error: unknown) => {
          // Nothing was announced: the staged key must not linger.
          if (!fromVariable) await rm(stagedFile, { force: true });
          throw error;
        },
      );
      if (!fromVariable) {
        await rename(keyFile, join(env.CLEARANCE_DATA_DIR, `audit-signing-key.${current.keyId}.retired.pem`));
        await rename(stagedFile, keyFile);
      }
      process.stdout.write(
        `rotated the audit signing key at seq ${rotation.seq}\n` +
          `  old key SHA-256 fingerprint: ${keyFingerprintOf(current.publicKeyPem)}\n` +
          `  new key SHA-256 fingerprint: ${keyFingerprintOf(next.publicKeyPem)}\n` +
          (fromVariable
            ? `Now set CLEARANCE_AUDIT_SIGNING_KEY to the contents of ${options.newKey ?? ''} for every server and worker, and restart them.\n`
            : `The new key is in ${keyFile}; restart the server and workers.\n`) +
          'Dossier readers keep pinning the first key of the chain (--expect-key); the chain of rotations leads from it to the new key.\n',
      );
    });
}
