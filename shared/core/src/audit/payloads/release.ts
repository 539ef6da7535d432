import { z } from 'zod';
import { obligationEvidenceSchema } from '../../obligations/obligation-evidence.js';

const sha256 = z.string().regex(/^[0-9a-f]{64}$/);

/**
 * Audit payloads of releases and of the obligations of approved contributions.
 * Each names what it is about in full (release name and version, obligation
 * key) so it reads on its own in a dossier. `release.cleared` carries the
 * NOTICE's SHA-256: the dossier's conformance map takes it as evidence for
 * ISO/IEC 5230 clause 3.4.1 (shared/dossier/README.md).
 */
export const releaseAuditPayloads = [
  z.strictObject({
    type: z.literal('release.created'),
    releaseId: z.string(),
    name: z.string(),
    version: z.string(),
    sbomId: z.string(),
    sbomEvaluation: z.number().int().positive(),
    noticeSha256: sha256,
    obligations: z.array(z.string()),
    createdBy: z.string(),
  }),
  z.strictObject({
    type: z.literal('release.obligation_updated'),
    releaseId: z.string(),
    name: z.string(),
    version: z.string(),
    key: z.string(),
    state: z.enum(['fulfilled', 'waived']),
    evidence: obligationEvidenceSchema.nullable(),
    reason: z.string().nullable(),
    by: z.string(),
  }),
  z.strictObject({
    type: z.literal('release.cleared'),
    releaseId: z.string(),
    name: z.string(),
    version: z.string(),
    sbomId: z.string(),
    noticeSha256: sha256,
    fulfilled: z.number().int().nonnegative(),
    waived: z.number().int().nonnegative(),
  }),
  z.strictObject({
    type: z.literal('contribution.obligation_updated'),
    contributionId: z.string(),
    tier: z.string(),
    key: z.string(),
    state: z.enum(['fulfilled', 'waived']),
    evidence: obligationEvidenceSchema.nullable(),
    reason: z.string().nullable(),
    by: z.string(),
  }),
] as const;
