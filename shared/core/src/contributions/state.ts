import { z } from 'zod';
import { roleSchema } from '../auth/roles.js';
import { reviewerRoleSchema } from './policy-schema.js';
import { contributionTierSchema } from './tier.js';

/**
 * submitted → enriching → in-review (stage k) → approved | rejected |
 * changes-requested, or straight from enriching to auto-approved |
 * auto-rejected; withdrawn from any open status. Final statuses never change:
 * a new attempt is a new revision.
 */
export const contributionStatuses = [
  'submitted',
  'enriching',
  'in-review',
  'approved',
  'rejected',
  'changes-requested',
  'withdrawn',
  'auto-approved',
  'auto-rejected',
] as const;
export const contributionStatusSchema = z.enum(contributionStatuses);
export type ContributionStatus = z.infer<typeof contributionStatusSchema>;

export const openStatuses = ['submitted', 'enriching', 'in-review'] as const satisfies readonly ContributionStatus[];
export const isOpenStatus = (status: ContributionStatus): boolean => (openStatuses as readonly ContributionStatus[]).includes(status);

/** The statuses after which the requester may submit a new revision. */
export const resubmittableStatuses = ['rejected', 'changes-requested', 'withdrawn', 'auto-rejected'] as const satisfies readonly ContributionStatus[];

export const decisionKinds = ['approve', 'reject', 'request-changes'] as const;
export const decisionKindSchema = z.enum(decisionKinds);
export type DecisionKind = z.infer<typeof decisionKindSchema>;

/** waiting: an earlier stage is not done; pending: the current stage; skipped: the request ended before it. */
export const stageStatuses = ['waiting', 'pending', 'approved', 'rejected', 'changes-requested', 'skipped'] as const;

export const stageStateSchema = z.strictObject({
  index: z.number().int().nonnegative(),
  roles: z.array(reviewerRoleSchema).min(1),
  /** Roles allowed to decide after the stage passed its due time (policy `sla.escalateTo`). */
  escalatedRoles: z.array(reviewerRoleSchema),
  approvals: z.number().int().positive(),
  dueInWorkingDays: z.number().int().positive(),
  rule: z.string(),
  reason: z.string(),
  status: z.enum(stageStatuses),
  startedAt: z.coerce.date().nullable(),
  dueAt: z.coerce.date().nullable(),
  escalatedAt: z.coerce.date().nullable(),
});
export type StageState = z.infer<typeof stageStateSchema>;

export const decisionRecordSchema = z.strictObject({
  stageIndex: z.number().int().nonnegative(),
  decision: decisionKindSchema,
  by: z.string(),
  /** The decider's roles that matched the stage, as evidence of their authority. */
  asRoles: z.array(roleSchema),
  reason: z.string().nullable(),
  at: z.coerce.date(),
});
export type DecisionRecord = z.infer<typeof decisionRecordSchema>;

/**
 * One revision of a contribution request as the decision rules see it.
 * `version` grows by one on every transition so the service can write with
 * `WHERE version = $seen` and let exactly one of two racing reviewers win.
 * `decisions` only ever grows.
 */
export const contributionStateSchema = z.strictObject({
  id: z.string().min(1),
  revision: z.number().int().positive(),
  previousRevisionId: z.string().nullable(),
  requester: z.string().min(1),
  tier: contributionTierSchema,
  status: contributionStatusSchema,
  currentStage: z.number().int().nonnegative().nullable(),
  stages: z.array(stageStateSchema),
  decisions: z.array(decisionRecordSchema),
  /** For auto-approved / auto-rejected: the rule and the reason the requester sees. */
  autoOutcome: z.strictObject({ rule: z.string(), reason: z.string().nullable() }).nullable(),
  version: z.number().int().nonnegative(),
  updatedAt: z.coerce.date(),
});
export type ContributionState = z.infer<typeof contributionStateSchema>;

/** Everyone who may decide a stage right now. */
export const eligibleRoles = (stage: StageState): StageState['roles'] => [
  ...stage.roles,
  ...stage.escalatedRoles.filter((role) => !stage.roles.includes(role)),
];

export const currentStageOf = (state: ContributionState): StageState | null =>
  state.currentStage === null ? null : (state.stages[state.currentStage] ?? null);
