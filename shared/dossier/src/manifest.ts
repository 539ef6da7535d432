import { canonicalJson, GENESIS_HASH, signDetached, verifyDetached, type KeyInput } from '@clearance/core';
import { z } from 'zod';
import { BUNDLE_FORMAT, BUNDLE_FORMAT_VERSION, isSafeRelativePath, isSafeVersion } from './bundle-layout.js';

const sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'a lowercase hex SHA-256');

export const bundleManifestSchema = z.strictObject({
  format: z.literal(BUNDLE_FORMAT),
  formatVersion: z.literal(BUNDLE_FORMAT_VERSION),
  createdAt: z.string(),
  scope: z.strictObject({
    from: z.string().nullable(),
    to: z.string().nullable(),
    /** `<subjectType>:<subjectId>`; the events are still the whole chain over the range. */
    subject: z.string().nullable(),
  }),
  events: z.strictObject({
    count: z.number().int().nonnegative(),
    firstSeq: z.number().int().positive().nullable(),
    lastSeq: z.number().int().positive().nullable(),
    /** The event just before the first exported one: seq 0 and the genesis hash for a chain from its start. */
    predecessor: z.strictObject({ seq: z.number().int().nonnegative(), hash: sha256 }),
    /** Hash of the last exported event (the predecessor's hash when there are none). */
    headHash: sha256,
    /** Events of scope.subject, or null without a subject. */
    subjectEventCount: z.number().int().nonnegative().nullable(),
  }),
  checkpoints: z.strictObject({ count: z.number().int().nonnegative() }),
  policyVersions: z.array(z.string().refine(isSafeVersion, 'not a usable policy version')),
  keyId: z.string().regex(/^[0-9a-f]{16}$/),
  files: z.record(z.string().refine(isSafeRelativePath, 'not a safe relative path'), sha256),
  signature: z.string().min(1),
});

export type BundleManifest = z.infer<typeof bundleManifestSchema>;
export type UnsignedManifest = Omit<BundleManifest, 'signature'>;

/** The signed bytes: RFC 8785 JSON of the manifest without its `signature` member. */
export const manifestSigningText = (manifest: UnsignedManifest): string => {
  const { signature: _signature, ...unsigned } = manifest as BundleManifest;
  return canonicalJson(unsigned);
};

export const signManifest = (manifest: UnsignedManifest, privateKey: KeyInput): BundleManifest => ({
  ...manifest,
  signature: signDetached(manifestSigningText(manifest), privateKey),
});

export const verifyManifestSignature = (manifest: BundleManifest, publicKey: KeyInput): boolean =>
  verifyDetached(manifestSigningText(manifest), manifest.signature, publicKey);

export const emptyPredecessor = { seq: 0, hash: GENESIS_HASH } as const;
