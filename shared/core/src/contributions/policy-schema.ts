import { z } from 'zod';
import { reviewerRoles } from '../auth/roles.js';
import { perTier, upstreamTiers } from './tier.js';

export const reviewerRoleSchema = z.enum(reviewerRoles);
export type ReviewerRole = z.infer<typeof reviewerRoleSchema>;

const roleList = z.array(reviewerRoleSchema).min(1, 'name at least one role');
const approvals = z.number().int().min(1).max(10).default(1);
const slaWorkingDays = z.number().int().min(1).max(90);
const reasonText = z.string().trim().min(1).max(1_000);
const enabled = z.boolean().default(true);

/** One sign-off step: any holder of one of `roles` may sign; `approvals` distinct people must. */
export const policyStageSchema = z.strictObject({
  name: z.string().trim().min(1).max(100).optional(),
  roles: roleList,
  approvals,
  slaWorkingDays,
});
export type PolicyStage = z.output<typeof policyStageSchema>;

const tierPolicySchema = z.strictObject({
  /** How people see the tier (web form, CLI); defaults to the tier's id. */
  label: z.string().trim().min(1).max(60).optional(),
  /** One or two sentences that help an engineer pick the tier. */
  description: z.string().trim().min(1).max(500).optional(),
  stages: z.array(policyStageSchema).min(1, 'a tier needs at least one stage'),
  /** Above this many lines the request is routed like the next tier; null: no limit. */
  maxLinesChanged: z.number().int().nonnegative().nullable(),
});

/** A stage added to the plan when a condition holds. */
const escalationSchema = z.strictObject({
  enabled,
  roles: roleList,
  approvals,
  slaWorkingDays,
  /** Why the stage is there; shown to the reviewer and the requester. */
  reason: reasonText,
});
export type EscalationRule = z.output<typeof escalationSchema>;

const denyRuleSchema = z.strictObject({
  enabled,
  /** The "no" the requester reads. `{upstream}` and `{license}` are filled in. */
  reason: reasonText,
});

const licenseCategoryEscalationSchema = escalationSchema.extend({
  name: z.string().trim().min(1).max(100),
  categories: z.array(z.string().min(1)).min(1),
});

const isoDate = z.iso.date('expires must be a date written YYYY-MM-DD');

export const blanketApprovalSchema = z
  .strictObject({
    /** Recorded as the rule that approved a request; must be unique. */
    name: z.string().trim().min(1).max(100),
    scope: z.enum(['org', 'repo']),
    host: z.string().trim().min(1).default('github.com'),
    owner: z.string().trim().min(1),
    repo: z.string().trim().min(1).optional(),
    tiers: z.array(z.enum(upstreamTiers)).min(1),
    /** Last day (UTC) on which the approval applies. */
    expires: isoDate.optional(),
    note: z.string().max(1_000).optional(),
  })
  .superRefine((entry, ctx) => {
    if (entry.scope === 'repo' && entry.repo === undefined) {
      ctx.addIssue({ code: 'custom', path: ['repo'], message: 'scope "repo" needs a repo' });
    }
    if (entry.scope === 'org' && entry.repo !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['repo'], message: 'scope "org" covers every repo of the owner: remove repo' });
    }
  });
export type BlanketApproval = z.output<typeof blanketApprovalSchema>;

/** The outcomes after which Clearance may comment on the request's linked pull request. */
export const commentableOutcomes = ['approved', 'auto-approved', 'rejected', 'auto-rejected', 'changes-requested'] as const;

/**
 * What Clearance does on GitHub once a request reaches its final decision.
 * Comments are public on the upstream, so by default only approvals are
 * announced there: an internal "no" stays internal. New projects start
 * private so the team can prepare them before publishing.
 */
const afterDecisionSchema = z.strictObject({
  commentOn: z.array(z.enum(commentableOutcomes)).default(['approved', 'auto-approved']),
  createRepository: z.boolean().default(true),
  repositoryVisibility: z.enum(['private', 'public']).default('private'),
});

/**
 * The contribution routing policy (`policies/contributions.yaml`). Every
 * field is documented in `policies/README.md`. Unknown keys are refused: a
 * misspelt rule must fail validation instead of silently not applying.
 */
export const contributionPolicySchema = z
  .strictObject({
    version: z.literal(1),
    tiers: z.strictObject(perTier(tierPolicySchema)),
    autoApprove: z.strictObject({
      enabled,
      tiers: z.array(z.enum(upstreamTiers)).min(1),
      /** License categories (from the license engine) that count as permissive. */
      licenseCategories: z.array(z.string().min(1)).min(1),
      /** When true the upstream must ask for a CLA or DCO we accept; when false "none asked" is fine too. */
      requireAgreement: z.boolean(),
    }),
    blanketApprovals: z.array(blanketApprovalSchema).default([]),
    trustLadder: escalationSchema.extend({
      /** Earlier approved contributions needed before the ladder stops adding its stage. */
      minApprovedContributions: z.number().int().min(1),
      /** Count contributions by anyone in the company, or by this requester only. */
      per: z.enum(['upstream', 'requester']),
    }),
    deny: z.strictObject({
      notFound: denyRuleSchema,
      archived: denyRuleSchema,
      noLicense: denyRuleSchema,
      licenses: denyRuleSchema.extend({
        categories: z.array(z.string().min(1)),
        ids: z.array(z.string().min(1)),
      }),
      outboundLicense: denyRuleSchema.extend({ allowed: z.array(z.string().min(1)).min(1) }),
    }),
    escalations: z.strictObject({
      coreIp: escalationSchema,
      patentRelevant: escalationSchema,
      securityFix: escalationSchema,
      unapprovedCla: escalationSchema,
      unrecognizedLicense: escalationSchema,
      missingEnrichment: escalationSchema,
      licenseCategories: z.array(licenseCategoryEscalationSchema).default([]),
    }),
    cla: z.strictObject({
      preApproved: z.array(z.strictObject({ id: z.string().trim().min(1), name: z.string().trim().min(1) })),
      dcoAccepted: z.boolean(),
    }),
    sla: z.strictObject({
      /** Roles notified when a stage passes its due time; they may then decide the stage too. */
      escalateTo: roleList,
      notifyRequester: z.boolean().default(true),
    }),
    // Optional in the file: a policy written before this section existed keeps its meaning.
    afterDecision: afterDecisionSchema.prefault({}),
  })
  .superRefine((policy, ctx) => {
    const seen = new Set<string>();
    policy.blanketApprovals.forEach((entry, index) => {
      if (seen.has(entry.name)) {
        ctx.addIssue({ code: 'custom', path: ['blanketApprovals', index, 'name'], message: `duplicate blanket approval name "${entry.name}"` });
      }
      seen.add(entry.name);
    });
    const names = new Set<string>();
    policy.escalations.licenseCategories.forEach((entry, index) => {
      if (names.has(entry.name)) {
        ctx.addIssue({ code: 'custom', path: ['escalations', 'licenseCategories', index, 'name'], message: `duplicate name "${entry.name}"` });
      }
      names.add(entry.name);
    });
  });

export type ContributionPolicy = z.output<typeof contributionPolicySchema>;
export type ContributionPolicyInput = z.input<typeof contributionPolicySchema>;
