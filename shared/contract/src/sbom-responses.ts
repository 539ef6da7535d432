import { verdictSchema, waiverSchema } from '@clearance/core';
import { z } from 'zod';
import { isoTime } from './contribution-responses.js';

export { verdictSchema };
export const sbomVerdictSchema = z.enum(['pass', 'review', 'fail']);

export const verdictCountsSchema = z.strictObject({
  total: z.number().int().nonnegative(),
  allow: z.number().int().nonnegative(),
  review: z.number().int().nonnegative(),
  deny: z.number().int().nonnegative(),
});

/** The format detected from the content. */
export const sbomFormatSchema = z.strictObject({ kind: z.string(), encoding: z.string(), specVersion: z.string(), compression: z.string().optional() });

const errorSchema = z.strictObject({ code: z.string(), message: z.string(), details: z.unknown().optional() });

export const sbomResponseSchema = z.strictObject({
  id: z.string(),
  status: z.enum(['queued', 'evaluated', 'failed']),
  verdict: sbomVerdictSchema.nullable(),
  counts: verdictCountsSchema.nullable(),
  format: sbomFormatSchema.nullable(),
  componentCount: z.number().int().nonnegative().nullable(),
  filename: z.string().nullable(),
  sha256: z.string(),
  uploadedBy: z.string(),
  uploadedAt: isoTime,
  evaluation: z.number().int().nonnegative(),
  policyVersion: z.string().nullable(),
  evaluatedAt: isoTime.nullable(),
  error: errorSchema.nullable(),
});

const licenseChoiceSchema = z.union([
  z.strictObject({ kind: z.literal('id'), id: z.string(), acknowledgement: z.string().optional() }),
  z.strictObject({ kind: z.literal('name'), name: z.string(), acknowledgement: z.string().optional() }),
  z.strictObject({ kind: z.literal('expression'), expression: z.string(), acknowledgement: z.string().optional() }),
]);

/** The rule or waiver that gave a finding its verdict. */
export const decidedBySchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('rule'), rule: z.string() }),
  z.strictObject({ kind: z.literal('waiver'), waiverId: z.string() }),
  z.strictObject({ kind: z.literal('expired-waiver-ignored'), waiverId: z.string(), rule: z.string() }),
]);

/** One component's license verdict. */
export const findingResponseSchema = z.strictObject({
  index: z.number().int().nonnegative(),
  ref: z.string(),
  name: z.string(),
  version: z.string().nullable(),
  purl: z.string().nullable(),
  // The license data as the SBOM wrote it (source, choices, and what a format adds: copyright, texts).
  raw: z.looseObject({ source: z.string(), choices: z.array(licenseChoiceSchema) }),
  outcome: z.string(),
  expression: z.string().nullable(),
  mappings: z.array(z.strictObject({ from: z.string(), to: z.string(), method: z.string() })),
  verdict: verdictSchema,
  decidedBy: decidedBySchema,
  chosenBranch: z.string().nullable(),
  notes: z.array(z.string()),
});

export const sbomDetailResponseSchema = sbomResponseSchema.extend({
  findings: z.strictObject({ items: z.array(findingResponseSchema), nextCursor: z.union([z.string(), z.number()]).nullable() }),
});

export const waiverResponseSchema = waiverSchema.extend({
  grantedBy: z.string(),
  grantedAt: z.string(),
  revokedBy: z.string().nullable(),
  revokeReason: z.string().nullable(),
});
