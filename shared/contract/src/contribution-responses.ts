import {
  claHintsSchema,
  contributionRequestInputSchema,
  contributionStatusSchema,
  contributionTierSchema,
  decisionRecordSchema,
  explanationEntrySchema,
  pullRequestInfoSchema,
  routingPlanSchema,
  stageStateSchema,
  tierTargets,
  upstreamInfoSchema,
  contributionEnrichmentSchema,
  type ContributionTier,
} from '@clearance/core';
import { z } from 'zod';

/** Times travel as ISO 8601 strings. */
export const isoTime = z.iso.datetime({ offset: true });
const nullableTime = isoTime.nullable();

/** A stage and a decision as stored (core's schemas), their times as ISO strings. */
export const stageResponseSchema = stageStateSchema.extend({
  startedAt: nullableTime,
  dueAt: nullableTime,
  escalatedAt: nullableTime,
  overdue: z.boolean(),
});

export const decisionResponseSchema = decisionRecordSchema.extend({ at: isoTime });

const autoOutcomeSchema = z.strictObject({ rule: z.string(), reason: z.string().nullable() }).nullable();

/** What Clearance did on GitHub after the decision. */
const githubActionsSchema = z.strictObject({
  comment: z.strictObject({ id: z.number().int(), url: z.string(), owner: z.string(), repo: z.string(), number: z.number().int() }).optional(),
  repository: z.strictObject({ org: z.string(), name: z.string(), url: z.string(), license: z.string().nullable(), created: z.boolean() }).optional(),
});

/**
 * One revision of a contribution request. `request` is the request as it was
 * submitted (the input form of the request schema: read its type with
 * z.input).
 */
export const contributionResponseSchema = z.strictObject({
  id: z.string(),
  revision: z.number().int().positive(),
  previousRevisionId: z.string().nullable(),
  requester: z.string(),
  tier: contributionTierSchema,
  effectiveTier: contributionTierSchema.nullable(),
  status: contributionStatusSchema,
  title: z.string(),
  request: contributionRequestInputSchema,
  currentStage: z.number().int().nonnegative().nullable(),
  stages: z.array(stageResponseSchema),
  decisions: z.array(decisionResponseSchema),
  autoOutcome: autoOutcomeSchema,
  plan: routingPlanSchema.nullable(),
  enrichment: contributionEnrichmentSchema.nullable(),
  policyVersion: z.string().nullable(),
  version: z.number().int().nonnegative(),
  createdAt: isoTime,
  updatedAt: isoTime,
  routedAt: nullableTime,
  decidedAt: nullableTime,
  github: githubActionsSchema,
  driftFlaggedAt: nullableTime,
});

export const contributionDetailResponseSchema = contributionResponseSchema.extend({
  nextRevisionId: z.string().nullable(),
  revisions: z.array(
    z.strictObject({
      id: z.string(),
      revision: z.number().int().positive(),
      status: contributionStatusSchema,
      title: z.string(),
      createdAt: isoTime,
      decidedAt: nullableTime,
      autoOutcome: autoOutcomeSchema,
      decisions: z.array(decisionResponseSchema),
    }),
  ),
});

export const decisionOutcomeSchema = z.enum(['approval-recorded', 'stage-approved', 'approved', 'rejected', 'changes-requested']);

export const decisionResultResponseSchema = z.strictObject({
  decision: decisionResponseSchema,
  outcome: decisionOutcomeSchema,
  request: contributionResponseSchema,
});

const outcomeCountsSchema = z.record(z.string(), z.number().int().nonnegative());

/** One entry of a reviewer's queue: everything needed to decide it without opening anything else. */
export const reviewItemResponseSchema = contributionResponseSchema
  .pick({ id: true, revision: true, previousRevisionId: true, requester: true, tier: true, effectiveTier: true, title: true, request: true })
  .extend({
    submittedAt: isoTime,
    stage: stageResponseSchema,
    stageCount: z.number().int().positive(),
    dueAt: nullableTime,
    overdue: z.boolean(),
    upstream: upstreamInfoSchema.extend({ licenseCategory: z.string().nullable() }).nullable(),
    pullRequest: pullRequestInfoSchema.nullable(),
    claHints: claHintsSchema.nullable(),
    findings: z.array(z.string()),
    history: z.strictObject({ requester: outcomeCountsSchema, upstream: outcomeCountsSchema.nullable() }),
    decisions: z.array(decisionResponseSchema),
    explanation: z.array(explanationEntrySchema),
    mayDecide: z.boolean(),
    blockedBecause: z.string().nullable(),
  });

/** The tiers in escalation order with the policy's words (GET /policy/tiers). */
export const tierDescriptionSchema = z.strictObject({
  tier: contributionTierSchema,
  target: z.enum(Object.values(tierTargets) as [(typeof tierTargets)[ContributionTier], ...(typeof tierTargets)[ContributionTier][]]),
  label: z.string(),
  description: z.string().nullable(),
});
