import { z } from 'zod';
import { roleSchema } from '../../auth/roles.js';
import { contributionEnrichmentSchema } from '../../contributions/enrichment.js';
import { reviewerRoleSchema } from '../../contributions/policy-schema.js';
import { routingPlanSchema } from '../../contributions/routing-plan.js';
import { decisionKindSchema } from '../../contributions/state.js';
import { contributionTierSchema } from '../../contributions/tier.js';

const requestId = z.string().min(1);

/**
 * Audit payloads of outbound contribution requests and of what Clearance did
 * on GitHub for them. Each names the request (`requestId`, the revision's id)
 * so a dossier can be filtered per request; the event's own actor, time and
 * policy version columns say who, when and under which policy.
 */
export const contributionAuditPayloads = [
  z.strictObject({
    type: z.literal('contribution.submitted'),
    requestId,
    revision: z.number().int().positive(),
    previousRevisionId: z.string().nullable(),
    requester: z.string(),
    tier: contributionTierSchema,
    /** `host/owner/repo`, or null for a new project. */
    upstream: z.string().nullable(),
    title: z.string(),
  }),
  z.strictObject({
    type: z.literal('contribution.enriched'),
    requestId,
    enrichment: contributionEnrichmentSchema,
  }),
  z.strictObject({
    type: z.literal('contribution.enrichment-failed'),
    requestId,
    error: z.string(),
  }),
  z.strictObject({
    type: z.literal('contribution.routed'),
    requestId,
    plan: routingPlanSchema,
    policyVersion: z.string(),
  }),
  z.strictObject({
    type: z.literal('contribution.auto-approved'),
    requestId,
    rule: z.string(),
  }),
  z.strictObject({
    type: z.literal('contribution.auto-rejected'),
    requestId,
    rule: z.string(),
    reason: z.string(),
  }),
  z.strictObject({
    type: z.literal('contribution.decided'),
    requestId,
    /** Zero-based stage index. */
    stage: z.number().int().nonnegative(),
    decision: decisionKindSchema,
    reason: z.string().nullable(),
    by: z.string(),
    asRoles: z.array(roleSchema),
    outcome: z.enum(['approval-recorded', 'stage-approved', 'approved', 'rejected', 'changes-requested']),
  }),
  z.strictObject({
    type: z.literal('contribution.withdrawn'),
    requestId,
    by: z.string(),
  }),
  z.strictObject({
    type: z.literal('contribution.resubmitted'),
    requestId,
    previousRevisionId: z.string(),
    revision: z.number().int().positive(),
  }),
  z.strictObject({
    type: z.literal('contribution.stage-escalated'),
    requestId,
    stage: z.number().int().nonnegative(),
    dueAt: z.string(),
    escalatedTo: z.array(reviewerRoleSchema),
  }),
  z.strictObject({
    type: z.literal('contribution.drift-flagged'),
    requestId,
    pullRequestUrl: z.string(),
    approvedTier: contributionTierSchema,
    allowedLines: z.number().int().nonnegative(),
    actualLines: z.number().int().nonnegative(),
  }),
  z.strictObject({
    type: z.literal('github.commented'),
    requestId,
    owner: z.string(),
    repo: z.string(),
    number: z.number().int().positive(),
    commentId: z.number().int(),
    url: z.string(),
  }),
  z.strictObject({
    type: z.literal('github.repo-created'),
    requestId,
    org: z.string(),
    name: z.string(),
    url: z.string(),
    /** SPDX id of the license the repository was created with. */
    license: z.string().nullable(),
    /** False when the repository already existed (a retried job): nothing was created twice. */
    created: z.boolean(),
  }),
] as const;
