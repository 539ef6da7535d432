import { z } from 'zod';
import { roleSchema } from '../../auth/roles.js';

/** Audit payloads of the foundation: tokens and refused access. */
export const foundationAuditPayloads = [
  z.strictObject({
    type: z.literal('token.created'),
    tokenId: z.string(),
    user: z.string(),
    roles: z.array(roleSchema),
    bootstrap: z.boolean(),
  }),
  z.strictObject({
    type: z.literal('token.revoked'),
    tokenId: z.string(),
    user: z.string(),
  }),
  z.strictObject({
    type: z.literal('access.denied'),
    method: z.string(),
    route: z.string(),
    reason: z.enum(['forbidden', 'not_owner']),
    requiredRoles: z.array(roleSchema),
  }),
] as const;
