import { createPrivateKey, createPublicKey } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateSigningKey, keyFingerprintOf, keyIdOf } from '@clearance/core';
import { appendAuditEvent } from '@clearance/db';
import { createCheckpoint, listKeyRotations, verifyAuditLog, type AuditSigner } from '@clearance/services';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { spawnCli } from '../support/spawn-cli.js';
import { openTestPostgres, testDatabaseUrl, type TestDatabase } from '../support/test-database.js';

const signerOf = (privateKeyPem: string, checkpointDir: string): AuditSigner => {
  const publicKeyPem = createPublicKey(privateKeyPem).export({ type: 'spki', format: 'pem' }).toString();
  return { privateKey: createPrivateKey(privateKeyPem), publicKeyPem, keyId: keyIdOf(publicKeyPem), checkpointDir };
};

/** `clearance audit rotate-key` as an operator runs it, against a real PostgreSQL schema. */
describe('clearance audit rotate-key', () => {
  let test: TestDatabase;
  let dataDir: string;
  let firstPem: string;
  let env: Record<string, string>;

  beforeEach(async () => {
    test = await openTestPostgres('rotcli');
    dataDir = await mkdtemp(join(tmpdir(), 'clearance-rotcli-'));
    firstPem = generateSigningKey().privateKeyPem;
    await writeFile(join(dataDir, 'audit-signing-key.pem'), firstPem, { mode: 0o600 });
    await test.db.transaction((tx) =>
      appendAuditEvent(tx, {
        actor: 'admin',
        subjectType: 'token',
        subjectId: 'tok_1',
        payload: { type: 'token.created', tokenId: 'tok_1', user: 'ada', roles: ['requester'], bootstrap: false },
        policyVersion: null,
      }),
    );
    await createCheckpoint(test.db, signerOf(firstPem, join(dataDir, 'checkpoints')), null);
    env = { DATABASE_URL: testDatabaseUrl, DATABASE_SCHEMA: test.schema ?? '', CLEARANCE_DATA_DIR: dataDir };
  });
  afterEach(async () => {
    await test.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('generates a new key into the data folder, keeps the old one retired, and the chain verifies with the new key', async () => {
    const run = spawnCli(['audit', 'rotate-key'], env);
    expect(await run.exited).toBe(0);
    const first = signerOf(firstPem, join(dataDir, 'checkpoints'));
    const newPem = await readFile(join(dataDir, 'audit-signing-key.pem'), 'utf8');
    const next = signerOf(newPem, join(dataDir, 'checkpoints'));
    expect(next.keyId).not.toBe(first.keyId);
    expect(await readFile(join(dataDir, `audit-signing-key.${first.keyId}.retired.pem`), 'utf8')).toBe(firstPem);
    expect(run.stdout()).toContain(`old key SHA-256 fingerprint: ${keyFingerprintOf(first.publicKeyPem)}`);
    expect(run.stdout()).toContain(`new key SHA-256 fingerprint: ${keyFingerprintOf(next.publicKeyPem)}`);
    expect((await listKeyRotations(test.db)).map((rotation) => rotation.newKeyFingerprint)).toEqual([keyFingerprintOf(next.publicKeyPem)]);
    const report = await verifyAuditLog(test.db, next);
    expect(report.problems).toEqual([]);
    expect(report.ok).toBe(true);
  });

  it('takes the new key from --new-key when the key comes from CLEARANCE_AUDIT_SIGNING_KEY, and says to replace the variable', async () => {
    const nextPem = generateSigningKey().privateKeyPem;
    const keyPath = join(dataDir, 'next.pem');
    await writeFile(keyPath, nextPem);
    const run = spawnCli(['audit', 'rotate-key', '--new-key', keyPath], { ...env, CLEARANCE_AUDIT_SIGNING_KEY: firstPem });
    expect(await run.exited).toBe(0);
    expect(run.stdout()).toContain(`Now set CLEARANCE_AUDIT_SIGNING_KEY to the contents of ${keyPath}`);
    // The data folder's file is not the key in use here, so it is left alone.
    expect(await readFile(join(dataDir, 'audit-signing-key.pem'), 'utf8')).toBe(firstPem);
    expect((await verifyAuditLog(test.db, signerOf(nextPem, join(dataDir, 'checkpoints')))).ok).toBe(true);
  });

  it('refuses bad input with exit 2 and a message naming it, appending nothing', async () => {
    const noNewKey = spawnCli(['audit', 'rotate-key'], { ...env, CLEARANCE_AUDIT_SIGNING_KEY: firstPem });
    expect(await noNewKey.exited).toBe(2);
    expect(noNewKey.stderr()).toContain('CLEARANCE_AUDIT_SIGNING_KEY is set: give the new key with --new-key FILE');

    const notAKey = join(dataDir, 'not-a-key.pem');
    await writeFile(notAKey, 'hello\n');
    const badKey = spawnCli(['audit', 'rotate-key', '--new-key', notAKey], env);
    expect(await badKey.exited).toBe(2);
    expect(badKey.stderr()).toContain('the audit signing key is not a readable private key');

    const missing = spawnCli(['audit', 'rotate-key', '--new-key', join(dataDir, 'absent.pem')], env);
    expect(await missing.exited).toBe(2);
    expect(missing.stderr()).toContain('absent.pem cannot be read: ENOENT');

    const same = spawnCli(['audit', 'rotate-key', '--new-key', join(dataDir, 'audit-signing-key.pem')], env);
    expect(await same.exited).toBe(2);
    expect(same.stderr()).toContain('the new key is the key already in use');
    expect(await listKeyRotations(test.db)).toEqual([]);
    expect(await readdir(dataDir)).not.toContain('audit-signing-key.pem.next');
  });
});
