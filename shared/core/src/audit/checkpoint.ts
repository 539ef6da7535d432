import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { z } from 'zod';
import { canonicalJson } from './canonical-json.js';

/** What a checkpoint attests: the chain had this head hash at this sequence number at this time. */
export interface CheckpointBody {
  seq: number;
  headHash: string;
  createdAt: string;
}

export interface SignedCheckpoint extends CheckpointBody {
  /** keyIdOf(the public key): lets a reader pick the key without trying them all. */
  keyId: string;
  /** Ed25519 signature over canonicalCheckpointBytes(body), base64. */
  signature: string;
}

export const signedCheckpointSchema = z.strictObject({
  seq: z.number().int().nonnegative(),
  headHash: z.string().regex(/^[0-9a-f]{64}$/),
  createdAt: z.string().min(1),
  keyId: z.string().regex(/^[0-9a-f]{16}$/),
  signature: z.string().regex(/^[A-Za-z0-9+/]+={0,2}$/),
}) satisfies z.ZodType<SignedCheckpoint>;

export type KeyInput = KeyObject | string;

const asPrivateKey = (key: KeyInput): KeyObject => (typeof key === 'string' ? createPrivateKey(key) : key);

/** Accepts a public key, or a private key (its public half is used). */
export const asPublicKey = (key: KeyInput): KeyObject => {
  if (typeof key !== 'string') return key.type === 'private' ? createPublicKey(key) : key;
  return createPublicKey(key);
};

/** The signed bytes: RFC 8785 JSON of exactly {seq, headHash, createdAt}. */
export function canonicalCheckpointBytes(body: CheckpointBody): string {
  return canonicalJson({ seq: body.seq, headHash: body.headHash, createdAt: body.createdAt });
}

/**
 * SHA-256 over the key's SPKI DER encoding, 64 hex chars: what a verifier
 * pins (`--expect-key`), learned out of band from the server that signs.
 */
export function keyFingerprintOf(publicKey: KeyInput): string {
  const der = asPublicKey(publicKey).export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(der).digest('hex');
}

/** The fingerprint's first 16 hex chars: short enough to name the key in every checkpoint. */
export function keyIdOf(publicKey: KeyInput): string {
  return keyFingerprintOf(publicKey).slice(0, 16);
}

export function signCheckpoint(body: CheckpointBody, privateKey: KeyInput): SignedCheckpoint {
  const key = asPrivateKey(privateKey);
  // Ed25519 hashes internally, hence the null digest.
  const signature = sign(null, Buffer.from(canonicalCheckpointBytes(body), 'utf8'), key).toString('base64');
  return { seq: body.seq, headHash: body.headHash, createdAt: body.createdAt, keyId: keyIdOf(key), signature };
}

/** True when the signature is valid for this key. A checkpoint of another key is false, never an exception. */
export function verifyCheckpoint(checkpoint: SignedCheckpoint, publicKey: KeyInput): boolean {
  return verifyDetached(canonicalCheckpointBytes(checkpoint), checkpoint.signature, publicKey);
}

/** Ed25519 verification of base64 `signature` over the UTF-8 bytes of `text`; malformed input is false. */
export function verifyDetached(text: string, signature: string, publicKey: KeyInput): boolean {
  try {
    const key = asPublicKey(publicKey);
    // Only Ed25519 is part of the format; another key type must not "verify" by accident.
    if (key.asymmetricKeyType !== 'ed25519') return false;
    return verify(null, Buffer.from(text, 'utf8'), key, Buffer.from(signature, 'base64'));
  } catch {
    return false;
  }
}

/** Ed25519 signature of the UTF-8 bytes of `text`, base64. */
export function signDetached(text: string, privateKey: KeyInput): string {
  return sign(null, Buffer.from(text, 'utf8'), asPrivateKey(privateKey)).toString('base64');
}

export interface SigningKeyPair {
  privateKeyPem: string;
  publicKeyPem: string;
  keyId: string;
}

/** A fresh Ed25519 key pair: PKCS#8 private and SPKI public, both PEM. */
export function generateSigningKey(): SigningKeyPair {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    keyId: keyIdOf(publicKey),
  };
}
