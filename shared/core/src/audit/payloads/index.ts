import { z } from 'zod';
import { auditAuditPayloads } from './audit.js';
import { contributionAuditPayloads } from './contribution.js';
import { foundationAuditPayloads } from './foundation.js';
import { licenseAuditPayloads } from './license.js';
import { releaseAuditPayloads } from './release.js';
import { notificationAuditPayloads } from './notification.js';
import { sbomAuditPayloads } from './sbom.js';
import { signInAuditPayloads } from './sign-in.js';

/**
 * Every audit event payload, discriminated on `type`. The event's `action`
 * column is the payload's `type`. Each area of the product contributes its
 * members from its own file.
 */
export const auditPayloadSchema = z.discriminatedUnion('type', [
  ...foundationAuditPayloads,
  ...sbomAuditPayloads,
  ...licenseAuditPayloads,
  ...contributionAuditPayloads,
  ...auditAuditPayloads,
  ...releaseAuditPayloads,
  ...signInAuditPayloads,
  ...notificationAuditPayloads,
]);

export { signInRefusalReasons, signInRefusalReasonSchema, type SignInRefusalReason } from './sign-in.js';

export type AuditPayload = z.infer<typeof auditPayloadSchema>;
export type AuditAction = AuditPayload['type'];
