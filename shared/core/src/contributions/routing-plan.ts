import { z } from 'zod';
import { reviewerRoleSchema } from './policy-schema.js';
import { contributionTierSchema } from './tier.js';

/**
 * What a rule did to the plan. `not-applied` and `ignored` entries exist so a
 * reviewer can see why the plan is not shorter (a bug fix that was not
 * auto-approved, a blanket approval that expired).
 */
export const explanationEffects = [
  'escalate-tier',
  'reject',
  'approve',
  'stages',
  'add-stage',
  'covered',
  'not-applied',
  'ignored',
  'note',
] as const;

export const explanationEntrySchema = z.strictObject({
  rule: z.string(),
  effect: z.enum(explanationEffects),
  detail: z.string(),
});
export type ExplanationEntry = z.infer<typeof explanationEntrySchema>;

export const plannedStageSchema = z.strictObject({
  index: z.number().int().nonnegative(),
  roles: z.array(reviewerRoleSchema).min(1),
  approvals: z.number().int().positive(),
  dueInWorkingDays: z.number().int().positive(),
  /** The rule that put this stage in the plan. */
  rule: z.string(),
  reason: z.string(),
});
export type PlannedStage = z.infer<typeof plannedStageSchema>;

const planFacts = {
  /** The tier the request was routed as, after line-count escalation. */
  effectiveTier: contributionTierSchema,
  /** The size used for thresholds: the larger of the estimate and the pull request's additions + deletions. */
  linesChanged: z.number().int().nonnegative(),
  explanation: z.array(explanationEntrySchema),
};

export const routingPlanSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('auto-approved'), rule: z.string(), ...planFacts }),
  z.strictObject({ kind: z.literal('auto-rejected'), rule: z.string(), reason: z.string(), ...planFacts }),
  z.strictObject({ kind: z.literal('stages'), stages: z.array(plannedStageSchema).min(1), ...planFacts }),
]);
export type RoutingPlan = z.infer<typeof routingPlanSchema>;
