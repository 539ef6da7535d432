import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalCheckpointBytes, generateSigningKey, keyIdOf, signCheckpoint, signedCheckpointSchema, verifyCheckpoint } from './checkpoint.js';

const body = { seq: 42, headHash: 'a'.repeat(64), createdAt: '2025-03-01T12:00:00.000Z' };

describe('signed checkpoints', () => {
  it('signs and verifies with the matching key', () => {
    const key = generateSigningKey();
    const checkpoint = signCheckpoint(body, key.privateKeyPem);
    expect(signedCheckpointSchema.parse(checkpoint)).toEqual(checkpoint);
    expect(checkpoint.keyId).toBe(key.keyId);
    expect(verifyCheckpoint(checkpoint, key.publicKeyPem)).toBe(true);
  });

  it('signs the RFC 8785 form of exactly seq, headHash, createdAt', () => {
    expect(canonicalCheckpointBytes({ ...body, extra: 1 } as typeof body)).toBe(
      `{"createdAt":"2025-03-01T12:00:00.000Z","headHash":"${'a'.repeat(64)}","seq":42}`,
    );
  });

  it('refuses a wrong key, an altered field and a garbled signature', () => {
    const key = generateSigningKey();
    const other = generateSigningKey();
    const checkpoint = signCheckpoint(body, key.privateKeyPem);
    expect(verifyCheckpoint(checkpoint, other.publicKeyPem)).toBe(false);
    expect(verifyCheckpoint({ ...checkpoint, seq: 43 }, key.publicKeyPem)).toBe(false);
    expect(verifyCheckpoint({ ...checkpoint, headHash: 'b'.repeat(64) }, key.publicKeyPem)).toBe(false);
    expect(verifyCheckpoint({ ...checkpoint, signature: 'AAAA' }, key.publicKeyPem)).toBe(false);
  });

  it('refuses a key that is not Ed25519', () => {
    const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const checkpoint = signCheckpoint(body, generateSigningKey().privateKeyPem);
    expect(verifyCheckpoint(checkpoint, publicKey)).toBe(false);
  });

  it('derives the key id from the SPKI DER, also from the private key', () => {
    const key = generateSigningKey();
    expect(keyIdOf(key.publicKeyPem)).toMatch(/^[0-9a-f]{16}$/);
    expect(keyIdOf(key.privateKeyPem)).toBe(keyIdOf(key.publicKeyPem));
    expect(keyIdOf(generateSigningKey().publicKeyPem)).not.toBe(key.keyId);
  });
});
