import { z } from 'zod';
import { foundationAuditPayloads } from './foundation.js';

/**
 * Every audit event payload, discriminated on `type`. The event's `action`
 * column is the payload's `type`. Each area of the product contributes its
 * members from its own file.
 */
export const auditPayloadSchema = z.discriminatedUnion('type', [...foundationAuditPayloads]);

export type AuditPayload = z.infer<typeof auditPayloadSchema>;
export type AuditAction = AuditPayload['type'];
