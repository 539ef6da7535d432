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

const licenseChoiceSchema = z.union([
  z.strictObject({ kind: z.literal('id'), id: z.string(), acknowledgement: z.string().optional() }),
  z.strictObject({ kind: z.literal('name'), name: z.string(), acknowledgement: z.string().optional() }),
  z.strictObject({ kind: z.literal('expression'), expression: z.string(), acknowledgement: z.string().optional() }),
]);

/** The policy rule that decided, as data (core's `DecidingRule`). */
export const decidingRuleSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('category'), category: z.string(), license: z.string() }),
  z.strictObject({ kind: z.literal('license'), id: z.string(), license: z.string() }),
  z.strictObject({ kind: z.literal('exception'), index: z.number().int().nonnegative(), license: z.string() }),
  z.strictObject({ kind: z.literal('unknown-license'), license: z.string() }),
  z.strictObject({ kind: z.literal('outcome'), outcome: z.enum(['missing', 'noassertion', 'none', 'unparsable', 'tooLarge', 'noComponents']) }),
]);

/** The rule or waiver that gave a finding its verdict. */
export const decidedBySchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('rule'), rule: decidingRuleSchema }),
  z.strictObject({ kind: z.literal('waiver'), waiverId: z.string() }),
  z.strictObject({ kind: z.literal('expired-waiver-ignored'), waiverId: z.string(), rule: decidingRuleSchema }),
]);

/** Which rule joined several license entries, and where they came from (core's `LicenseCombination`). */
const combinationSchema = z.strictObject({
  selection: z.enum(['all', 'concluded-over-declared', 'declared-concluded-empty']),
  join: z.enum(['single', 'maven-choice', 'policy-all', 'policy-any']),
  from: z.enum(['licenses', 'evidence', 'enclosing']),
  splitLists: z.number().int().nonnegative(),
});

/** A finding about the document as a whole (one that lists no components). */
export const documentFindingSchema = z.strictObject({
  kind: z.literal('no-components'),
  verdict: verdictSchema,
  decidedBy: z.strictObject({ kind: z.literal('rule'), rule: decidingRuleSchema }),
  message: z.string(),
});

export const sbomResponseSchema = z.strictObject({
  id: z.string(),
  status: z.enum(['queued', 'evaluated', 'failed']),
  verdict: sbomVerdictSchema.nullable(),
  counts: verdictCountsSchema.nullable(),
  documentFindings: z.array(documentFindingSchema),
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
  mappings: z.array(z.strictObject({ from: z.string(), to: z.string(), method: z.string(), source: z.string().optional() })),
  verdict: verdictSchema,
  decidedBy: decidedBySchema,
  chosenBranch: z.string().nullable(),
  combination: combinationSchema,
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
