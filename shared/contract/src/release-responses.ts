import { obligationEvidenceSchema, obligationStates } from '@clearance/core';
import { z } from 'zod';
import { isoTime } from './contribution-responses.js';

const sha256 = z.string().regex(/^[0-9a-f]{64}$/);

const obligationComponentSchema = z.strictObject({ name: z.string(), version: z.string().nullable(), purl: z.string().nullable() });

/** One license's obligation of one kind, and the components that bring it (core's `LicenseObligation`). */
export const licenseObligationSchema = z.strictObject({
  key: z.string(),
  obligation: z.string(),
  license: z.string(),
  basis: z.discriminatedUnion('kind', [z.strictObject({ kind: z.literal('license') }), z.strictObject({ kind: z.literal('category'), category: z.string() })]),
  source: z.string(),
  description: z.string(),
  components: z.array(obligationComponentSchema),
});

/** `GET /sboms/:id/obligations`: grouped by obligation, in the catalogue's order. */
export const sbomObligationsResponseSchema = z.strictObject({
  sbomId: z.string(),
  evaluation: z.number().int().positive(),
  policyVersion: z.string(),
  groups: z.array(z.strictObject({ obligation: z.string(), title: z.string(), description: z.string(), items: z.array(licenseObligationSchema) })),
});

export const releaseObligationResponseSchema = z.strictObject({
  key: z.string(),
  obligation: z.string(),
  title: z.string(),
  license: z.string(),
  source: z.string(),
  description: z.string(),
  components: z.array(obligationComponentSchema),
  state: z.enum(obligationStates),
  evidence: obligationEvidenceSchema.nullable(),
  reason: z.string().nullable(),
  updatedBy: z.string().nullable(),
  updatedAt: isoTime.nullable(),
});

const releaseFields = {
  id: z.string(),
  name: z.string(),
  version: z.string(),
  sbomId: z.string(),
  sbomEvaluation: z.number().int().positive(),
  noticeSha256: sha256,
  status: z.enum(['open', 'cleared']),
  createdBy: z.string(),
  createdAt: isoTime,
  clearedAt: isoTime.nullable(),
  policyVersion: z.string(),
};

export const releaseResponseSchema = z.strictObject({ ...releaseFields, obligations: z.array(releaseObligationResponseSchema) });

/** A row of `GET /releases`: the checklist counted, not listed. */
export const releaseSummaryResponseSchema = z.strictObject({ ...releaseFields, open: z.number().int().nonnegative(), total: z.number().int().nonnegative() });

/** An obligation of an approved contribution, from its tier's policy, and how it was settled. */
export const contributionObligationResponseSchema = z.strictObject({
  key: z.string(),
  title: z.string(),
  description: z.string(),
  state: z.enum(obligationStates),
  evidence: obligationEvidenceSchema.nullable(),
  reason: z.string().nullable(),
  updatedBy: z.string().nullable(),
  updatedAt: isoTime.nullable(),
});

export const contributionObligationsResponseSchema = z.strictObject({
  contributionId: z.string(),
  tier: z.string(),
  items: z.array(contributionObligationResponseSchema),
});
