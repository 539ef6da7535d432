import { z } from 'zod';
import { roleSchema } from '../../auth/roles.js';

/** Why a sign-in through the identity provider was refused (stable codes, shown to the person too). */
export const signInRefusalReasons = [
  'provider_error',
  'flow_missing',
  'state_mismatch',
  'nonce_mismatch',
  'id_token_expired',
  'id_token_invalid',
  'no_role',
] as const;
export const signInRefusalReasonSchema = z.enum(signInRefusalReasons);
export type SignInRefusalReason = z.infer<typeof signInRefusalReasonSchema>;

/** Audit payloads of single sign-on: sessions begin and end, roles follow the provider's claims. */
export const signInAuditPayloads = [
  z.strictObject({
    type: z.literal('session.signed-in'),
    userId: z.string(),
    sessionId: z.string(),
    issuer: z.string(),
    subject: z.string(),
    roles: z.array(roleSchema),
    firstSignIn: z.boolean(),
  }),
  z.strictObject({
    type: z.literal('session.signed-out'),
    userId: z.string(),
    sessionId: z.string(),
  }),
  z.strictObject({
    type: z.literal('user.roles-changed'),
    userId: z.string(),
    from: z.array(roleSchema),
    to: z.array(roleSchema),
  }),
  z.strictObject({
    type: z.literal('session.sign-in-refused'),
    reason: signInRefusalReasonSchema,
    issuer: z.string(),
    subject: z.string().nullable(),
    detail: z.string(),
  }),
] as const;
