import { createPrivateKey } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateSigningKey, keyFingerprintOf, keyIdOf, signKeyRotation, type KeyRotation } from '@clearance/core';
import { appendAuditEvent, auditHead } from '@clearance/db';
import { verifyBundle } from '@clearance/dossier';
import { createCheckpoint, exportDossier, listKeyRotations, rotateSigningKey, verifyAuditLog, type AuditSigner } from '@clearance/services';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openTestPostgres, type TestDatabase } from '../support/test-database.js';

const newSigner = (checkpointDir: string): AuditSigner => {
  const key = generateSigningKey();
  return { privateKey: createPrivateKey(key.privateKeyPem), publicKeyPem: key.publicKeyPem, keyId: keyIdOf(key.publicKeyPem), checkpointDir };
};

/** Key rotation on a real PostgreSQL chain: the database walk and the dossier bundle follow the chain of keys. */
describe('audit signing key rotation (real PostgreSQL)', () => {
  let test: TestDatabase;
  let dir: string;
  let first: AuditSigner;
  let second: AuditSigner;
  let stranger: AuditSigner;

  const appendTokens = async (prefix: string, count: number): Promise<void> => {
    for (let n = 0; n < count; n += 1) {
      await test.db.transaction((tx) =>
        appendAuditEvent(tx, {
          actor: 'admin',
          subjectType: 'token',
          subjectId: `${prefix}_${n}`,
          payload: { type: 'token.created', tokenId: `${prefix}_${n}`, user: `user${n}`, roles: ['requester'], bootstrap: false },
          policyVersion: null,
        }),
      );
    }
  };

  /** A rotation event appended as the chain's next event, signed by whoever the test says. */
  const appendRotation = async (rotation: (seq: number) => KeyRotation): Promise<number> => {
    const seq = ((await auditHead(test.db))?.seq ?? 0) + 1;
    await test.db.transaction((tx) => appendAuditEvent(tx, { actor: 'intruder', subjectType: 'audit', subjectId: 'signing-key', payload: rotation(seq), policyVersion: null }));
    return seq;
  };

  const exportTo = async (signer: AuditSigner, scope: { subject?: { type: string; id: string } } = {}): Promise<string> => {
    const out = join(dir, `bundle-${Math.random().toString(36).slice(2)}`);
    await exportDossier(test.db, signer, out, { ...scope, actor: 'auditor', policyVersion: null });
    return out;
  };

  beforeEach(async () => {
    test = await openTestPostgres('keyrot');
    dir = await mkdtemp(join(tmpdir(), 'clearance-keyrot-'));
    first = newSigner(join(dir, 'checkpoints'));
    second = newSigner(join(dir, 'checkpoints'));
    stranger = newSigner(join(dir, 'checkpoints'));
    await appendTokens('before', 5);
    await createCheckpoint(test.db, first, null);
  });
  afterEach(async () => {
    await test.close();
    await rm(dir, { recursive: true, force: true });
  });

  describe('a valid rotation', () => {
    let rotationSeq: number;
    beforeEach(async () => {
      rotationSeq = (await rotateSigningKey(test.db, first, second, { actor: 'cli:ops', policyVersion: null })).seq;
      await appendTokens('after', 5);
      await createCheckpoint(test.db, second, null);
    });

    it('is an audit.key-rotated event signed by the old key naming both fingerprints, sealed before and vouched for after', async () => {
      const [rotation] = await listKeyRotations(test.db);
      expect(rotation).toMatchObject({
        type: 'audit.key-rotated',
        seq: rotationSeq,
        oldKeyFingerprint: keyFingerprintOf(first.publicKeyPem),
        newKeyFingerprint: keyFingerprintOf(second.publicKeyPem),
        newPublicKeyPem: second.publicKeyPem,
      });
      const report = await verifyAuditLog(test.db, second);
      expect(report.problems).toEqual([]);
      // Before the rotation: seq 5 and 6 by the old key; after: the rotation itself and seq 15 by the new key.
      expect(report).toMatchObject({ ok: true, eventCount: 15, checkpointsVerified: 4, lastCheckpointSeq: 14 });
    });

    it('fails the database walk of a server still signing with the old key, naming the key to rotate to', async () => {
      const report = await verifyAuditLog(test.db, first);
      expect(report.ok).toBe(false);
      expect(report.problems).toContainEqual(expect.objectContaining({ kind: 'key-rotation', detail: expect.stringContaining(`this server signs with key ${first.keyId}`) }));
    });

    it('refuses to sign a checkpoint with the retired key, so a process not yet restarted cannot break the chain', async () => {
      await appendTokens('late', 1);
      await expect(createCheckpoint(test.db, first, null)).rejects.toThrow(`this process signs with key ${first.keyId}, but the audit chain rotated to key ${second.keyId}`);
      expect((await verifyAuditLog(test.db, second)).ok).toBe(true);
    });

    it('refuses a second rotation started from the retired key', async () => {
      await expect(rotateSigningKey(test.db, first, stranger, { actor: 'cli:ops', policyVersion: null })).rejects.toThrow(/not the one the last rotation announced/);
    });

    it('verifies a whole-chain bundle pinned to the FIRST key, not to the current one', async () => {
      const bundle = await exportTo(second);
      expect(await readFile(join(bundle, 'public-key.pem'), 'utf8')).toBe(first.publicKeyPem);
      const pinned = await verifyBundle(bundle, { expectKey: keyFingerprintOf(first.publicKeyPem) });
      expect(pinned.problems).toEqual([]);
      expect(pinned.ok).toBe(true);
      expect(pinned.chain?.checkpointsVerified).toBeGreaterThanOrEqual(4);
      const pinnedToCurrent = await verifyBundle(bundle, { expectKey: keyFingerprintOf(second.publicKeyPem) });
      expect(pinnedToCurrent.problems.map((problem) => problem.kind)).toEqual(['key-untrusted']);
    });

    it('verifies a bundle whose range starts after the rotation, through key-rotations.json', async () => {
      const bundle = await exportTo(second, { subject: { type: 'token', id: 'after_3' } });
      const report = await verifyBundle(bundle, { expectKey: keyFingerprintOf(first.publicKeyPem) });
      expect(report.manifest?.events.predecessor.seq).toBeGreaterThan(rotationSeq);
      expect(report.problems).toEqual([]);
      expect(report.chain?.checkpointsVerified).toBeGreaterThan(0);
      const rotations = JSON.parse(await readFile(join(bundle, 'key-rotations.json'), 'utf8')) as KeyRotation[];
      expect(rotations.map((rotation) => rotation.seq)).toEqual([rotationSeq]);
    });
  });

  it('fails a forged rotation announced by a key that is not the current one, in the database walk and the bundle', async () => {
    // The stranger announces itself, claiming to replace the current key it does not hold.
    const forgedSeq = await appendRotation((seq) => ({
      ...signKeyRotation({ seq, rotatedAt: new Date().toISOString(), oldPrivateKey: stranger.privateKey, newPublicKey: stranger.publicKeyPem }),
      oldKeyFingerprint: keyFingerprintOf(first.publicKeyPem),
      oldPublicKeyPem: first.publicKeyPem,
    }));
    await appendTokens('forged', 3);
    const strangerCheckpoint = await createCheckpoint(test.db, stranger, null);

    const report = await verifyAuditLog(test.db, stranger);
    expect(report.ok).toBe(false);
    expect(report.problems).toContainEqual({
      kind: 'key-rotation',
      seq: forgedSeq,
      detail: `the key rotation at seq ${forgedSeq} is not signed by the key current at that point (${first.keyId}): it was altered or forged, and the rotation is not trusted`,
    });
    expect(report.problems).toContainEqual(expect.objectContaining({ kind: 'checkpoint-signature', seq: strangerCheckpoint?.seq }));

    const bundle = await exportTo(stranger);
    const bundleReport = await verifyBundle(bundle, { expectKey: keyFingerprintOf(first.publicKeyPem) });
    expect(bundleReport.ok).toBe(false);
    expect(bundleReport.problems).toContainEqual(expect.objectContaining({ kind: 'key-rotation', file: 'key-rotations.json', seq: forgedSeq }));
    // The manifest is signed by the stranger, whom the chain from the first key never reaches.
    expect(bundleReport.problems.map((problem) => problem.kind)).toContain('manifest-signature');
  });

  it('fails a rotation put in front of the chain by a key of its own: the real first key\'s checkpoints and the pin name it', async () => {
    // A self-consistent rotation stranger → second: the database walk starts from its old key, so the
    // checkpoint the real first key signed before it fails, and a bundle pinned to the real first key fails.
    await appendRotation((seq) => signKeyRotation({ seq, rotatedAt: new Date().toISOString(), oldPrivateKey: stranger.privateKey, newPublicKey: second.publicKeyPem }));
    await createCheckpoint(test.db, second, null);
    const report = await verifyAuditLog(test.db, second);
    expect(report.ok).toBe(false);
    expect(report.problems).toContainEqual(expect.objectContaining({ kind: 'checkpoint-signature', seq: 5, detail: expect.stringContaining(`signed by key ${first.keyId}, not by ${stranger.keyId}`) }));

    const bundle = await exportTo(second);
    const bundleReport = await verifyBundle(bundle, { expectKey: keyFingerprintOf(first.publicKeyPem) });
    expect(bundleReport.problems).toContainEqual(expect.objectContaining({ kind: 'key-untrusted', file: 'public-key.pem' }));
    expect(bundleReport.problems).toContainEqual(expect.objectContaining({ kind: 'checkpoint-signature', seq: 5 }));
  });

  it('fails a checkpoint signed by a key no rotation announced, naming its seq', async () => {
    await appendTokens('later', 3);
    const unannounced = await createCheckpoint(test.db, stranger, null);
    const seq = unannounced?.seq ?? -1;
    const report = await verifyAuditLog(test.db, first);
    expect(report.ok).toBe(false);
    expect(report.problems).toContainEqual({
      kind: 'checkpoint-signature',
      seq,
      detail: `the checkpoint at seq ${seq} is signed by key ${stranger.keyId}, not by ${first.keyId}, the key current at that seq: no trusted key rotation announced key ${stranger.keyId}`,
    });

    const bundle = await exportTo(first);
    const bundleReport = await verifyBundle(bundle, { expectKey: keyFingerprintOf(first.publicKeyPem) });
    expect(bundleReport.problems).toContainEqual(expect.objectContaining({ kind: 'checkpoint-signature', file: 'checkpoints.json', seq }));
  });

  it('fails a bundle whose key-rotations.json leaves out a rotation its events hold', async () => {
    await rotateSigningKey(test.db, first, second, { actor: 'cli:ops', policyVersion: null });
    const bundle = await exportTo(second);
    // Emptying the list (and not re-signing) changes a listed file and breaks the chain of keys.
    await writeFile(join(bundle, 'key-rotations.json'), '[]\n');
    const report = await verifyBundle(bundle, { expectKey: keyFingerprintOf(first.publicKeyPem) });
    expect(report.ok).toBe(false);
    const kinds = report.problems.map((problem) => problem.kind);
    expect(kinds).toContain('file-changed');
    expect(kinds).toContain('key-rotation');
  });
});
