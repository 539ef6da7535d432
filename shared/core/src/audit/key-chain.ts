import type { KeyObject } from 'node:crypto';
import { z } from 'zod';
import { canonicalJson } from './canonical-json.js';
import { asPublicKey, keyFingerprintOf, keyIdOf, signDetached, verifyDetached, type KeyInput } from './checkpoint.js';
import type { AuditEventRecord } from './event-hash.js';

export const KEY_ROTATED_ACTION = 'audit.key-rotated';

const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'a lowercase hex SHA-256');

/**
 * The payload of an `audit.key-rotated` event: the old key announces the new
 * one. `seq` is the event's own sequence number, inside the signed statement,
 * so a rotation cannot be moved to another point of the chain: checkpoints at
 * or after it are signed by the new key, those before it by the old one.
 */
export const keyRotationSchema = z.strictObject({
  type: z.literal(KEY_ROTATED_ACTION),
  seq: z.number().int().positive(),
  rotatedAt: z.string().min(1),
  oldKeyFingerprint: sha256Hex,
  oldPublicKeyPem: z.string().min(1).max(4096),
  newKeyFingerprint: sha256Hex,
  newPublicKeyPem: z.string().min(1).max(4096),
  /** Ed25519 signature by the old key over keyRotationStatement(...), base64. */
  signature: z.string().regex(/^[A-Za-z0-9+/]+={0,2}$/),
});

export type KeyRotation = z.infer<typeof keyRotationSchema>;

/** The signed bytes: RFC 8785 JSON of every member but the signature. */
export function keyRotationStatement(rotation: Omit<KeyRotation, 'signature'>): string {
  const { type, seq, rotatedAt, oldKeyFingerprint, oldPublicKeyPem, newKeyFingerprint, newPublicKeyPem } = rotation;
  return canonicalJson({ type, seq, rotatedAt, oldKeyFingerprint, oldPublicKeyPem, newKeyFingerprint, newPublicKeyPem });
}

const spkiPem = (key: KeyInput): string => asPublicKey(key).export({ type: 'spki', format: 'pem' }).toString();

/** The rotation to append as event `seq`, signed by the key in use until then. */
export function signKeyRotation(input: { seq: number; rotatedAt: string; oldPrivateKey: KeyInput; newPublicKey: KeyInput }): KeyRotation {
  const statement: Omit<KeyRotation, 'signature'> = {
    type: KEY_ROTATED_ACTION,
    seq: input.seq,
    rotatedAt: input.rotatedAt,
    oldKeyFingerprint: keyFingerprintOf(input.oldPrivateKey),
    oldPublicKeyPem: spkiPem(input.oldPrivateKey),
    newKeyFingerprint: keyFingerprintOf(input.newPublicKey),
    newPublicKeyPem: spkiPem(input.newPublicKey),
  };
  return { ...statement, signature: signDetached(keyRotationStatement(statement), input.oldPrivateKey) };
}

/** A key and the first seq whose checkpoint it signs. */
export interface KeyEpoch {
  fromSeq: number;
  key: KeyObject;
  fingerprint: string;
  keyId: string;
}

export interface KeyChainProblem {
  seq: number;
  detail: string;
}

const readKey = (pem: string): KeyObject | null => {
  try {
    const key = asPublicKey(pem);
    return key.asymmetricKeyType === 'ed25519' ? key : null;
  } catch {
    return null;
  }
};

/**
 * The chain of checkpoint keys, from the first key through every rotation
 * that the key current at that point signed. A rotation that does not verify
 * is reported and ignored (like a forged checkpoint), so the checkpoints its
 * key signed then fail as signed by a key nobody announced.
 */
export class KeyChain {
  readonly epochs: KeyEpoch[] = [];
  readonly problems: KeyChainProblem[] = [];
  private readonly bySeq = new Map<number, KeyRotation>();
  private readonly witnessed = new Set<number>();

  constructor(firstKey: KeyInput, rotations: readonly KeyRotation[]) {
    let first: KeyObject;
    try {
      first = asPublicKey(firstKey);
    } catch {
      // The caller reports an unreadable key; no epoch means no checkpoint verifies.
      return;
    }
    this.epochs.push({ fromSeq: 0, key: first, fingerprint: keyFingerprintOf(first), keyId: keyIdOf(first) });
    for (const rotation of [...rotations].sort((a, b) => a.seq - b.seq)) {
      this.bySeq.set(rotation.seq, rotation);
      const problem = this.apply(rotation);
      if (problem !== null) this.problems.push({ seq: rotation.seq, detail: problem });
    }
  }

  private apply(rotation: KeyRotation): string | null {
    const current = this.last();
    if (current === undefined) return null;
    const at = `the key rotation at seq ${rotation.seq}`;
    if (rotation.oldKeyFingerprint !== current.fingerprint || keyFingerprintOf(rotation.oldPublicKeyPem) !== current.fingerprint) {
      return `${at} is announced by key ${rotation.oldKeyFingerprint.slice(0, 16)}, but the key current at that point is ${current.keyId}: the rotation is not trusted`;
    }
    if (!verifyDetached(keyRotationStatement(rotation), rotation.signature, current.key)) {
      return `${at} is not signed by the key current at that point (${current.keyId}): it was altered or forged, and the rotation is not trusted`;
    }
    const next = readKey(rotation.newPublicKeyPem);
    if (next === null || keyFingerprintOf(next) !== rotation.newKeyFingerprint) {
      return `${at} names a new key that is not a readable Ed25519 key with fingerprint ${rotation.newKeyFingerprint.slice(0, 16)}`;
    }
    if (rotation.seq <= current.fromSeq) return `${at} does not come after the previous rotation`;
    this.epochs.push({ fromSeq: rotation.seq, key: next, fingerprint: rotation.newKeyFingerprint, keyId: keyIdOf(next) });
    return null;
  }

  last(): KeyEpoch | undefined {
    return this.epochs.at(-1);
  }

  /** The key that must have signed a checkpoint of `seq`. */
  keyAt(seq: number): KeyEpoch | undefined {
    let found: KeyEpoch | undefined;
    for (const epoch of this.epochs) if (epoch.fromSeq <= seq) found = epoch;
    return found;
  }

  /**
   * A rotation event in the chain must be one of the rotations the key chain
   * was built from (same seq, same signature): otherwise the chain and the
   * key list disagree, and one of them was changed.
   */
  witness(event: AuditEventRecord): KeyChainProblem | null {
    if (event.action !== KEY_ROTATED_ACTION) return null;
    this.witnessed.add(event.seq);
    const parsed = keyRotationSchema.safeParse(event.payload);
    const known = this.bySeq.get(event.seq);
    if (!parsed.success || parsed.data.seq !== event.seq) return { seq: event.seq, detail: `the key rotation event at seq ${event.seq} is malformed or names another seq` };
    if (known === undefined || known.signature !== parsed.data.signature) {
      return { seq: event.seq, detail: `the key rotation event at seq ${event.seq} is not among the rotations the key chain was built from` };
    }
    return null;
  }

  /** Rotations claimed for seqs in (afterSeq, untilSeq] that the chain walked there does not hold. */
  unwitnessed(afterSeq: number, untilSeq: number): KeyChainProblem[] {
    return [...this.bySeq.keys()]
      .filter((seq) => seq > afterSeq && seq <= untilSeq && !this.witnessed.has(seq))
      .map((seq) => ({ seq, detail: `a key rotation is claimed at seq ${seq}, but the event there is not that rotation` }));
  }
}
