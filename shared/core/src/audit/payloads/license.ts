import { z } from 'zod';
import { verdictSchema } from '../../license/policy-schema.js';
import { waiverScopeSchema } from '../../license/waiver.js';

/**
 * Audit payloads of license waivers. The scope and verdict are repeated in
 * every event so each one reads on its own in a dossier, without the waiver row.
 */
export const licenseAuditPayloads = [
  z.strictObject({
    type: z.literal('waiver.granted'),
    waiverId: z.string(),
    scope: waiverScopeSchema,
    verdict: verdictSchema,
    justification: z.string(),
    expiresAt: z.iso.datetime({ offset: true }),
    /** Who granted it (role compliance or legal). */
    grantedBy: z.string(),
  }),
  z.strictObject({
    type: z.literal('waiver.revoked'),
    waiverId: z.string(),
    scope: waiverScopeSchema,
    verdict: verdictSchema,
    reason: z.string(),
    revokedBy: z.string(),
  }),
  z.strictObject({
    type: z.literal('waiver.expired'),
    waiverId: z.string(),
    scope: waiverScopeSchema,
    verdict: verdictSchema,
    expiresAt: z.iso.datetime({ offset: true }),
  }),
] as const;
