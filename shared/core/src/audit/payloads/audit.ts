import { z } from 'zod';
import { keyRotationSchema } from '../key-chain.js';

const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'a lowercase hex SHA-256');

/** Audit payloads of the audit log itself: checkpoints, key rotations, policy changes, exports. */
export const auditAuditPayloads = [
  z.strictObject({
    type: z.literal('audit.checkpoint'),
    seq: z.number().int().nonnegative(),
    headHash: sha256Hex,
    signature: z.string().min(1),
    keyId: z.string().min(1),
  }),
  keyRotationSchema,
  z.strictObject({
    type: z.literal('policy.activated'),
    version: z.string().min(1),
    // null on the very first activation: there was no policy before.
    previousVersion: z.string().min(1).nullable(),
    files: z.array(z.strictObject({ name: z.string().min(1), sha256: sha256Hex })),
  }),
  z.strictObject({
    type: z.literal('audit.exported'),
    from: z.string().nullable(),
    to: z.string().nullable(),
    subject: z.string().nullable(),
    eventCount: z.number().int().nonnegative(),
    manifestSha256: sha256Hex,
  }),
] as const;
