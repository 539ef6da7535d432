import { z } from 'zod';

const counts = z.strictObject({
  total: z.number().int().nonnegative(),
  allow: z.number().int().nonnegative(),
  review: z.number().int().nonnegative(),
  deny: z.number().int().nonnegative(),
});

/** Audit payloads of SBOM intake and evaluation. */
export const sbomAuditPayloads = [
  z.strictObject({
    type: z.literal('sbom.uploaded'),
    sbomId: z.string(),
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
    sizeBytes: z.number().int().nonnegative(),
    filename: z.string().nullable(),
    format: z.string(),
    componentCount: z.number().int().nonnegative(),
  }),
  z.strictObject({
    type: z.literal('sbom.evaluation-requested'),
    sbomId: z.string(),
    evaluation: z.number().int().positive(),
  }),
  z.strictObject({
    type: z.literal('sbom.evaluated'),
    sbomId: z.string(),
    evaluation: z.number().int().positive(),
    verdict: z.enum(['pass', 'review', 'fail']),
    counts,
    /** Components per license category and verdict, for the due-diligence report. */
    categories: z.record(z.string(), counts),
    waiversApplied: z.array(z.string()),
    expiredWaiversIgnored: z.array(z.string()),
  }),
  z.strictObject({
    type: z.literal('sbom.rejected'),
    sbomId: z.string(),
    evaluation: z.number().int().positive(),
    code: z.string(),
    message: z.string(),
  }),
] as const;
